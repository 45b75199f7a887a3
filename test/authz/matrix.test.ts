// The exhaustive authorization matrix of issue #5: every actor kind × every action of the policy × the same and
// another organization × three services, each asked through the service layer against the real database. The
// expected answers are the table below, written by hand from DOMAIN.md's « Who may do what », never computed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AppError } from "../../src/errors.js";
import { findUserForOfficer } from "../../src/features/accounts/accounts.service.js";
import {
  getRequest,
  nameDeputy as nameDeputyAsAdmin,
  searchManagers,
} from "../../src/features/back-office/back-office.service.js";
import { searchMunicipalitiesForCodes } from "../../src/features/identification-codes/identification-codes.service.js";
import {
  authorizeMinistryAct,
  getProcuration,
} from "../../src/features/procurations/procurations.service.js";
import {
  checkService,
  loadServiceFacts,
  removeDeputy,
} from "../../src/features/registry/registry.service.js";
import type { Actor } from "../../src/policy/actor.js";
import { ACTIONS, type Action, can, type Resources } from "../../src/policy/policy.js";
import { montrealDay } from "../../src/util/days.js";
import { startTestApp, type TestApp } from "../support/app.js";
import {
  ACTOR_KINDS,
  type AuthzWorld,
  buildAuthzWorld,
  ORGANIZATION_VARIANTS,
  type OrganizationVariant,
  SERVICE_VARIANTS,
  type ServiceVariant,
} from "../support/registry-fixtures.js";

let t: TestApp;
let world: AuthzWorld;

before(async () => {
  t = await startTestApp();
  world = await buildAuthzWorld(t);
});
after(() => t.close());

// --- The table

/** Allowed, a denial's reason, or (for « facts.right ») the right the registry holds for the actor, « - » for none. */
type Answer = string;
const Y = "Y";
const NA = "not_authenticated";
const OO = "other_organization";
const NP = "no_procuration";
const SC = "service_not_covered";
const NR = "not_registry_manager";
const NL = "not_local_manager";
const NM = "not_agent_manager";
const NSO = "not_services_officer";
const NSA = "not_service_admin";
const OM = "other_ministry";
const NOA = "not_own_account";
const __ = "-";

type Row = readonly Answer[];
type Table = Record<OrganizationVariant, Record<ServiceVariant, Row>>;

/** The same row in the three services: the question does not depend on the service. */
function everywhere(row: Row): Record<ServiceVariant, Row> {
  return { S: row, S2: row, S3: row };
}

/** Roles never leak across organizations: from O2's registry (or F2's point) everyone but the visitor is refused. */
const OTHER_ORGANIZATION = everywhere([NA, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO]);

