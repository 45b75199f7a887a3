// The decision API's use cases, for a client with a checked token: the names a request uses resolved in one statement
// (the client's ministry, its services by code, subjects within that ministry, organizations), the client kept to its
// own ministry's services, then the decision core (features/decisions) asked, and the audit log written.
import type { Kysely } from "kysely";
import type { ReadCache } from "../../db/read-cache.js";
import type { AccessRight, Day, DB } from "../../db/schema.js";
import { ANONYMOUS } from "../../policy/actor.js";
import type { Reason } from "../../policy/decision.js";
import { montrealDay } from "../../util/days.js";
import { type AuditRecord, auditEntry, recordAudit } from "../audit/audit.service.js";
import { appendAudit } from "../audit/audit-appender.js";
import {
  type Answer,
  accessOf,
  type DecisionAction,
  type DossierRef,
  decideBatch,
  type Link,
  type Question,
} from "../decisions/decisions.service.js";
import { closeDossier, type DeclaredDossier, declareDossier } from "../decisions/dossiers.service.js";
import { pairwiseSubject } from "../federation/provider.js";
import type { Bearer } from "./api-tokens.js";
import { ApiProblem, IN_BODY, type ProblemCode, type ProblemDetail } from "./decisions-api.problems.js";
import { findGrantsPage, findNames, type NamedService, type Names } from "./decisions-api.queries.js";
import { rememberSubjects } from "./subjects.service.js";

export type ApiCtx = {
  db: Kysely<DB>;
  /** The database's read cache: exact on the embedded database, passing through on PostgreSQL (db/read-cache.ts). */
  cache: ReadCache;
  now: Date;
  ip: string | null;
  bearer: Bearer;
  pairwiseSecret: string;
  /** Whether this allowed read of a dossier goes to the audit log (DECISION_AUDIT_SAMPLE). */
  sampled(): boolean;
};

// --- What the API answers

export type QuestionInput = {
  subject: string;
  organization: number;
  service: string;
  action: DecisionAction;
  dossier?: string;
};

/** A link of a chain as the API tells it: a right's granter by name only (a user code is Guichet's own). */
export type ApiLink =
  | Exclude<Link, { kind: "right" } | { kind: "mandate" }>
  | { kind: "right"; right: AccessRight; grantedBy: { name: string }; since: string; until: Day | null }
  | { kind: "mandate"; dossier: string; since: string; until: Day | null };

export type ApiAnswer = {
  allowed: boolean;
  reason: Reason | null;
  because: ApiLink[];
  validUntil: Day | null;
};

export type ApiDossier = {
  service: string;
  externalId: string;
  organization: number;
  title: string;
  declaredAt: string;
  closedAt: string | null;
};

export type ApiGrant = {
  id: number;
  subject: string;
  name: string;
  right: AccessRight;
  grantedBy: { name: string };
  since: string;
  until: Day | null;
  association: {
    servicePointId: number;
    servicePointName: string;
    firm: { id: number; name: string };
    since: string;
  } | null;
};

function dossierIdOf(ref: DossierRef): string {
  return ref.kind === "declared" ? ref.externalId : String(ref.id);
}

function linkOut(link: Link): ApiLink {
  switch (link.kind) {
    case "right":
      return {
        kind: "right",
        right: link.right,
        grantedBy: { name: link.grantedBy.name },
        since: link.since,
        until: link.until,
      };
    case "mandate":
      return { kind: "mandate", dossier: dossierIdOf(link.dossier), since: link.since, until: link.until };
    default:
      return link;
  }
}

function answerOut(answer: Answer): ApiAnswer {
  return {
    allowed: answer.allowed,
    reason: answer.reason,
    because: answer.because.map(linkOut),
    validUntil: answer.validUntil,
  };
}

function dossierOut(service: string, dossier: DeclaredDossier): ApiDossier {
  return {
    service,
    externalId: dossier.externalId,
    organization: dossier.organizationId,
    title: dossier.title,
    declaredAt: dossier.declaredAt.toISOString(),
    closedAt: dossier.closedAt ? dossier.closedAt.toISOString() : null,
  };
}

// --- Names, and the client's own ministry

/** Where a name came from: a body's JSON pointer (its problem is a 422), or a path or query parameter (a 404). */
type Place = { pointer: string } | { parameter: string };

