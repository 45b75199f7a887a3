// Truth tables for « Demander un accès »: who may ask for which right for which organization, and who decides. The
// expected answers are written out by hand from DOMAIN.md (« ask for a right »: any user of O; an agent for a client
// O; « approve or refuse a right request »: L, D of (O,S), as granting), not computed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testUser } from "../../test/support/actors.js";
import type { AccessRight, OrganizationKind } from "../db/schema.js";
import { type Actor, ANONYMOUS } from "./actor.js";
import type { Decision } from "./decision.js";
import { can } from "./policy.js";
import type { ServiceFacts } from "./registry.rules.js";

const CITY = 1;
const OTHER_CITY = 2;
const BODY = 3;
const FIRM = 4;
const OTHER_FIRM = 5;
const MINISTRY = 6;

const KIND: Record<number, OrganizationKind> = {
  [CITY]: "municipality",
  [OTHER_CITY]: "municipality",
  [BODY]: "body",
  [FIRM]: "firm",
  [OTHER_FIRM]: "firm",
  [MINISTRY]: "ministry",
};

const actors: Record<string, Actor> = {
  anonymous: ANONYMOUS,
  "staff of the city": testUser(10, CITY),
  "RSE of the city": testUser(11, CITY, { isServicesOfficer: true }),
  "staff of the body": testUser(12, BODY, { organizationKind: "body" }),
  "firm staff": testUser(13, FIRM, { organizationKind: "firm" }),
  "ministry staff": testUser(14, MINISTRY, { organizationKind: "ministry", isServiceAdmin: true }),
};

const Y = "Y";
const NA = "not_authenticated";
const OO = "other_organization";
const NC = "not_client_organization";

/** Rows: (organization asked for, right); columns: the actors above, in order. */
const FILE_TABLE: [number, AccessRight, string[]][] = [
  //                                anonymous  city staff  city RSE  body staff  firm staff  ministry
  [CITY, "requester.write", [NA, Y, Y, OO, OO, OO]],
  [CITY, "requester.read", [NA, Y, Y, OO, OO, OO]],
  [OTHER_CITY, "requester.read", [NA, OO, OO, OO, OO, OO]],
  [BODY, "requester.read", [NA, OO, OO, Y, OO, OO]],
  // A firm's own staff may ask for a requester right in the firm's registry; nobody asks for an agent right there.
  [FIRM, "requester.write", [NA, OO, OO, OO, Y, OO]],
  [CITY, "agent.write", [NA, NC, NC, NC, Y, NC]],
  [CITY, "agent.read", [NA, NC, NC, NC, Y, NC]],
  [OTHER_CITY, "agent.read", [NA, NC, NC, NC, Y, NC]],
  [BODY, "agent.write", [NA, NC, NC, NC, Y, NC]],
  [FIRM, "agent.read", [NA, NC, NC, NC, NC, NC]],
  [OTHER_FIRM, "agent.read", [NA, NC, NC, NC, NC, NC]],
  // A ministry's registry is nobody's to ask for: it administers the services.
  [MINISTRY, "requester.read", [NA, NC, NC, NC, NC, NC]],
  [MINISTRY, "agent.read", [NA, NC, NC, NC, NC, NC]],
];

test("« ask for a right »: a requester right for one's own organization, an agent right for a firm's client", () => {
  const names = Object.keys(actors);
  const mismatches: string[] = [];
  for (const [organizationId, right, row] of FILE_TABLE) {
    names.forEach((name, column) => {
      const actor = actors[name];
      assert.ok(actor);
      const decision = can(actor, "rightRequest.file", {
        organizationId,
        organizationKind: KIND[organizationId] ?? "municipality",
        right,
      });
      const got = decision.allowed ? Y : decision.reason;
      if (got !== row[column])
        mismatches.push(`${name} asks ${right} for ${organizationId}: ${got}, not ${row[column]}`);
    });
  }
  assert.deepEqual(mismatches, []);
});

const facts = (over: Partial<ServiceFacts>): ServiceFacts => ({
  roles: [],
  agentManagerOfPoint: null,
  right: null,
  associationId: null,
  procurations: [{ ministryId: MINISTRY, restricted: false, serviceIds: [] }],
  ...over,
});

/** Rows: the facts of the city's staff member in the city's registry; the answer of « approve or refuse a request ». */
const DECIDE_TABLE: [string, ServiceFacts, number, string][] = [
  ["local manager with a procuration", facts({ roles: ["local_manager"] }), CITY, Y],
  ["deputy with a procuration", facts({ roles: ["deputy"] }), CITY, Y],
  ["a requester, no role", facts({ right: "requester.write" }), CITY, "not_registry_manager"],
  [
    "local manager, no procuration",
    facts({ roles: ["local_manager"], procurations: [] }),
    CITY,
    "no_procuration",
  ],
  [
    "local manager, procuration restricted to other services",
    facts({
      roles: ["local_manager"],
      procurations: [{ ministryId: MINISTRY, restricted: true, serviceIds: [99] }],
    }),
    CITY,
    "service_not_covered",
  ],
  ["a role at another organization's registry", facts({ roles: ["local_manager"] }), OTHER_CITY, OO],
];

test("« approve or refuse a right request »: the local manager and deputies of (O,S) with a procuration covering S", () => {
  const staff = actors["staff of the city"];
  assert.ok(staff);
  for (const [label, given, organizationId, expected] of DECIDE_TABLE) {
    const decision: Decision = can(staff, "rightRequest.decide", {
      organizationId,
      serviceId: 7,
      ministryId: MINISTRY,
      facts: given,
    });
    assert.equal(decision.allowed ? Y : decision.reason, expected, label);
    // As granting: the same answer as « registry.grant » on the same facts.
    const grant: Decision = can(staff, "registry.grant", {
      organizationId,
      serviceId: 7,
      ministryId: MINISTRY,
      facts: given,
    });
    assert.deepEqual(decision, grant, label);
  }
  assert.equal(
    can(ANONYMOUS, "rightRequest.decide", {
      organizationId: CITY,
      serviceId: 7,
      ministryId: MINISTRY,
      facts: facts({}),
    }).allowed,
    false,
  );
});