// Columns, in the order of ACTOR_KINDS:
//   anon  user  RSE   L     D     RW    RR    AM    AMo   staff AW    AR    MA    MA2   Dexp  RWrev RWpast
const TABLES = {
  // « see the registry of (O,S) » and « grant / change / revoke »: L, D, with a procuration covering S. The RSE
  // holds every procuration of O implicitly, but no role. Reading: « Qui a accès » is the registry seen another way.
  registry: {
    same: {
      S: [NA, NR, NR, Y, Y, NR, NR, OO, OO, OO, OO, OO, OO, OO, NP, NR, NR],
      S2: [NA, NR, NR, NR, NR, NR, NR, OO, OO, OO, OO, OO, OO, OO, NP, NR, NR],
      S3: [NA, NR, NR, SC, SC, NR, NR, OO, OO, OO, OO, OO, OO, OO, NP, NR, NR],
    },
    other: OTHER_ORGANIZATION,
  },
  // « name / remove a deputy »: L only; a deputy cannot.
  deputy: {
    same: {
      S: [NA, NL, NL, Y, NL, NL, NL, OO, OO, OO, OO, OO, OO, OO, NP, NL, NL],
      S2: [NA, NL, NL, NL, NL, NL, NL, OO, OO, OO, OO, OO, OO, OO, NP, NL, NL],
      S3: [NA, NL, NL, SC, SC, NL, NL, OO, OO, OO, OO, OO, OO, OO, NP, NL, NL],
    },
    other: OTHER_ORGANIZATION,
  },
  // « associate / dissociate firm staff to S »: the AM of (P,S), about point P of their own firm. Reading: seeing
  // the point's associations is part of managing them. The AM also manages P1; AMo manages P3, not P.
  association: {
    same: {
      S: [NA, OO, OO, OO, OO, OO, OO, Y, NM, NM, NM, NM, OO, OO, OO, OO, OO],
      S2: [NA, OO, OO, OO, OO, OO, OO, NM, NM, NM, NM, NM, OO, OO, OO, OO, OO],
      S3: [NA, OO, OO, OO, OO, OO, OO, SC, NM, NM, NM, NM, OO, OO, OO, OO, OO],
    },
    other: OTHER_ORGANIZATION,
  },
  // The enterprise layer for O and S's ministry: a valid procuration of one's own organization (the RSE holds them
  // all), covering the service when restricted; an expired one acts as none. A firm's staff never act for O.
  enterprise: {
    same: {
      S: [NA, Y, Y, Y, Y, Y, Y, OO, OO, OO, OO, OO, OO, OO, NP, Y, Y],
      S2: [NA, Y, Y, Y, Y, Y, Y, OO, OO, OO, OO, OO, OO, OO, NP, Y, Y],
      S3: [NA, Y, Y, SC, SC, Y, Y, OO, OO, OO, OO, OO, OO, OO, NP, Y, Y],
    },
    other: OTHER_ORGANIZATION,
  },
  // « approve or reject an access request », « replace a manager », a deputy « when there is no L able to », the
  // managers' search and identification codes: the service administrators of the ministry that owns S, for any
  // organization. Reading: DOMAIN.md leaves « no L able to » to the administrator's judgment, so the rule does
  // not test it; identification codes are the owning ministry's too (the municipality's letter comes from it).
  ministry: {
    same: everywhere([NA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, Y, OM, NSA, NSA, NSA]),
    other: everywhere([NA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, Y, OM, NSA, NSA, NSA]),
  },
  // « create a user account, edit a profile, reset a password », « create, assign, end a procuration »: the RSE of
  // the organization. Reading: listing and viewing them too; anyone not an RSE is refused as such first.
  servicesOfficer: {
    same: everywhere([NA, NSO, Y, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO]),
    other: everywhere([NA, NSO, OO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO]),
  },
  // One's own profile and password, about the plain user of O (same) or a user of O2 (other).
  ownProfile: {
    same: everywhere([NA, Y, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA]),
    other: everywhere([NA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA]),
  },
  // « file an access request for (O,S) »: any user of O. Reading: the procuration is the enterprise layer's
  // separate question (above), which the filing pages also ask; a ministry does not file.
  fileRequest: {
    same: everywhere([NA, Y, Y, Y, Y, Y, Y, OO, OO, OO, OO, OO, OO, OO, Y, Y, Y]),
    other: OTHER_ORGANIZATION,
  },
  // Not an action: the right the registry of (O or O2, S) gives the actor, as the service layer reads it. A right
  // revoked or past its last day is none; RR also holds one in (O,S3), out of everyone's reach at O.
  right: {
    same: {
      S: [
        __,
        __,
        __,
        __,
        __,
        "requester.write",
        "requester.read",
        __,
        __,
        __,
        "agent.write",
        "agent.read",
        __,
        __,
        __,
        __,
        __,
      ],
      S2: [__, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __],
      S3: [__, __, __, __, __, __, "requester.read", __, __, __, __, __, __, __, __, __, __],
    },
    other: everywhere([__, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __]),
  },
} as const satisfies Record<string, Table>;

type Group = keyof typeof TABLES;

/**
 * Actions that came after this matrix and have their own truth tables and HTTP tests: file transfers (issue #7,
 * src/policy/file-transfers.rules.test.ts) and applications and mandates (issue #6, applications.rules.test.ts),
 * whose matrix is still to be written. Listed by name so that any other new action fails this test until tabled.
 */
