// Truth tables of the file transfer rules, written by hand from DOMAIN.md and seed 004, not computed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testUser } from "../../test/support/actors.js";
import { ANONYMOUS, type UserActor } from "./actor.js";
import { authorize, can } from "./policy.js";
import type { ProcurationGrant } from "./procurations.rules.js";

const CITY = 1;
const BODY = 2;
const FIRM = 3;
const MAMH = 10;
const OTHER_MINISTRY = 11;
const TRANSFER_SERVICE = 100;
const PIQM = 101;
const PGA_EAU = 7;
const FDT = 8;

const user = testUser;

const unrestricted: ProcurationGrant = { ministryId: MAMH, restricted: false, serviceIds: [] };
const transfersOnly: ProcurationGrant = {
  ministryId: MAMH,
  restricted: true,
  serviceIds: [TRANSFER_SERVICE],
};
const piqmOnly: ProcurationGrant = { ministryId: MAMH, restricted: true, serviceIds: [PIQM] };
const otherMinistry: ProcurationGrant = { ministryId: OTHER_MINISTRY, restricted: false, serviceIds: [] };

type SendRow = [string, UserActor, number, readonly ProcurationGrant[], string];

// actor, organization sent for, the actor's valid procurations → expected, for sending to a MAMH recipient.
const SEND_ROWS: SendRow[] = [
  ["city user, unrestricted MAMH procuration", user(1, CITY), CITY, [unrestricted], "Y"],
  ["city user, restricted to Transfert de fichiers", user(1, CITY), CITY, [transfersOnly], "Y"],
  ["city user, restricted to PIQM only", user(1, CITY), CITY, [piqmOnly], "service_not_covered"],
  ["city user, procuration for another ministry", user(1, CITY), CITY, [otherMinistry], "no_procuration"],
  ["city user, no procuration", user(1, CITY), CITY, [], "no_procuration"],
  [
    "city RSE, no procuration: holds them implicitly",
    user(2, CITY, { isServicesOfficer: true }),
    CITY,
    [],
    "Y",
  ],
  ["body user, unrestricted", user(3, BODY, { organizationKind: "body" }), BODY, [unrestricted], "Y"],
  [
    "firm user, unrestricted",
    user(4, FIRM, { organizationKind: "firm" }),
    FIRM,
    [unrestricted],
    "not_sending_organization",
  ],
  [
    "firm RSE",
    user(5, FIRM, { organizationKind: "firm", isServicesOfficer: true }),
    FIRM,
    [],
    "not_sending_organization",
  ],
  [
    "ministry RSE",
    user(6, MAMH, { organizationKind: "ministry", isServicesOfficer: true }),
    MAMH,
    [],
    "not_sending_organization",
  ],
  ["city user sending for another organization", user(1, CITY), BODY, [unrestricted], "other_organization"],
];

test("sending (and reading the organization's history) needs a municipality or body and a procuration for the ministry", () => {
  const mismatches: string[] = [];
  for (const action of ["fileTransfer.send", "fileTransfer.viewHistory"] as const) {
    for (const [name, actor, organizationId, procurations, expected] of SEND_ROWS) {
      const decision = can(actor, action, {
        organizationId,
        ministryId: MAMH,
        serviceId: TRANSFER_SERVICE,
        procurations,
      });
      const got = decision.allowed ? "Y" : decision.reason;
      if (got !== expected) mismatches.push(`${action}, ${name}: expected ${expected}, got ${got}`);
    }
  }
  assert.equal(SEND_ROWS.length, 11);
  assert.deepEqual(mismatches, []);
});

type InboxRow = [string, UserActor, readonly number[], string];

const dgse = user(20, MAMH, { organizationKind: "ministry", ministryUnitId: 2 });
// actor, recipients the actor is staff of → expected, for PGA-Eau's inbox (a MAMH recipient).
const INBOX_ROWS: InboxRow[] = [
  ["ministry user assigned to PGA-Eau", dgse, [PGA_EAU], "Y"],
  ["ministry user assigned to PGA-Eau and FDT", dgse, [FDT, PGA_EAU], "Y"],
  ["ministry user assigned to FDT only", dgse, [FDT], "not_recipient_staff"],
  ["ministry user assigned to nothing", dgse, [], "not_recipient_staff"],
  [
    "service administrator, not assigned",
    user(21, MAMH, { organizationKind: "ministry", isServiceAdmin: true, ministryUnitId: 2 }),
    [],
    "not_recipient_staff",
  ],
  [
    "user of another ministry",
    user(22, OTHER_MINISTRY, { organizationKind: "ministry" }),
    [PGA_EAU],
    "other_ministry",
  ],
  ["city user, even with a row naming them", user(1, CITY), [PGA_EAU], "other_ministry"],
  ["city RSE", user(2, CITY, { isServicesOfficer: true }), [], "other_ministry"],
];

test("a recipient's inbox and files are for the staff of its ministry assigned to that recipient", () => {
  const mismatches: string[] = [];
  for (const action of ["fileTransfer.viewInbox", "fileTransfer.download"] as const) {
    for (const [name, actor, staffOf, expected] of INBOX_ROWS) {
      const decision = can(actor, action, { ministryId: MAMH, recipientId: PGA_EAU, staffOf });
      const got = decision.allowed ? "Y" : decision.reason;
      if (got !== expected) mismatches.push(`${action}, ${name}: expected ${expected}, got ${got}`);
    }
  }
  assert.equal(INBOX_ROWS.length, 8);
  assert.deepEqual(mismatches, []);
});

test("a draft is its author's alone, even within the organization", () => {
  const author = user(1, CITY);
  const colleague = user(9, CITY, { isServicesOfficer: true });
  const stranger = user(3, BODY, { organizationKind: "body" });
  const draft = { organizationId: CITY, draftUserId: author.userId };
  assert.deepEqual(can(author, "fileTransfer.editDraft", draft), { allowed: true });
  assert.deepEqual(can(colleague, "fileTransfer.editDraft", draft), {
    allowed: false,
    reason: "not_own_draft",
  });
  assert.deepEqual(can(stranger, "fileTransfer.editDraft", draft), {
    allowed: false,
    reason: "other_organization",
  });
  assert.deepEqual(can(ANONYMOUS, "fileTransfer.editDraft", draft), {
    allowed: false,
    reason: "not_authenticated",
  });
});

test("a refused download carries its reason and the sender's organization for the audit log", () => {
  assert.throws(
    () =>
      authorize(user(1, CITY), "fileTransfer.download", {
        ministryId: MAMH,
        recipientId: PGA_EAU,
        staffOf: [],
        organizationId: CITY,
      }),
    (error: unknown) => {
      assert.ok(error instanceof Error && "denial" in error && "status" in error);
      assert.equal(error.status, 403);
      assert.deepEqual(error.denial, {
        action: "fileTransfer.download",
        reason: "other_ministry",
        organizationId: CITY,
        targetType: "ministry",
        targetId: String(MAMH),
      });
      return true;
    },
  );
});
