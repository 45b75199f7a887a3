// The decision API's core, below HTTP: « may this person take this action for this organization in this service (on
// this dossier) », answered by the policy itself from facts read fresh in one snapshot, with the chain that allows it
// (or the links found before the one missing) and until when.
//
// All a call reads comes from one statement, so one snapshot: a decision never answers from data older than the last
// committed write, and its chain explains the very facts the policy decided on. A caller may pass the database's read
// cache: on PostgreSQL it passes every read through; on the embedded database it is exact (db/read-cache.ts: any
// write on the engine, from any connection, empties it), so a cached snapshot is still the last committed one.
import type { Kysely } from "kysely";
import { PASS_THROUGH, type ReadCache } from "../../db/read-cache.js";
import type { AccessRight, Day, DB } from "../../db/schema.js";
import type { Reason } from "../../policy/decision.js";
import { procurationCovers } from "../../policy/procurations.rules.js";
import { montrealDay } from "../../util/days.js";
import { userActorOf } from "../auth/auth.service.js";
import { serviceFactsOf } from "../registry/registry.service.js";
import {
  DECISION_ACTIONS,
  type DecisionAction,
  explain,
  type Group,
  isDecisionAction,
  type World,
} from "./decisions.policy.js";
import * as q from "./decisions.queries.js";

export { DECISION_ACTIONS, type DecisionAction } from "./decisions.policy.js";

/** How many questions one batch may hold. */
export const MAX_BATCH = 100;

/** A batch over MAX_BATCH questions: refused whole, nothing answered (the HTTP layer's 400). */
export class BatchTooLarge extends Error {
  readonly size: number;
  readonly limit = MAX_BATCH;

  constructor(size: number) {
    super(`batch_too_large:${size}`);
    this.size = size;
  }
}

/**
 * The dossier a question is about: one of Guichet's applications, by its number (the id people, pages and mandates
 * know it by; the row's own key never leaves Guichet), or a dossier an online service declared, by its own id.
 */
export type DossierRef = { kind: "application"; id: number } | { kind: "declared"; externalId: string };

/** The HTTP layer has turned the pairwise subject into a user id, and the service's code into its id. */
export type Question = {
  userId: number;
  organizationId: number;
  serviceId: number;
  action: DecisionAction;
  dossier?: DossierRef;
};

/** A person, as a chain names them. */
export type Person = { userCode: string; name: string };

/** Instants are ISO 8601 strings; days (until) are the last day a link holds, America/Montreal, inclusive. */
export type Link =
  | { kind: "servicesOfficer" }
  | { kind: "procuration"; id: number; until: Day }
  | { kind: "localManager" | "deputy"; since: string }
  | { kind: "association"; servicePointId: number; firm: { id: number; name: string }; since: string }
  | { kind: "right"; right: AccessRight; grantedBy: Person; since: string; until: Day | null }
  /** A mandate has no end date of its own: it ends with the agent's right, the dossier, or the manager's act. */
  | { kind: "mandate"; dossier: DossierRef; since: string; until: Day | null };

export type Answer = {
  allowed: boolean;
  /** The policy's reason code when denied. */
  reason: Reason | null;
  /** The chain that allows it, in order; when denied, the links found before the one missing. */
  because: Link[];
  /** The earliest last day among the chain's links (allowed only); null when none of them ends. */
  validUntil: Day | null;
};

/** One question. */
export async function decide(
  db: Kysely<DB>,
  now: Date,
  question: Question,
  cache: ReadCache = PASS_THROUGH,
): Promise<Answer> {
  const [answer] = await answerAll(db, now, [question], cache);
  if (!answer) throw new Error("decide: no answer");
  return answer;
}

/**
 * Up to MAX_BATCH questions, answered in order, in one statement for the whole batch: the facts of each distinct
 * (person, organization, service) are read once, each distinct dossier once.
 */
export async function decideBatch(
  db: Kysely<DB>,
  now: Date,
  questions: readonly Question[],
  cache: ReadCache = PASS_THROUGH,
): Promise<Answer[]> {
  if (questions.length > MAX_BATCH) throw new BatchTooLarge(questions.length);
  return answerAll(db, now, questions, cache);
}

export type ServiceAccess = { organization: { id: number; name: string }; actions: DecisionAction[] };