const OUTSIDE_MATRIX = [
  "fileTransfer.send",
  "fileTransfer.viewHistory",
  "fileTransfer.editDraft",
  "fileTransfer.viewInbox",
  "fileTransfer.download",
  "application.list",
  "application.create",
  "application.read",
  "application.edit",
  "application.transmit",
  "application.readAsMinistry",
  "mandate.view",
  "mandate.assign",
  "mandate.end",
] as const satisfies readonly Action[];
type InMatrix = Exclude<Action, (typeof OUTSIDE_MATRIX)[number]>;
const IN_MATRIX = ACTIONS.filter(
  (action): action is InMatrix => !(OUTSIDE_MATRIX as readonly string[]).includes(action),
);
type Question = InMatrix | "facts.right";

/** Every action of the policy, and the one fact, with the table that answers it: the compiler wants them all. */
const GROUP_OF: Record<Question, Group> = {
  "account.list": "servicesOfficer",
  "account.create": "servicesOfficer",
  "account.view": "servicesOfficer",
  "account.edit": "servicesOfficer",
  "account.resetPassword": "servicesOfficer",
  "account.enable": "servicesOfficer",
  "account.disable": "servicesOfficer",
  "profile.view": "ownProfile",
  "profile.changePassword": "ownProfile",
  "procuration.list": "servicesOfficer",
  "procuration.create": "servicesOfficer",
  "procuration.view": "servicesOfficer",
  "procuration.change": "servicesOfficer",
  "procuration.assign": "servicesOfficer",
  "procuration.end": "servicesOfficer",
  "organization.actWithMinistry": "enterprise",
  "accessRequest.file": "fileRequest",
  "accessRequest.review": "ministry",
  "accessRequest.decide": "ministry",
  "serviceRole.search": "ministry",
  "serviceRole.nameDeputyAsAdmin": "ministry",
  "serviceRole.removeDeputyAsAdmin": "ministry",
  "identificationCode.issue": "ministry",
  "registry.view": "registry",
  "registry.grant": "registry",
  "registry.change": "registry",
  "registry.revoke": "registry",
  "registry.whoHasAccess": "registry",
  "deputy.name": "deputy",
  "deputy.remove": "deputy",
  "association.view": "association",
  "association.add": "association",
  "association.remove": "association",
  "facts.right": "right",
};

// --- Asking the service layer

/** A denial as the services throw it, in the table's words. */
function answerOf(error: unknown): Answer {
  if (error instanceof AppError) {
    if (error.denial) return error.denial.reason;
    if (error.code === "unauthenticated") return NA;
    return `error:${error.code}`;
  }
  throw error;
}

async function answer(run: () => Promise<unknown>, allowed: (result: unknown) => boolean = () => true) {
  try {
    const result = await run();
    return allowed(result) ? Y : `unexpected:${JSON.stringify(result)}`;
  } catch (error) {
    return answerOf(error);
  }
}

/** A refusal of the form's field, which the service returns only once the actor is known to be allowed. */
function refusedField(key: string) {
  return (result: unknown) => JSON.stringify(result).includes(`"key":"${key}"`);
}

/**
 * The service-layer question behind each action. Registry, deputy and association actions: checkService, which
 * reads both layers from the database. The others through their own service function, on a path that writes
 * nothing (a read, or a form left empty that is refused after the authorization); where no service function takes
 * the target, the policy's rule with the actor as read back from a real session, the only fact those rules use.
 */
