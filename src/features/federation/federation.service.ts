// Who may enter another ministry's online service through Guichet, and why not: the enterprise layer at the door.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import type { UserActor } from "../../policy/actor.js";
import { can } from "../../policy/policy.js";
import { montrealDay } from "../../util/days.js";
import { localizedText } from "../../web/localized.js";
import type { Locale } from "../../web/messages.js";
import { userActorOf } from "../auth/auth.service.js";
import { countFactors } from "../factors/factors.queries.js";
import { validGrantsOf } from "../procurations/procurations.service.js";
import * as q from "./federation.queries.js";
import type { Refusal, ServiceFacts } from "./federation.views.js";

type ClientFacts = { guichet_ministry_id?: number; guichet_service_id?: number };

async function actorOf(db: Kysely<DB>, userId: number): Promise<UserActor | null> {
  const row = await q.findActorFacts(db, userId);
  return row && !row.disabled_at ? userActorOf(row) : null;
}

/**
 * The enterprise layer, as for any act inside Guichet: the person needs a procuration of their organization, valid
 * today, covering the service's ministry (and the service, when it is restricted); the services officer holds every
 * one of their organization. Read fresh at each sign-in to a service, so an ended procuration stops counting at once.
 */
export async function enterpriseDecision(db: Kysely<DB>, now: Date, userId: number, client: ClientFacts) {
  const actor = await actorOf(db, userId);
  if (!actor || client.guichet_ministry_id === undefined) return { actor, allowed: false as const };
  const procurations = actor.isServicesOfficer ? [] : await validGrantsOf(db, actor, montrealDay(now));
  const decision = can(actor, "organization.actWithMinistry", {
    organizationId: actor.organizationId,
    ministryId: client.guichet_ministry_id,
    serviceId: client.guichet_service_id ?? null,
    procurations,
  });
  return { actor, ...decision };
}

export async function mayEnter(
  db: Kysely<DB>,
  now: Date,
  userId: number,
  client: ClientFacts,
): Promise<boolean> {
  return (await enterpriseDecision(db, now, userId, client)).allowed;
}

/** The service a client signs people in for, by name, in the page's language where the name has English. */
export async function serviceFacts(
  db: Kysely<DB>,
  client: ClientFacts,
  locale: Locale,
): Promise<ServiceFacts> {
  const row = client.guichet_service_id
    ? await q.findClientService(db, client.guichet_service_id)
    : undefined;
  if (!row) return { serviceName: "?", ministryName: "?" };
  return {
    serviceName: localizedText(locale, row.service_name, row.service_name_en),
    ministryName: localizedText(locale, row.ministry_name, row.ministry_name_en),
  };
}

/** Why the person may not enter, and who can change it: for the refusal page. */
export async function refusalOf(
  db: Kysely<DB>,
  now: Date,
  userId: number,
  client: ClientFacts,
): Promise<{ refusal: Refusal; organizationName: string } | null> {
  const decision = await enterpriseDecision(db, now, userId, client);
  if (decision.allowed || !decision.actor) return null;
  const reason =
    "reason" in decision && decision.reason === "service_not_covered"
      ? "service_not_covered"
      : "no_procuration";
  const officers = await q.findServicesOfficers(db, decision.actor.organizationId);
  return {
    organizationName: decision.actor.organizationName,
    refusal: {
      reason,
      officers: officers.map((o) => ({ name: `${o.first_name} ${o.last_name}`, email: o.email })),
    },
  };
}

export async function hasAnyFactor(db: Kysely<DB>, userId: number): Promise<boolean> {
  return (await countFactors(db, userId)) > 0;
}