/**
 * What a person may do in a service, and for which organizations (the online service's menu): their own and those
 * where they hold a right or a role, each with the actions the policy allows there without naming a dossier (an
 * agent's dossier actions then need the dossier: their mandates name one each). Organizations with none are left out.
 */
export async function accessOf(
  db: Kysely<DB>,
  now: Date,
  userId: number,
  serviceId: number,
): Promise<ServiceAccess[]> {
  if (!Number.isSafeInteger(userId) || !Number.isSafeInteger(serviceId)) return [];
  const organizations = await q.findOrganizationsOfSubject(db, userId, serviceId);
  const questions = organizations.flatMap((organization) =>
    DECISION_ACTIONS.map((action) => ({ userId, organizationId: organization.id, serviceId, action })),
  );
  const answers = await answerAll(db, now, questions);
  const allowed = new Map<number, DecisionAction[]>();
  questions.forEach((question, index) => {
    if (!answers[index]?.allowed) return;
    allowed.set(question.organizationId, [...(allowed.get(question.organizationId) ?? []), question.action]);
  });
  return organizations.flatMap((organization) => {
    const actions = allowed.get(organization.id) ?? [];
    return actions.length > 0 ? [{ organization, actions }] : [];
  });
}

// --- Answering

function denied(reason: Reason): Answer {
  return { allowed: false, reason, because: [], validUntil: null };
}

/** What the database is asked for a question; null when an id could not name anything (not a safe integer). */
function keyOf(question: Question): q.FactsKey | null {
  const { userId, organizationId, serviceId, dossier } = question;
  if (![userId, organizationId, serviceId].every(Number.isSafeInteger)) return null;
  if (dossier?.kind === "application" && !Number.isSafeInteger(dossier.id)) return null;
  return {
    userId,
    organizationId,
    serviceId,
    applicationNumber: dossier?.kind === "application" ? dossier.id : null,
    externalId: dossier?.kind === "declared" ? dossier.externalId : null,
  };
}

function keyText(key: q.FactsKey): string {
  return JSON.stringify([
    key.userId,
    key.organizationId,
    key.serviceId,
    key.applicationNumber,
    key.externalId,
  ]);
}

async function answerAll(
  db: Kysely<DB>,
  now: Date,
  questions: readonly Question[],
  cache: ReadCache = PASS_THROUGH,
): Promise<Answer[]> {
  const keys = new Map<string, q.FactsKey>();
  for (const question of questions) {
    const key = keyOf(question);
    if (key) keys.set(keyText(key), key);
  }
  const distinct = [...keys.values()];
  const today = montrealDay(now);
  // The rows are shared with later hits of the cache: nothing below changes them.
  const rows = await cache.get(`decision-facts:${today}:${[...keys.keys()].join(",")}`, () =>
    q.findDecisionFacts(db, distinct, today),
  );
  const rowOf = new Map<string, q.DecisionRow>();
  for (const row of rows) {
    const key = distinct[row.n - 1];
    if (key) rowOf.set(keyText(key), row);
  }
  return questions.map((question) => {
    const key = keyOf(question);
    const row = key ? rowOf.get(keyText(key)) : undefined;
    return row ? answerOnce(question, row) : unknownOf(question);
  });
}

/**
 * The answers already given from each row: answer() is a function of the question and its row alone, and a row
 * served again by the cache is the same object, so its answers are too. A row read anew starts with none.
 */
const answered = new WeakMap<q.DecisionRow, Map<string, Answer>>();

function answerOnce(question: Question, row: q.DecisionRow): Answer {
  const { dossier } = question;
  const key = `${question.action}\u0000${dossier ? `${dossier.kind}:${dossier.kind === "declared" ? dossier.externalId : dossier.id}` : ""}`;
  let answers = answered.get(row);
  if (!answers) {
    answers = new Map();
    answered.set(row, answers);
  }
  let found = answers.get(key);
  if (!found) {
    found = answer(question, row);
    answers.set(key, found);
  }
  return found;
}

/** A question the database could not be asked: an id that is no id names nobody. */
function unknownOf(question: Question): Answer {
  if (!isDecisionAction(question.action)) return denied("no_rule");
  if (!Number.isSafeInteger(question.userId)) return denied("unknown_subject");
  if (!Number.isSafeInteger(question.organizationId)) return denied("unknown_organization");
  if (!Number.isSafeInteger(question.serviceId)) return denied("unknown_service");
  return denied("unknown_dossier");
}