async function ask(
  actor: Actor,
  question: Question,
  organization: OrganizationVariant,
  service: ServiceVariant,
): Promise<Answer> {
  const ctx = t.ctx(actor);
  const registry = world.registryTarget(organization, service);
  const point = world.pointTarget(organization, service);
  const { O, O2 } = world.organizations;
  const person = organization === "same" ? world.users.plain : world.users.staffO2;
  const procurationId = organization === "same" ? world.procurations.O : world.procurations.O2;
  const rule = <A extends Action>(action: A, resource: Resources[A]) => {
    const decision = can(actor, action, resource);
    return decision.allowed ? Y : decision.reason;
  };
  switch (question) {
    case "registry.view":
    case "registry.grant":
    case "registry.change":
    case "registry.revoke":
    case "registry.whoHasAccess":
    case "deputy.name":
    case "deputy.remove": {
      const decision = await checkService(ctx, question, registry);
      return decision.allowed ? Y : decision.reason;
    }
    case "association.view":
    case "association.add":
    case "association.remove": {
      const decision = await checkService(ctx, question, point);
      return decision.allowed ? Y : decision.reason;
    }
    case "organization.actWithMinistry":
      return answer(() =>
        authorizeMinistryAct(ctx, {
          ministryId: registry.service.ministry_id,
          serviceId: registry.service.id,
          organizationId: registry.organizationId,
        }),
      );
    case "accessRequest.review":
    case "accessRequest.decide": {
      const requestId = world.requests.get(`${organization}/${service}`) ?? -1;
      return answer(() => getRequest(ctx, requestId, question));
    }
    case "serviceRole.search":
      return answer(() =>
        searchManagers(ctx, {
          organization: "",
          organizationId: String(registry.organizationId),
          service: String(registry.service.id),
        }),
      );
    case "serviceRole.nameDeputyAsAdmin":
      return answer(
        () =>
          nameDeputyAsAdmin(ctx, {
            organizationId: String(registry.organizationId),
            serviceId: String(registry.service.id),
            userCode: "",
          }),
        refusedField("backOffice.managers.deputyCodeRequired"),
      );
    case "serviceRole.removeDeputyAsAdmin":
      return answer(
        () => removeDeputy(ctx, registry, 0, "ministry"),
        refusedField("registry.deputyNotFound"),
      );
    case "identificationCode.issue":
      return answer(() => searchMunicipalitiesForCodes(ctx, ""));
    case "account.view":
      return answer(() => findUserForOfficer(ctx, person.userCode));
    case "procuration.view":
    case "procuration.change":
    case "procuration.assign":
    case "procuration.end":
      return answer(() => getProcuration(ctx, procurationId, question));
    case "account.list":
    case "account.create":
    case "account.edit":
    case "account.resetPassword":
    case "account.enable":
    case "account.disable":
    case "profile.view":
    case "profile.changePassword":
      return rule(question, { organizationId: person.organizationId, userId: person.id });
    case "procuration.list":
    case "procuration.create":
      return rule(question, { organizationId: person.organizationId });
    case "accessRequest.file":
      return rule(question, {
        organizationId: (organization === "same" ? O : O2).id,
        organizationKind: "municipality",
      });
    case "facts.right": {
      if (actor.kind !== "user") return __;
      const facts = await loadServiceFacts(t.database.db, actor, registry, montrealDay(t.clock()));
      return facts.right ?? __;
    }
  }
}

test("authorization matrix: every actor kind, every action, same and other organization, three services", async () => {
  const questions: Question[] = [...IN_MATRIX, "facts.right"];
  assert.deepEqual(
    [...IN_MATRIX].sort(),
    Object.keys(GROUP_OF)
      .filter((question) => question !== "facts.right")
      .sort(),
    "the matrix has a row for every action of the policy, and only those",
  );
  const mismatches: string[] = [];
  let checked = 0;
  for (const question of questions) {
    const table: Table = TABLES[GROUP_OF[question]];
    for (const organization of ORGANIZATION_VARIANTS) {
      for (const service of SERVICE_VARIANTS) {
        const row = table[organization][service];
        assert.equal(
          row.length,
          ACTOR_KINDS.length,
          `${question} ${organization} ${service}: one answer per actor`,
        );
        for (const [column, kind] of ACTOR_KINDS.entries()) {
          const actor = world.actors.get(kind);
          assert.ok(actor, kind);
          const got = await ask(actor, question, organization, service);
          checked++;
          if (got !== row[column]) {
            mismatches.push(
              `${question} by ${kind} on ${organization}/${service}: expected ${row[column]}, got ${got}`,
            );
          }
        }
      }
    }
  }
  console.log(`authorization matrix: ${checked} cases checked, ${mismatches.length} mismatches`);
  assert.equal(
    checked,
    ACTOR_KINDS.length * questions.length * ORGANIZATION_VARIANTS.length * SERVICE_VARIANTS.length,
  );
  assert.deepEqual(mismatches, []);
});
