// The exhaustive authorization matrix of issues #5 and #6: every actor kind × every action of the policy × the same
// and another organization × three services, each asked through the service layer against the real database. The
// expected answers are the table below, written by hand from DOMAIN.md's « Who may do what », never computed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AppError } from "../../src/errors.js";
import { findUserForOfficer } from "../../src/features/accounts/accounts.service.js";
import {
  assignMandate,
  createApplication,
  endMandate,
  getTransmittedForMinistry,
  listApplications,
  loadApplication,
  saveApplication,
  transmitApplication,
} from "../../src/features/applications/applications.service.js";
import {
  getRequest,
  listServicesWithoutManager,
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
import { reviewCompletion } from "../../src/features/reviews/reviews.service.js";
import { fileRequest } from "../../src/features/right-requests/right-requests.service.js";
import { newSubmissionKey } from "../../src/features/submissions/submissions.service.js";
import type { Actor } from "../../src/policy/actor.js";
import { ACTIONS, type Action, can, type Resources } from "../../src/policy/policy.js";
import { montrealDay } from "../../src/util/days.js";
import { startTestApp, type TestApp } from "../support/app.js";
import {
  APPLICATION_KINDS,
  type ApplicationWorld,
  buildMatrixWorld,
  type RegistryApplications,
} from "../support/application-world.js";
import {
  __,
  type Answer,
  FZ,
  type Group,
  NA,
  QUESTION_GROUPS,
  TABLES,
  type Table,
  Y,
} from "../support/authz-table.js";
import {
  ACTOR_KINDS,
  type AuthzWorld,
  ORGANIZATION_VARIANTS,
  type OrganizationVariant,
  SERVICE_VARIANTS,
  type ServiceVariant,
} from "../support/registry-fixtures.js";

let t: TestApp;
let world: AuthzWorld;
let applications: ApplicationWorld;

before(async () => {
  t = await startTestApp();
  ({ world, applications } = await buildMatrixWorld(t));
});
after(() => t.close());

// --- The table: test/support/authz-table.ts

/**
 * Actions that came after this matrix and have their own truth table and HTTP tests: file transfers (issue #7,
 * src/policy/file-transfers.rules.test.ts), whose recipients and senders are not registries of (O,S). Listed by
 * name so that any other new action fails this test until tabled.
 */
const OUTSIDE_MATRIX = [
  "fileTransfer.send",
  "fileTransfer.viewHistory",
  "fileTransfer.editDraft",
  "fileTransfer.viewInbox",
  "fileTransfer.download",
] as const satisfies readonly Action[];
type InMatrix = Exclude<Action, (typeof OUTSIDE_MATRIX)[number]>;
const IN_MATRIX = ACTIONS.filter(
  (action): action is InMatrix => !(OUTSIDE_MATRIX as readonly string[]).includes(action),
);
/**
 * Questions that are not actions of their own: a fact, and application actions asked again about another
 * application of the same registry than the one the action's own row is about (see ask).
 */
const OTHER_QUESTIONS = [
  "facts.right",
  "application.read, unmandated",
  "application.edit, unmandated",
  "application.transmit, unmandated",
  "application.edit, transmitted",
  "application.transmit, transmitted",
  "application.readAsMinistry, draft",
  "rightRequest.file, agent right",
] as const;
type Question = InMatrix | (typeof OTHER_QUESTIONS)[number];

/** Every action of the policy, and the one fact, with the table that answers it: the compiler wants them all. */
const GROUP_OF: Record<Question, Group> = QUESTION_GROUPS;

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

/** The service's answer in the table's words: its denial, or what `read` makes of its result (by default, allowed). */
async function answer<T>(run: () => Promise<T>, read: (result: T) => Answer = () => Y): Promise<Answer> {
  let result: T;
  try {
    result = await run();
  } catch (error) {
    return answerOf(error);
  }
  return read(result);
}

/**
 * A refusal of the form's field, which the service returns only once the actor is known to be allowed: allowed, or
 * the answer given (« frozen »). Any other result is unexpected.
 */
function refusedField(key: string, as: Answer = Y) {
  return (result: unknown) =>
    JSON.stringify(result).includes(`"key":"${key}"`) ? as : `unexpected:${JSON.stringify(result)}`;
}

/** An edit or a transmission from a stale revision; one of an application already transmitted, which is frozen. */
const STALE = refusedField("applications.staleRevision");
const FROZEN = refusedField("applications.alreadyTransmitted", FZ);

/** Which of the registry's applications a list shows, by kind; « other » for any application not of the registry. */
function listed(rows: readonly { number: number }[], registry: RegistryApplications): Answer {
  const numbers = new Set(rows.map((row) => row.number));
  const kinds = APPLICATION_KINDS.filter((kind) => numbers.delete(registry[kind]));
  return ["lists", ...kinds, ...(numbers.size > 0 ? ["other"] : [])].join(" ");
}

/**
 * The service-layer question behind each action. Registry, deputy and association actions, and « Gestion des
 * mandats » (whose list is of the actor's own organization, not of a target): checkService, which reads both layers
 * from the database. The others through their own service function, on a path that writes nothing (a read, a form
 * left empty, a stale revision, an already transmitted application, an agent who holds no agent right, a mandate
 * already ended: each refused after the authorization); where no service function takes the target, the policy's
 * rule with the actor as read back from a real session, the only fact those rules use. Application actions are
 * about the registry's draft, on which AW and AR hold mandates in (O,S), unless the question names another kind.
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
  const apps = applications.of(organization, service);
  const read = (number: number) =>
    answer(() => loadApplication(ctx, registry.service, number, "application.read"));
  // From revision 0, which no application ever had: stale, unless the application was transmitted.
  const edit = (number: number, refused: (result: unknown) => Answer) =>
    answer(
      () => saveApplication(ctx, registry.service, number, { revision: "0", fields: {}, locale: "fr" }),
      refused,
    );
  const transmit = (number: number, refused: (result: unknown) => Answer) =>
    answer(
      () => transmitApplication(ctx, registry.service, number, { revision: "0", locale: "fr" }),
      refused,
    );
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
    case "deputy.remove":
    case "mandate.view":
    case "journal.viewService":
    case "review.view":
    case "review.decide":
    case "rightRequest.decide": {
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
    // « Revue des accès »: launching a campaign for S would open campaigns (a write), so the rule is asked, as for
    // external services; the completion filtered to S goes through its service, as « Services sans gestionnaire ».
    case "review.launch":
    case "review.decideAsMinistry":
      return rule(question, { ministryId: registry.service.ministry_id });
    case "review.completion":
      return answer(() => reviewCompletion(ctx, { service: String(registry.service.id) }));
    // The services officer's history of O (or O2) and the lines they decide: the rule, about that organization.
    case "review.history":
    case "review.decideAsOfficer":
      return rule(question, { organizationId: person.organizationId });
    // « Services sans gestionnaire », filtered to S: another ministry's service is refused, never listed empty.
    case "serviceRole.listGaps":
      return answer(() => listServicesWithoutManager(ctx, { service: String(registry.service.id) }));
    // The service functions take a client of the actor's own ministry (another's is a 404, never a denial that would
    // tell it exists), so the question « may the actor manage S's external clients » is the rule's.
    case "externalService.manage":
      return rule(question, { ministryId: registry.service.ministry_id });
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
    case "account.resetFactors":
    case "profile.view":
    case "profile.changePassword":
    case "profile.manageFactors":
    case "profile.viewHistory":
    case "journal.viewOrganization":
      return rule(question, { organizationId: person.organizationId, userId: person.id });
    case "procuration.list":
    case "procuration.create":
      return rule(question, { organizationId: person.organizationId });
    case "accessRequest.file":
      return rule(question, {
        organizationId: (organization === "same" ? O : O2).id,
        organizationKind: "municipality",
      });
    case "mandate.assign":
      return answer(
        () => assignMandate(ctx, registry.service, apps.draft, world.users.staff.userCode),
        refusedField("applications.notAnAgent"),
      );
    case "mandate.end":
      return answer(
        () => endMandate(ctx, registry.service, apps.endedMandate),
        refusedField("applications.mandateAlreadyEnded"),
      );
    case "application.list":
      return answer(
        () => listApplications(ctx, registry),
        (rows) => listed(rows, apps),
      );
    case "application.create":
      return answer(
        () => createApplication(ctx, registry, { title: "", key: newSubmissionKey() }),
        refusedField("applications.title.required"),
      );
    case "application.read":
      return read(apps.draft);
    case "application.read, unmandated":
      return read(apps.unmandated);
    case "application.edit":
      return edit(apps.draft, STALE);
    case "application.edit, unmandated":
      return edit(apps.unmandated, STALE);
    case "application.edit, transmitted":
      return edit(apps.transmitted, FROZEN);
    case "application.transmit":
      return transmit(apps.draft, STALE);
    case "application.transmit, unmandated":
      return transmit(apps.unmandated, STALE);
    case "application.transmit, transmitted":
      return transmit(apps.transmitted, FROZEN);
    case "application.readAsMinistry":
      return answer(() => getTransmittedForMinistry(ctx, apps.transmitted));
    case "application.readAsMinistry, draft":
      return answer(() => getTransmittedForMinistry(ctx, apps.draft));
    // « Demander un accès », through the service: a message over the limit is refused once the actor may ask.
    case "rightRequest.file":
    case "rightRequest.file, agent right":
      return answer(
        () =>
          fileRequest(ctx, registry.service, {
            organization: String(registry.organizationId),
            right: question === "rightRequest.file" ? "requester.write" : "agent.write",
            dossier: "",
            message: "x".repeat(1001),
            submissionKey: newSubmissionKey(),
          }),
        (result) => {
          const key = result.ok ? "" : (result.errors.organisation?.key ?? result.errors.message?.key);
          if (key === "rightRequests.messageTooLong") return Y;
          if (key === "rightRequests.otherOrganization") return "other_organization";
          if (key === "rightRequests.notClient") return "not_client_organization";
          return `unexpected:${JSON.stringify(result)}`;
        },
      );
    case "facts.right": {
      if (actor.kind !== "user") return __;
      const facts = await loadServiceFacts(t.database.db, actor, registry, montrealDay(t.clock()));
      return facts.right ?? __;
    }
  }
}

test("authorization matrix: every actor kind, every action, same and other organization, three services", async () => {
  const questions: Question[] = [...IN_MATRIX, ...OTHER_QUESTIONS];
  assert.deepEqual(
    [...IN_MATRIX].sort(),
    Object.keys(GROUP_OF)
      .filter((question) => !(OTHER_QUESTIONS as readonly string[]).includes(question))
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