/**
 * The answer to one question from its row. Who or what it names must exist first: an unknown or disabled person, an
 * unknown organization, service or dossier (or a dossier of another organization or service: one answer for both,
 * so that existence never leaks) is denied with its reason before the policy is asked. Then the policy decides, on
 * the registry's own facts, and the chain is told from the rows behind them.
 */
function answer(question: Question, row: q.DecisionRow): Answer {
  if (!isDecisionAction(question.action)) return denied("no_rule");
  if (row.user_id === null) return denied("unknown_subject");
  if (row.disabled) return denied("user_disabled");
  const actor = userActorOf(row);
  if (!row.organization_known) return denied("unknown_organization");
  if (row.ministry_id === null) return denied("unknown_service");
  const { dossier } = question;
  if (
    dossier &&
    (row.dossier_id === null ||
      row.dossier_organization_id !== question.organizationId ||
      row.dossier_service_id !== question.serviceId)
  )
    return denied("unknown_dossier");
  const facts = serviceFactsOf(row, row.ministry_id);
  const world: World = {
    actor,
    organizationId: question.organizationId,
    serviceId: question.serviceId,
    ministryId: row.ministry_id,
    facts,
    // As the application pages do: a mandate counts for someone who holds an agent right there.
    mandated: dossier !== undefined && isAgent(facts.right) && row.mandate_since !== null,
  };
  const { decision, groups } = explain(question.action, world);
  const because = groups.flatMap((group) => linksOf(group, question, world, row));
  return decision.allowed
    ? { allowed: true, reason: null, because, validUntil: earliest(because) }
    : { allowed: false, reason: decision.reason, because, validUntil: null };
}

function isAgent(right: AccessRight | null): boolean {
  return right === "agent.write" || right === "agent.read";
}

// --- The links

function iso(at: Date): string {
  return at.toISOString();
}

/** The links one group of a chain stands for, from the rows behind the facts. */
function linksOf(group: Group, question: Question, world: World, row: q.DecisionRow): Link[] {
  switch (group) {
    case "enterprise": {
      if (world.actor.isServicesOfficer) return [{ kind: "servicesOfficer" }];
      // The policy's own test picks the procurations that cover; the one lasting longest holds the chain longest.
      const covering = row.procurations
        .filter(
          (each) =>
            procurationCovers([{ ministryId: world.ministryId, ...each }], world.ministryId, world.serviceId)
              .allowed,
        )
        .sort((a, b) => b.until.localeCompare(a.until) || a.id - b.id);
      const best = covering[0];
      return best ? [{ kind: "procuration", id: best.id, until: best.until }] : [];
    }
    case "role": {
      if (row.local_manager_since) return [{ kind: "localManager", since: iso(row.local_manager_since) }];
      return row.deputy_since ? [{ kind: "deputy", since: iso(row.deputy_since) }] : [];
    }
    case "right": {
      // The facts say whether the right counts; the current grant row is that right.
      const right = world.facts.right;
      if (right === null || row.right_since === null) return [];
      const link: Link = {
        kind: "right",
        right,
        grantedBy: { userCode: row.granted_by_code ?? "", name: row.granted_by_name ?? "" },
        since: iso(row.right_since),
        until: row.right_until,
      };
      if (row.service_point_id === null || row.associated_at === null) return [link];
      const firm = { id: world.actor.organizationId, name: world.actor.organizationName };
      return [
        { kind: "association", servicePointId: row.service_point_id, firm, since: iso(row.associated_at) },
        link,
      ];
    }
    case "mandate": {
      const { dossier } = question;
      if (!dossier || !world.mandated || row.mandate_since === null) return [];
      return [{ kind: "mandate", dossier, since: iso(row.mandate_since), until: null }];
    }
  }
}

/** The earliest last day among the links; null when none ends. */
function earliest(links: readonly Link[]): Day | null {
  let first: Day | null = null;
  for (const link of links) {
    const until = "until" in link ? link.until : null;
    if (until !== null && (first === null || until < first)) first = until;
  }
  return first;
}
