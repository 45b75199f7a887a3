// Truth tables for applications and mandates, written by hand from DOMAIN.md: requesters of O reach all of O's
// applications in S (Consultation only reads); agents reach only mandated ones; managers reach none by their role;
// mandates are the business of L and D; the owning ministry's administrators read transmitted applications.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testUser } from "../../test/support/actors.js";
import { type Actor, ANONYMOUS, type UserActor } from "./actor.js";
import { type Action, can } from "./policy.js";
import type { ServiceFacts } from "./registry.rules.js";

const ORG_A = 1;
const ORG_B = 2;
const MINISTRY = 3;
const FIRM = 4;
const SERVICE = 10;

const covering = [{ ministryId: MINISTRY, restricted: false, serviceIds: [] }];
const none: ServiceFacts = {
  roles: [],
  agentManagerOfPoint: null,
  right: null,
  associationId: null,
  procurations: [],
};

function user(id: number, organizationId: number, extra: Partial<UserActor> = {}): UserActor {
  return testUser(id, organizationId, {
    organizationKind:
      organizationId === FIRM ? "firm" : organizationId === MINISTRY ? "ministry" : "municipality",
    ...extra,
  });
}

/** Each actor, the facts the database would give about (A, S), and whether they hold a mandate on the dossier. */
const ACTORS: { name: string; actor: Actor; facts: ServiceFacts; mandated: boolean }[] = [
  { name: "anonymous", actor: ANONYMOUS, facts: none, mandated: false },
  {
    name: "plain user of A",
    actor: user(10, ORG_A),
    facts: { ...none, procurations: covering },
    mandated: false,
  },
  {
    name: "L of A (no right)",
    actor: user(11, ORG_A),
    facts: { ...none, roles: ["local_manager"], procurations: covering },
    mandated: false,
  },
  {
    name: "D of A (no right)",
    actor: user(12, ORG_A),
    facts: { ...none, roles: ["deputy"], procurations: covering },
    mandated: false,
  },
  {
    name: "Requérant – Rédaction of A",
    actor: user(13, ORG_A),
    facts: { ...none, right: "requester.write", procurations: covering },
    mandated: false,
  },
  {
    name: "Requérant – Consultation of A",
    actor: user(14, ORG_A),
    facts: { ...none, right: "requester.read", procurations: covering },
    mandated: false,
  },
  {
    name: "Requérant – Rédaction of A whose procuration expired",
    actor: user(15, ORG_A),
    facts: { ...none, right: "requester.write" },
    mandated: false,
  },
  {
    name: "Mandataire – Rédaction, mandated",
    actor: user(40, FIRM),
    facts: { ...none, right: "agent.write", associationId: 1, procurations: covering },
    mandated: true,
  },
  {
    name: "Mandataire – Rédaction, not mandated",
    actor: user(41, FIRM),
    facts: { ...none, right: "agent.write", associationId: 2, procurations: covering },
    mandated: false,
  },
  {
    name: "Mandataire – Consultation, mandated",
    actor: user(42, FIRM),
    facts: { ...none, right: "agent.read", associationId: 3, procurations: covering },
    mandated: true,
  },
  {
    name: "associated staff without right",
    actor: user(43, FIRM),
    facts: { ...none, associationId: 4, procurations: covering },
    mandated: false,
  },
  { name: "user of B", actor: user(20, ORG_B), facts: { ...none, procurations: covering }, mandated: false },
  {
    name: "service admin of the owning ministry",
    actor: user(30, MINISTRY, { isServiceAdmin: true, ministryUnitId: 1 }),
    facts: none,
    mandated: false,
  },
];

const NA = "not_authenticated";
const NR = "no_right";
const RO = "read_only_right";
const NM = "not_mandated";
const NP = "no_procuration";
const OO = "other_organization";
const RM = "not_registry_manager";

// Columns: anon, user A, L, D, RW, RR, RW expired, AW mandated, AW not mandated, AR mandated, associated, user B, MA.
const TABLE: Partial<Record<Action, string[]>> = {
  "application.list": [NA, NR, NR, NR, "Y", "Y", NP, "Y", "Y", "Y", NR, NR, NR],
  "application.create": [NA, NR, NR, NR, "Y", RO, NP, "Y", "Y", RO, NR, NR, NR],
  "application.read": [NA, NR, NR, NR, "Y", "Y", NP, "Y", NM, "Y", NR, NR, NR],
  "application.edit": [NA, NR, NR, NR, "Y", RO, NP, "Y", NM, RO, NR, NR, NR],
  "application.transmit": [NA, NR, NR, NR, "Y", RO, NP, "Y", NM, RO, NR, NR, NR],
  "mandate.view": [NA, RM, "Y", "Y", RM, RM, NP, OO, OO, OO, OO, OO, OO],
  "mandate.assign": [NA, RM, "Y", "Y", RM, RM, NP, OO, OO, OO, OO, OO, OO],
  "mandate.end": [NA, RM, "Y", "Y", RM, RM, NP, OO, OO, OO, OO, OO, OO],
};

test("application and mandate rules match the truth table for every actor", () => {
  const mismatches: string[] = [];
  let checked = 0;
  for (const [action, row] of Object.entries(TABLE)) {
    assert.ok(row && row.length === ACTORS.length, `row of ${action} has one answer per actor`);
    ACTORS.forEach(({ name, actor, facts, mandated }, column) => {
      const resource = { organizationId: ORG_A, serviceId: SERVICE, ministryId: MINISTRY, facts, mandated };
      const decision = can(actor, action as "application.read", resource);
      const got = decision.allowed ? "Y" : decision.reason;
      if (got !== row[column]) mismatches.push(`${action} by ${name}: expected ${row[column]}, got ${got}`);
      checked++;
    });
  }
  assert.equal(checked, Object.keys(TABLE).length * ACTORS.length);
  assert.deepEqual(mismatches, []);
});

test("only the owning ministry's service administrators read transmitted applications", () => {
  const cases: [Actor, number, string][] = [
    [user(30, MINISTRY, { isServiceAdmin: true, ministryUnitId: 1 }), MINISTRY, "Y"],
    [user(31, 99, { isServiceAdmin: true, ministryUnitId: 2 }), MINISTRY, "other_ministry"],
    [user(32, MINISTRY), MINISTRY, "not_service_admin"],
    [user(13, ORG_A), MINISTRY, "not_service_admin"],
    [ANONYMOUS, MINISTRY, NA],
  ];
  const mismatches = cases.flatMap(([actor, ministryId, expected]) => {
    const decision = can(actor, "application.readAsMinistry", { ministryId });
    const got = decision.allowed ? "Y" : decision.reason;
    return got === expected
      ? []
      : [`${JSON.stringify(actor).slice(0, 40)}: expected ${expected}, got ${got}`];
  });
  assert.deepEqual(mismatches, []);
});