function statusAt(place: Place): { status?: number } {
  return "pointer" in place ? IN_BODY : {};
}

function auditContext(ctx: ApiCtx, db: Kysely<DB> = ctx.db) {
  return { db, actor: ANONYMOUS, now: ctx.now, ip: ctx.ip };
}

/** An audit record of the client's: the actor is no person, so the client is named in the details. */
function byClient(ctx: ApiCtx, record: AuditRecord): AuditRecord {
  return { ...record, details: { client: ctx.bearer.clientId, ...record.details } };
}

/** The names of a request, or 401 when the token's client is no longer an enabled client. */
async function resolve(
  ctx: ApiCtx,
  names: { services: readonly string[]; subjects?: readonly string[]; organizationIds?: readonly number[] },
): Promise<Names> {
  const asked = {
    services: names.services,
    subjects: names.subjects ?? [],
    organizationIds: names.organizationIds ?? [],
  };
  const found = await ctx.cache.get(`api-names:${JSON.stringify([ctx.bearer.clientId, asked])}`, () =>
    findNames(ctx.db, ctx.bearer.clientId, asked),
  );
  if (!found) throw new ApiProblem("invalid_token");
  return found;
}

type Unknown = { code: ProblemCode; place: Place; detail: string };

function unknownProblem(unknowns: readonly Unknown[]): ApiProblem | null {
  const [first] = unknowns;
  if (!first) return null;
  return new ApiProblem(first.code, {
    ...statusAt(first.place),
    errors: unknowns.map(({ place, detail }): ProblemDetail => ({ ...place, detail })),
  });
}

/**
 * Services of another ministry first (403, audited: a client reaching beyond its ministry is worth a look), then
 * services that do not exist; returns the services by code.
 */
async function ownServices(
  ctx: ApiCtx,
  names: Names,
  asked: readonly { code: string; place: Place }[],
  operation: string,
): Promise<Map<string, NamedService>> {
  const byCode = new Map(names.services.map((service) => [service.code, service]));
  const foreign = asked.filter(({ code }) => {
    const service = byCode.get(code);
    return service !== undefined && service.ministryId !== names.ministryId;
  });
  if (foreign.length > 0) {
    await recordAudit(
      auditContext(ctx),
      byClient(ctx, {
        action: "api.refused",
        outcome: "denied",
        reason: "other_ministry",
        details: { operation, services: [...new Set(foreign.map(({ code }) => code))] },
      }),
    );
    throw new ApiProblem("other_ministry", {
      errors: foreign.map(({ place }) => ({ ...place, detail: "a service of another ministry" })),
    });
  }
  const problem = unknownProblem(
    asked
      .filter(({ code }) => !byCode.has(code))
      .map(({ place }) => ({ code: "unknown_service" as const, place, detail: "unknown service" })),
  );
  if (problem) throw problem;
  return byCode;
}

function subjectsOf(names: Names): Map<string, number> {
  return new Map(names.subjects.map((subject) => [subject.sub, subject.userId]));
}

// --- Decisions

/** Which answers the audit log keeps: every denial, and every allowance on a dossier (reads sampled). */
function audited(ctx: ApiCtx, question: Question, answer: Answer): boolean {
  if (!answer.allowed) return true;
  if (!question.dossier) return false;
  return question.action === "application.read" ? ctx.sampled() : true;
}

async function auditAnswers(
  ctx: ApiCtx,
  asked: readonly { input: QuestionInput; question: Question; answer: Answer }[],
): Promise<void> {
  const entries = asked
    .filter(({ question, answer }) => audited(ctx, question, answer))
    .map(({ input, question, answer }) =>
      auditEntry(
        auditContext(ctx),
        byClient(ctx, {
          action: "api.decision",
          outcome: answer.allowed ? "success" : "denied",
          ...(answer.reason ? { reason: answer.reason } : {}),
          organizationId: question.organizationId,
          serviceId: Number.isSafeInteger(question.serviceId) ? question.serviceId : null,
          targetType: "user",
          targetId: question.userId,
          details: {
            service: input.service,
            action: input.action,
            ...(input.dossier === undefined ? {} : { dossier: input.dossier }),
          },
        }),
      ),
    );
  // Committed, in one statement for the batch (and with other requests' records under load), before the answer goes.
  await appendAudit(ctx.db, entries);
}

