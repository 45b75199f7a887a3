// Truth tables for the registry rules, written by hand from DOMAIN.md's « Who may do what »: L and D see and manage
// the registry of (O,S); only L names or removes deputies; only the agent manager of (P,S) associates staff; and
// every one of them needs a valid procuration of their own organization covering the ministry and the service.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testUser } from "../../test/support/actors.js";
import { type Actor, ANONYMOUS, type UserActor } from "./actor.js";
import { type Action, can } from "./policy.js";
import {
  associationEligibility,
  deputyEligibility,
  type Grantee,
  rightEligibility,
  type ServiceFacts,
} from "./registry.rules.js";

const ORG_A = 1;
const ORG_B = 2;
const FIRM = 4;
const MINISTRY = 3;
const SERVICE = 10;
const OTHER_SERVICE = 11;
const POINT = 7;
const OTHER_POINT = 8;

const covering = [{ ministryId: MINISTRY, restricted: false, serviceIds: [] }];
const restrictedElsewhere = [{ ministryId: MINISTRY, restricted: true, serviceIds: [OTHER_SERVICE] }];

function user(id: number, organizationId: number, extra: Partial<UserActor> = {}): UserActor {
  return testUser(id, organizationId, {
    organizationKind:
      organizationId === FIRM ? "firm" : organizationId === MINISTRY ? "ministry" : "municipality",
    ...extra,
  });
}

const none: ServiceFacts = {
  roles: [],
  agentManagerOfPoint: null,
  right: null,
  associationId: null,
  procurations: [],
};

/** Each actor with the facts the database would return for them about (A, S) and about (FIRM, S). */
const ACTORS: { name: string; actor: Actor; registry: ServiceFacts; firm: ServiceFacts }[] = [
  { name: "anonymous", actor: ANONYMOUS, registry: none, firm: none },
  {
    name: "plain user of A with a procuration",
    actor: user(10, ORG_A),
    registry: { ...none, procurations: covering },
    firm: { ...none, procurations: covering },
  },
  {
    name: "L of A",
    actor: user(11, ORG_A),
    registry: { ...none, roles: ["local_manager"], procurations: covering },
    firm: { ...none, procurations: covering },
  },
  {
    name: "D of A",
    actor: user(12, ORG_A),
    registry: { ...none, roles: ["deputy"], procurations: covering },
    firm: { ...none, procurations: covering },
  },
  {
    name: "L of A whose procuration expired",
    actor: user(13, ORG_A),
    registry: { ...none, roles: ["local_manager"] },
    firm: none,
  },
  {
    name: "L of A with a procuration restricted to another service",
    actor: user(14, ORG_A),
    registry: { ...none, roles: ["local_manager"], procurations: restrictedElsewhere },
    firm: { ...none, procurations: restrictedElsewhere },
  },
  {
    name: "RSE of A who is L (holds every procuration of A)",
    actor: user(15, ORG_A, { isServicesOfficer: true }),
    registry: { ...none, roles: ["local_manager"] },
    firm: none,
  },
  {
    name: "Requérant – Rédaction of A",
    actor: user(16, ORG_A),
    registry: { ...none, right: "requester.write", procurations: covering },
    firm: { ...none, procurations: covering },
  },
  {
    name: "L of B",
    actor: user(20, ORG_B),
    registry: { ...none, procurations: covering },
    firm: { ...none, procurations: covering },
  },
  {
    name: "AM of the firm's point P",
    actor: user(40, FIRM),
    registry: { ...none, procurations: covering },
    firm: { ...none, agentManagerOfPoint: POINT, procurations: covering },
  },
  {
    name: "AM of the firm's other point",
    actor: user(41, FIRM),
    registry: { ...none, procurations: covering },
    firm: { ...none, agentManagerOfPoint: OTHER_POINT, procurations: covering },
  },
  {
    name: "AM of P whose procuration expired",
    actor: user(42, FIRM),
    registry: none,
    firm: { ...none, agentManagerOfPoint: POINT },
  },
  {
    name: "Mandataire – Rédaction of A (firm staff)",
    actor: user(43, FIRM),
    registry: { ...none, right: "agent.write", associationId: 5, procurations: covering },
    firm: { ...none, associationId: 5, procurations: covering },
  },
  {
    name: "service admin of the owning ministry",
    actor: user(30, MINISTRY, { isServiceAdmin: true, ministryUnitId: 1 }),
    registry: none,
    firm: none,
  },
];

const NA = "not_authenticated";
const OO = "other_organization";
const NP = "no_procuration";
const SC = "service_not_covered";
const NR = "not_registry_manager";
const NL = "not_local_manager";
const NM = "not_agent_manager";

// Columns, in the order of ACTORS: anon, user A, L, D, L expired, L restricted, RSE-L, RW, L of B, AM P, AM P2,
// AM expired, AW, ministry admin.
const REGISTRY_ROW = [NA, NR, "Y", "Y", NP, SC, "Y", NR, OO, OO, OO, OO, OO, OO];
const DEPUTY_ROW = [NA, NL, "Y", NL, NP, SC, "Y", NL, OO, OO, OO, OO, OO, OO];
const ASSOCIATION_ROW = [NA, OO, OO, OO, OO, OO, OO, OO, OO, "Y", NM, NP, NM, OO];

