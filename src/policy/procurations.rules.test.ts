// Truth table of the enterprise layer: acting for an organization with a ministry, written by hand from DOMAIN.md.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { UserActor } from "./actor.js";
import { can } from "./policy.js";
import type { ProcurationGrant } from "./procurations.rules.js";

const ORG_A = 1;
const ORG_B = 2;
const MAMH = 10;
const OTHER_MINISTRY = 11;
const PIQM = 100;
const TECQ = 101;

const plain: UserActor = {
  kind: "user",
  userId: 7,
  userCode: "PLAIN01",
  firstName: "A",
  lastName: "B",
  organizationId: ORG_A,
  organizationKind: "municipality",
  organizationName: "A",
  isServicesOfficer: false,
  isServiceAdmin: false,
  ministryUnitId: null,
};
const rse: UserActor = { ...plain, userId: 8, userCode: "RSE0001", isServicesOfficer: true };
const rseOfB: UserActor = { ...rse, userId: 9, organizationId: ORG_B };

const unrestricted: ProcurationGrant = { ministryId: MAMH, restricted: false, serviceIds: [] };
const piqmOnly: ProcurationGrant = { ministryId: MAMH, restricted: true, serviceIds: [PIQM] };
const otherMinistry: ProcurationGrant = { ministryId: OTHER_MINISTRY, restricted: false, serviceIds: [] };

type Row = [string, UserActor, number, readonly ProcurationGrant[], number | null, string];

// actor, organization acted for, valid procurations (today), service (or none) → expected
const ROWS: Row[] = [
  ["plain user, no procuration", plain, ORG_A, [], PIQM, "no_procuration"],
  ["plain user, unrestricted MAMH", plain, ORG_A, [unrestricted], PIQM, "Y"],
  ["plain user, unrestricted MAMH, no service", plain, ORG_A, [unrestricted], null, "Y"],
  ["plain user, restricted to PIQM, in PIQM", plain, ORG_A, [piqmOnly], PIQM, "Y"],
  ["plain user, restricted to PIQM, in TECQ", plain, ORG_A, [piqmOnly], TECQ, "service_not_covered"],
  ["plain user, restricted to PIQM, no service", plain, ORG_A, [piqmOnly], null, "service_not_covered"],
  [
    "plain user, procuration for another ministry only",
    plain,
    ORG_A,
    [otherMinistry],
    PIQM,
    "no_procuration",
  ],
  ["plain user, restricted plus unrestricted", plain, ORG_A, [piqmOnly, unrestricted], TECQ, "Y"],
  ["plain user acting for another organization", plain, ORG_B, [unrestricted], PIQM, "other_organization"],
  ["RSE, no procuration: holds them implicitly", rse, ORG_A, [], PIQM, "Y"],
  ["RSE acting for another organization", rseOfB, ORG_A, [], PIQM, "other_organization"],
];

test("acting with a ministry needs a valid procuration covering it, and the service when restricted", () => {
  const mismatches: string[] = [];
  for (const [name, actor, organizationId, procurations, serviceId, expected] of ROWS) {
    const decision = can(actor, "organization.actWithMinistry", {
      organizationId,
      ministryId: MAMH,
      serviceId,
      procurations,
    });
    const got = decision.allowed ? "Y" : decision.reason;
    if (got !== expected) mismatches.push(`${name}: expected ${expected}, got ${got}`);
  }
  assert.equal(ROWS.length, 11);
  assert.deepEqual(mismatches, []);
});

test("nobody anonymous acts for an organization", () => {
  const decision = can({ kind: "anonymous" }, "organization.actWithMinistry", {
    organizationId: ORG_A,
    ministryId: MAMH,
    serviceId: null,
    procurations: [unrestricted],
  });
  assert.deepEqual(decision, { allowed: false, reason: "not_authenticated" });
});
