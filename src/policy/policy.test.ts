// Truth tables for the account rules: the expected answers are written out by hand from DOMAIN.md, not computed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testUser } from "../../test/support/actors.js";
import { type Actor, ANONYMOUS, type UserActor } from "./actor.js";
import { ACTIONS, type Action, authorize, can, isAction } from "./policy.js";
import { reviewLineDecider } from "./reviews.rules.js";

const ORG_A = 1;
const ORG_B = 2;
const MINISTRY = 3;

function user(id: number, organizationId: number, extra: Partial<UserActor> = {}): UserActor {
  return testUser(id, organizationId, {
    organizationKind: organizationId === MINISTRY ? "ministry" : "municipality",
    ...extra,
  });
}

const actors: Record<string, Actor> = {
  anonymous: ANONYMOUS,
  "plain user of A": user(10, ORG_A),
  "RSE of A": user(11, ORG_A, { isServicesOfficer: true }),
  "RSE of B": user(20, ORG_B, { isServicesOfficer: true }),
  "service admin of the ministry": user(30, MINISTRY, { isServiceAdmin: true, ministryUnitId: 1 }),
  "RSE of the ministry": user(31, MINISTRY, { isServicesOfficer: true }),
};

// The target: user 12 of organization A (for list/create: organization A itself).
const target = { organizationId: ORG_A, userId: 12 };

/** Y = allowed, or the reason of the denial. Rows: actions; columns: the actors above, in order. */
const ACCOUNT_TABLE: Partial<Record<Action, string[]>> = {
  //                        anonymous            plain user of A         RSE of A   RSE of B              ministry admin          ministry RSE
  "account.list": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "account.create": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "account.view": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "account.edit": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "account.resetPassword": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "account.enable": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "account.disable": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "account.resetFactors": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  // « Journal des accès »: every event of the organization, for its RSE only.
  "journal.viewOrganization": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  // « Revue des accès »: the organization's history, and the lines its RSE decides (procuration holders, managers').
  "review.history": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "review.decideAsOfficer": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  // « Mon historique »: one's own, never another person's, not even for the RSE.
  "profile.viewHistory": [
    "not_authenticated",
    "not_own_account",
    "not_own_account",
    "not_own_account",
    "not_own_account",
    "not_own_account",
  ],
  "profile.view": [
    "not_authenticated",
    "not_own_account",
    "not_own_account",
    "not_own_account",
    "not_own_account",
    "not_own_account",
  ],
  "profile.changePassword": [
    "not_authenticated",
    "not_own_account",
    "not_own_account",
    "not_own_account",
    "not_own_account",
    "not_own_account",
  ],
  "profile.manageFactors": [
    "not_authenticated",
    "not_own_account",
    "not_own_account",
    "not_own_account",
    "not_own_account",
    "not_own_account",
  ],
};

// The target procuration: procuration 5 of organization A.
const procurationTarget = { organizationId: ORG_A, procurationId: 5 };

const PROCURATION_TABLE: Partial<Record<Action, string[]>> = {
  //                        anonymous            plain user of A         RSE of A   RSE of B              ministry admin          ministry RSE
  "procuration.list": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "procuration.create": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "procuration.view": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "procuration.change": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "procuration.assign": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
  "procuration.end": [
    "not_authenticated",
    "not_services_officer",
    "Y",
    "other_organization",
    "not_services_officer",
    "other_organization",
  ],
};

// The back office acts for the ministry that owns the service: here the ministry (organization 3).
const ministryTarget = { organizationId: MINISTRY, ministryId: MINISTRY };

const BACK_OFFICE_TABLE: Partial<Record<Action, string[]>> = {
  //                        anonymous            plain user of A       RSE of A              RSE of B              ministry admin ministry RSE
  // « Revue des accès »: launching a campaign for a service of the ministry, and its completion by organization.
  "review.decideAsMinistry": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
  "review.launch": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
  "review.completion": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
  "accessRequest.review": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
  "accessRequest.decide": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
  "serviceRole.search": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
  "serviceRole.nameDeputyAsAdmin": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
  "serviceRole.removeDeputyAsAdmin": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
  "serviceRole.listGaps": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
  "identificationCode.issue": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
  "externalService.manage": [
    "not_authenticated",
    "not_service_admin",
    "not_service_admin",
    "not_service_admin",
    "Y",
    "not_service_admin",
  ],
};

// Filing a request for organization A.
const fileTarget = { organizationId: ORG_A, organizationKind: "municipality" as const };

const FILE_TABLE: Partial<Record<Action, string[]>> = {
  //                        anonymous            plain user of A   RSE of A   RSE of B              ministry admin        ministry RSE
  "accessRequest.file": [
    "not_authenticated",
    "Y",
    "Y",
    "other_organization",
    "other_organization",
    "other_organization",
  ],
};

/** Actions whose resource carries more than an organization have their own tables elsewhere. */
const TABLED_ELSEWHERE: Action[] = [
  "organization.actWithMinistry",
  // registry.rules.test.ts
  "registry.view",
  "registry.grant",
  "registry.change",
  "registry.revoke",
  "registry.whoHasAccess",
  "deputy.name",
  "deputy.remove",
  "journal.viewService",
  "review.view",
  "review.decide",
  "association.view",
  "association.add",
  "association.remove",
  // applications.rules.test.ts
  "application.list",
  "application.create",
  "application.read",
  "application.edit",
  "application.transmit",
  "application.readAsMinistry",
  "mandate.view",
  "mandate.assign",
  "mandate.end",
  // right-requests.rules.test.ts
  "rightRequest.file",
  "rightRequest.decide",
  // file-transfers.rules.test.ts
  "fileTransfer.send",
  "fileTransfer.viewHistory",
  "fileTransfer.editDraft",
  "fileTransfer.viewInbox",
  "fileTransfer.download",
];

