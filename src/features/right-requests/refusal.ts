// What a refusal in a service lacks, and who can give it, by name: the decision core's nearest chain that would allow
// the act (src/features/decisions/decisions.policy.ts missingLinks) told as procuration, association, right, mandate
// or role, each with the people who give it (the RSE, the agent manager of the firm, the local manager and deputies),
// and the form to ask for the right, filled in.
import { type Ctx, referenceRead } from "../../context.js";
import type { AccessRight } from "../../db/schema.js";
import type { DenialRecord } from "../../errors.js";
import { montrealDay } from "../../util/days.js";
import { type DecisionAction, isDecisionAction, missingLinks } from "../decisions/decisions.policy.js";
import { serviceFactsOf } from "../registry/registry.service.js";
import * as q from "./right-requests.queries.js";
import { askPath } from "./right-requests.service.js";

export type MissingKind = "procuration" | "association" | "right" | "mandate" | "role";

export type MissingItem = {
  kind: MissingKind;
  /** Who can give it, by name; empty when nobody holds that role (the page then says whom to turn to). */
  people: q.NamedPerson[];
};

export type RefusalExplanation = {
  action: DecisionAction;
  organization: { id: number; name: string };
  service: { code: string; name: string; name_en: string | null };
  items: MissingItem[];
  /** The rights that would do, the one the form proposes first. */
  rights: AccessRight[];
  /** The form to ask, filled in; null when no right is missing. */
  ask: string | null;
  /** A request for one of those rights is already open: asked on that day (ISO). */
  askedAt: string | null;
};

/** Read, not write, where a read is enough: the form proposes the least of the rights that would allow the act. */
function preferred(rights: readonly AccessRight[]): AccessRight | undefined {
  return rights.find((right) => right.endsWith(".read")) ?? rights[0];
}

/**
 * The explanation of a denial in the registry of (O,S), for a signed-in person; null when the denial is not about a
 * registry, or when no fact of the registry could allow the act (another organization's registry, say).
 */
export async function explainRefusal(ctx: Ctx, denial: DenialRecord): Promise<RefusalExplanation | null> {
  const actor = ctx.actor;
  const { organizationId, serviceId } = denial;
  if (actor.kind !== "user" || organizationId === null || serviceId === undefined) return null;
  if (!isDecisionAction(denial.action)) return null;
  const action = denial.action;
  const service = await referenceRead(ctx, `right-request-service:${serviceId}`, (db) =>
    q.findServiceById(db, serviceId),
  );
  if (!service) return null;
  const row = await q.findRefusalFacts(ctx.db, {
    userId: actor.userId,
    actorOrganizationId: actor.organizationId,
    organizationId,
    serviceId,
    ministryId: service.ministry_id,
    applicationNumber: denial.dossier ?? null,
    today: montrealDay(ctx.now),
    now: ctx.now,
  });
  if (!row || row.user_disabled) return null;
  const facts = serviceFactsOf(row, service.ministry_id);
  const missing = missingLinks(action, {
    actor,
    organizationId,
    serviceId,
    ministryId: service.ministry_id,
    facts,
    mandated: denial.dossier !== undefined && row.mandated,
  });
  if (!missing) return null;
  const managers = row.managers;
  const items: MissingItem[] = [];
  for (const group of missing.groups) {
    if (group === "enterprise") items.push({ kind: "procuration", people: row.officers });
    if (group === "role")
      items.push({ kind: "role", people: managers.filter((m) => m.role === "local_manager") });
    if (group === "right") {
      const agentOnly = missing.rights.every((right) => right.startsWith("agent."));
      if (agentOnly && facts.associationId === null)
        items.push({ kind: "association", people: row.agent_managers });
      items.push({ kind: "right", people: managers });
    }
    if (group === "mandate") items.push({ kind: "mandate", people: managers });
  }
  const rightMissing = missing.groups.includes("right");
  const right = rightMissing ? preferred(missing.rights) : undefined;
  const open = row.open_requests.find((each) => missing.rights.includes(each.right));
  return {
    action,
    organization: { id: organizationId, name: row.organization_name },
    service,
    items,
    rights: rightMissing ? missing.rights : [],
    ask:
      right === undefined
        ? null
        : askPath(service.code, {
            organization: organizationId,
            right,
            ...(denial.dossier !== undefined && right.startsWith("agent.")
              ? { dossier: denial.dossier }
              : {}),
          }),
    askedAt: open ? open.created_at : null,
  };
}