/** Y = allowed, or the reason of the denial, for the registry of (A, S). */
const REGISTRY_TABLE: Partial<Record<Action, string[]>> = {
  "registry.view": REGISTRY_ROW,
  "registry.grant": REGISTRY_ROW,
  "registry.change": REGISTRY_ROW,
  "registry.revoke": REGISTRY_ROW,
  "registry.whoHasAccess": REGISTRY_ROW,
  "deputy.name": DEPUTY_ROW,
  "deputy.remove": DEPUTY_ROW,
  // « Journal des accès » of (A, S): as the registry, L and D with a procuration covering S.
  "journal.viewService": REGISTRY_ROW,
  // « Revue des accès » of (A, S): its lines are the registry's, seen and decided by L and D (never their own).
  "review.view": REGISTRY_ROW,
  "review.decide": REGISTRY_ROW,
};

/** For the firm's service point P in S. */
const ASSOCIATION_TABLE: Partial<Record<Action, string[]>> = {
  "association.view": ASSOCIATION_ROW,
  "association.add": ASSOCIATION_ROW,
  "association.remove": ASSOCIATION_ROW,
};

function check(table: Partial<Record<Action, string[]>>, which: "registry" | "firm") {
  const mismatches: string[] = [];
  let checked = 0;
  for (const [action, row] of Object.entries(table)) {
    assert.ok(row && row.length === ACTORS.length, `row of ${action} has one answer per actor`);
    ACTORS.forEach(({ name, actor, registry, firm }, column) => {
      const resource =
        which === "registry"
          ? {
              organizationId: ORG_A,
              serviceId: SERVICE,
              ministryId: MINISTRY,
              servicePointId: -1,
              facts: registry,
            }
          : {
              organizationId: FIRM,
              serviceId: SERVICE,
              ministryId: MINISTRY,
              servicePointId: POINT,
              facts: firm,
            };
      const decision = can(actor, action as "registry.view", resource);
      const got = decision.allowed ? "Y" : decision.reason;
      if (got !== row[column]) mismatches.push(`${action} by ${name}: expected ${row[column]}, got ${got}`);
      checked++;
    });
  }
  return { checked, mismatches };
}

test("registry and deputy rules match the truth table for every actor", () => {
  const { checked, mismatches } = check(REGISTRY_TABLE, "registry");
  assert.equal(checked, Object.keys(REGISTRY_TABLE).length * ACTORS.length);
  assert.deepEqual(mismatches, []);
});

test("association rules match the truth table for every actor", () => {
  const { checked, mismatches } = check(ASSOCIATION_TABLE, "firm");
  assert.equal(checked, Object.keys(ASSOCIATION_TABLE).length * ACTORS.length);
  assert.deepEqual(mismatches, []);
});

const staffOfA: Grantee = {
  organizationId: ORG_A,
  organizationKind: "municipality",
  disabled: false,
  associationId: null,
  associationPointId: null,
};
const staffOfB: Grantee = { ...staffOfA, organizationId: ORG_B };
const associatedConsultant: Grantee = {
  organizationId: FIRM,
  organizationKind: "firm",
  disabled: false,
  associationId: 5,
  associationPointId: POINT,
};
const unassociatedConsultant: Grantee = {
  ...associatedConsultant,
  associationId: null,
  associationPointId: null,
};

test("who may receive which right, be a deputy, or be associated (truth table)", () => {
  const cases: [string, () => ReturnType<typeof can>, string][] = [
    ["requester right to A's staff", () => rightEligibility("requester.write", staffOfA, ORG_A), "Y"],
    [
      "requester right to B's staff",
      () => rightEligibility("requester.read", staffOfB, ORG_A),
      "grantee_other_organization",
    ],
    [
      "requester right to a disabled user",
      () => rightEligibility("requester.write", { ...staffOfA, disabled: true }, ORG_A),
      "grantee_disabled",
    ],
    [
      "requester right to a consultant",
      () => rightEligibility("requester.write", associatedConsultant, ORG_A),
      "grantee_other_organization",
    ],
    [
      "agent right to an associated consultant",
      () => rightEligibility("agent.write", associatedConsultant, ORG_A),
      "Y",
    ],
    [
      "agent right to a consultant not associated",
      () => rightEligibility("agent.read", unassociatedConsultant, ORG_A),
      "grantee_not_associated",
    ],
    [
      "agent right to A's own staff",
      () => rightEligibility("agent.write", staffOfA, ORG_A),
      "grantee_not_associated",
    ],
    ["deputy from A", () => deputyEligibility(staffOfA, ORG_A), "Y"],
    ["deputy from B", () => deputyEligibility(staffOfB, ORG_A), "grantee_other_organization"],
    [
      "deputy from the firm",
      () => deputyEligibility(associatedConsultant, ORG_A),
      "grantee_other_organization",
    ],
    ["disabled deputy", () => deputyEligibility({ ...staffOfA, disabled: true }, ORG_A), "grantee_disabled"],
    ["association of the firm's staff", () => associationEligibility(unassociatedConsultant, FIRM), "Y"],
    [
      "association of a municipal user",
      () => associationEligibility(staffOfA, FIRM),
      "grantee_other_organization",
    ],
  ];
  const mismatches = cases.flatMap(([label, decide, expected]) => {
    const decision = decide();
    const got = decision.allowed ? "Y" : decision.reason;
    return got === expected ? [] : [`${label}: expected ${expected}, got ${got}`];
  });
  assert.deepEqual(mismatches, []);
});