/**
 * Questions as the API receives them, answered in order in one snapshot. Every name must resolve first, or nothing
 * is answered: a service of another ministry is a 403; an unknown service, subject (never handed to this ministry)
 * or organization a 422, naming each place. A dossier the service never declared is no error: the answer is a
 * denial (unknown_dossier), as for a dossier of another organization, so that existence never leaks.
 */
export async function decide(
  ctx: ApiCtx,
  inputs: readonly QuestionInput[],
  pointerOf: (index: number, field: keyof QuestionInput) => string,
): Promise<ApiAnswer[]> {
  const names = await resolve(ctx, {
    services: [...new Set(inputs.map((input) => input.service))],
    subjects: [...new Set(inputs.map((input) => input.subject))],
    organizationIds: [...new Set(inputs.map((input) => input.organization))],
  });
  const place = (index: number, field: keyof QuestionInput): Place => ({ pointer: pointerOf(index, field) });
  const services = await ownServices(
    ctx,
    names,
    inputs.map((input, index) => ({ code: input.service, place: place(index, "service") })),
    "decision",
  );
  const users = subjectsOf(names);
  const organizations = new Set(names.organizationIds);
  const unknowns: Unknown[] = [];
  inputs.forEach((input, index) => {
    if (!users.has(input.subject))
      unknowns.push({ code: "unknown_subject", place: place(index, "subject"), detail: "unknown subject" });
    if (!organizations.has(input.organization))
      unknowns.push({
        code: "unknown_organization",
        place: place(index, "organization"),
        detail: "unknown organization",
      });
  });
  const problem = unknownProblem(unknowns);
  if (problem) throw problem;

  const questions = inputs.map(
    (input): Question => ({
      userId: users.get(input.subject) ?? 0,
      organizationId: input.organization,
      serviceId: services.get(input.service)?.id ?? 0,
      action: input.action,
      ...(input.dossier === undefined ? {} : { dossier: { kind: "declared", externalId: input.dossier } }),
    }),
  );
  const answers = await decideBatch(ctx.db, ctx.now, questions, ctx.cache);
  const asked = questions.map((question, index) => {
    const input = inputs[index];
    const answer = answers[index];
    if (!input || !answer) throw new Error("decide: a question without its answer");
    return { input, question, answer };
  });
  await auditAnswers(ctx, asked);
  return answers.map(answerOut);
}

// --- What a person may do in a service (its menu)

export async function accessOfSubject(
  ctx: ApiCtx,
  sub: string,
  code: string,
): Promise<{
  subject: string;
  service: string;
  organizations: { organization: { id: number; name: string }; actions: DecisionAction[] }[];
}> {
  const names = await resolve(ctx, { services: [code], subjects: [sub] });
  const services = await ownServices(ctx, names, [{ code, place: { parameter: "service" } }], "access");
  const userId = subjectsOf(names).get(sub);
  if (userId === undefined)
    throw new ApiProblem("unknown_subject", { errors: [{ parameter: "sub", detail: "unknown subject" }] });
  const service = services.get(code);
  const organizations = service ? await accessOf(ctx.db, ctx.now, userId, service.id) : [];
  return { subject: sub, service: code, organizations };
}

// --- Declared dossiers

async function serviceInPath(ctx: ApiCtx, code: string, operation: string): Promise<NamedService> {
  const names = await resolve(ctx, { services: [code] });
  const service = (await ownServices(ctx, names, [{ code, place: { parameter: "code" } }], operation)).get(
    code,
  );
  if (!service) throw new ApiProblem("unknown_service");
  return service;
}