test("every action of the policy has a row in a truth table, and every row an action", () => {
  const tabled = [
    ...Object.keys(ACCOUNT_TABLE),
    ...Object.keys(PROCURATION_TABLE),
    ...Object.keys(BACK_OFFICE_TABLE),
    ...Object.keys(FILE_TABLE),
    ...TABLED_ELSEWHERE,
  ];
  assert.deepEqual([...ACTIONS].sort(), tabled.sort());
});

function checkTable(
  table: Partial<Record<Action, string[]>>,
  resource: { organizationId: number } & Record<string, unknown>,
) {
  const names = Object.keys(actors);
  let checked = 0;
  const mismatches: string[] = [];
  for (const [action, row] of Object.entries(table)) {
    assert.ok(isAction(action) && row);
    names.forEach((name, column) => {
      const actor = actors[name];
      assert.ok(actor);
      const decision = can(actor, action, {
        procurations: [],
        ministryId: 0,
        serviceId: null,
        organizationKind: "municipality",
        ...resource,
      });
      const got = decision.allowed ? "Y" : decision.reason;
      if (got !== row[column]) mismatches.push(`${action} by ${name}: expected ${row[column]}, got ${got}`);
      checked++;
    });
  }
  assert.equal(checked, Object.keys(table).length * names.length);
  assert.deepEqual(mismatches, []);
}

test("account rules match the truth table for every actor", () => {
  checkTable(ACCOUNT_TABLE, target);
});

test("procuration management rules match the truth table for every actor", () => {
  checkTable(PROCURATION_TABLE, procurationTarget);
});

test("back-office rules match the truth table: only the owning ministry's service administrators", () => {
  checkTable(BACK_OFFICE_TABLE, ministryTarget);
});

test("a service administrator of another ministry is refused by the back office", () => {
  const admin = actors["service admin of the ministry"];
  assert.ok(admin);
  assert.deepEqual(can(admin, "accessRequest.decide", { ministryId: 99 }), {
    allowed: false,
    reason: "other_ministry",
  });
  assert.deepEqual(can(admin, "externalService.manage", { ministryId: 99 }), {
    allowed: false,
    reason: "other_ministry",
  });
});

test("nobody decides their own line of an access review, whatever their role", () => {
  for (const actor of Object.values(actors)) {
    if (actor.kind !== "user") continue;
    assert.deepEqual(reviewLineDecider(actor, { subjectUserId: actor.userId }), {
      allowed: false,
      reason: "own_line",
    });
    assert.deepEqual(reviewLineDecider(actor, { subjectUserId: actor.userId + 1000 }), { allowed: true });
  }
});

test("any user of an organization may file an access request for it, and only for it", () => {
  checkTable(FILE_TABLE, fileTarget);
  const rse = actors["RSE of the ministry"];
  assert.ok(rse);
  assert.deepEqual(
    can(rse, "accessRequest.file", { organizationId: MINISTRY, organizationKind: "ministry" }),
    {
      allowed: false,
      reason: "not_client_organization",
    },
  );
});

test("a user may view their own profile and change their own password, whatever their role", () => {
  for (const actor of Object.values(actors)) {
    if (actor.kind !== "user") continue;
    const self = { organizationId: actor.organizationId, userId: actor.userId };
    assert.equal(can(actor, "profile.view", self).allowed, true);
    assert.equal(can(actor, "profile.changePassword", self).allowed, true);
    assert.equal(can(actor, "profile.manageFactors", self).allowed, true);
    assert.equal(can(actor, "profile.viewHistory", self).allowed, true);
  }
});

test("a services officer cannot disable their own account", () => {
  const rse = user(11, ORG_A, { isServicesOfficer: true });
  assert.deepEqual(can(rse, "account.disable", { organizationId: ORG_A, userId: 11 }), {
    allowed: false,
    reason: "own_account",
  });
  assert.equal(can(rse, "account.enable", { organizationId: ORG_A, userId: 11 }).allowed, true);
});

test("a services officer cannot reset their own second factors", () => {
  const rse = user(11, ORG_A, { isServicesOfficer: true });
  assert.deepEqual(can(rse, "account.resetFactors", { organizationId: ORG_A, userId: 11 }), {
    allowed: false,
    reason: "own_account",
  });
  assert.equal(can(rse, "account.resetFactors", { organizationId: ORG_A, userId: 12 }).allowed, true);
});

test("authorize throws a forbidden error carrying the action, reason and organization for the audit log", () => {
  const rseOfB = user(20, ORG_B, { isServicesOfficer: true });
  assert.throws(
    () => authorize(rseOfB, "account.edit", target),
    (error: unknown) => {
      assert.ok(error instanceof Error && "denial" in error && "status" in error);
      assert.equal(error.status, 403);
      assert.deepEqual(error.denial, {
        action: "account.edit",
        reason: "other_organization",
        organizationId: ORG_A,
        targetType: "user",
        targetId: "12",
      });
      return true;
    },
  );
  assert.throws(
    () => authorize(ANONYMOUS, "account.list", target),
    (error: unknown) => error instanceof Error && "status" in error && error.status === 401,
  );
});