/** Declares a dossier (or again: same organization, its title as given now, reopened); audited in its transaction. */
export async function declare(
  ctx: ApiCtx,
  key: { code: string; externalId: string },
  body: { organization: number; title: string },
): Promise<{ dossier: ApiDossier; created: boolean }> {
  const service = await serviceInPath(ctx, key.code, "dossier.declare");
  return ctx.db.transaction().execute(async (trx) => {
    const { dossier, created } = await declareDossier(trx, ctx.now, {
      serviceId: service.id,
      externalId: key.externalId,
      organizationId: body.organization,
      title: body.title,
    });
    await recordAudit(
      auditContext(ctx, trx),
      byClient(ctx, {
        action: "dossier.declare",
        organizationId: dossier.organizationId,
        serviceId: service.id,
        targetType: "declared_dossier",
        targetId: dossier.id,
        details: { service: key.code, externalId: key.externalId, title: body.title, created },
      }),
    );
    return { dossier: dossierOut(key.code, dossier), created };
  });
}

/** Closes a dossier and ends its mandates; audited in its transaction. */
export async function close(
  ctx: ApiCtx,
  key: { code: string; externalId: string },
): Promise<{ dossier: ApiDossier; endedMandates: number }> {
  const service = await serviceInPath(ctx, key.code, "dossier.close");
  return ctx.db.transaction().execute(async (trx) => {
    const closed = await closeDossier(trx, ctx.now, { serviceId: service.id, externalId: key.externalId });
    await recordAudit(
      auditContext(ctx, trx),
      byClient(ctx, {
        action: "dossier.close",
        organizationId: closed.dossier.organizationId,
        serviceId: service.id,
        targetType: "declared_dossier",
        targetId: closed.dossier.id,
        details: {
          service: key.code,
          externalId: key.externalId,
          closed: closed.closed,
          endedMandateIds: closed.endedMandateIds,
        },
      }),
    );
    return { dossier: dossierOut(key.code, closed.dossier), endedMandates: closed.endedMandateIds.length };
  });
}

// --- The registry of an organization in a service, by pages

const CURSOR = /^after:([1-9][0-9]{0,15})$/;

function cursorOf(afterId: number): string {
  return Buffer.from(`after:${afterId}`).toString("base64url");
}

function afterIdOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const id = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(id))
    throw new ApiProblem("invalid_cursor", {
      errors: [{ parameter: "cursor", detail: "not a cursor of this API" }],
    });
  return id;
}

/**
 * One page of the current grants of an organization in one of the client's services, each person by their subject
 * for the client's ministry (remembered, so that the service may then ask decisions about them).
 */
export async function grantsOf(
  ctx: ApiCtx,
  key: { code: string; organization: number },
  page: { cursor?: string; limit: number },
): Promise<{ items: ApiGrant[]; nextCursor: string | null }> {
  const afterId = afterIdOf(page.cursor);
  const names = await resolve(ctx, { services: [key.code], organizationIds: [key.organization] });
  const service = (
    await ownServices(ctx, names, [{ code: key.code, place: { parameter: "code" } }], "grants")
  ).get(key.code);
  if (!service) throw new ApiProblem("unknown_service");
  if (!names.organizationIds.includes(key.organization))
    throw new ApiProblem("unknown_organization", {
      errors: [{ parameter: "org", detail: "unknown organization" }],
    });
  const rows = await findGrantsPage(ctx.db, {
    organizationId: key.organization,
    serviceId: service.id,
    today: montrealDay(ctx.now),
    afterId,
    limit: page.limit,
  });
  const shown = rows.slice(0, page.limit);
  const subjectOf = new Map(
    shown.map((row) => [
      row.user_id,
      pairwiseSubject(ctx.pairwiseSecret, names.ministryId, String(row.user_id)),
    ]),
  );
  await rememberSubjects(
    ctx.db,
    [...subjectOf].map(([userId, sub]) => ({ ministryId: names.ministryId, sub, userId })),
    ctx.now,
  );
  const items = shown.map(
    (row): ApiGrant => ({
      id: row.id,
      subject: subjectOf.get(row.user_id) ?? "",
      name: `${row.first_name} ${row.last_name}`,
      right: row.access_right,
      grantedBy: { name: row.granted_by_name },
      since: row.granted_at.toISOString(),
      until: row.valid_until,
      association:
        row.service_point_id !== null && row.associated_at !== null && row.firm_id !== null
          ? {
              servicePointId: row.service_point_id,
              servicePointName: row.service_point_name ?? "",
              firm: { id: row.firm_id, name: row.firm_name ?? "" },
              since: row.associated_at.toISOString(),
            }
          : null,
    }),
  );
  const last = shown.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? cursorOf(last.id) : null };
}
