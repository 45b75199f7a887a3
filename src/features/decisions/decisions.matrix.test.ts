// The authorization matrix of test/authz/matrix.test.ts asked a second time, through the decision API, for the actions
// it exposes: the same world, the same expected table written by hand from DOMAIN.md, 0 mismatches. Each question is
// asked alone (decide) and again in batches (decideBatch), which must answer the same.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestApp, type TestApp } from "../../../test/support/app.js";
import {
  type ApplicationKind,
  type ApplicationWorld,
  buildApplicationWorld,
} from "../../../test/support/application-world.js";
import {
  ALL,
  type Answer,
  FZ,
  type Group,
  MND,
  NA,
  TABLES,
  type Table,
  Y,
} from "../../../test/support/authz-table.js";
import {
  ACTOR_KINDS,
  type ActorKind,
  type AuthzWorld,
  buildAuthzWorld,
  ORGANIZATION_VARIANTS,
  type OrganizationVariant,
  SERVICE_VARIANTS,
  type ServiceVariant,
} from "../../../test/support/registry-fixtures.js";
import {
  DECISION_ACTIONS,
  type DecisionAction,
  decide,
  decideBatch,
  MAX_BATCH,
  type Question,
} from "./decisions.service.js";

let t: TestApp;
let world: AuthzWorld;
let applications: ApplicationWorld;

before(async () => {
  t = await startTestApp();
  world = await buildAuthzWorld(t);
  applications = await buildApplicationWorld(t, world);
});
after(() => t.close());

// --- The table: the one of test/authz/matrix.test.ts (test/support/authz-table.ts), for the exposed actions.

/** The application actions asked again about the registry's other applications, as the matrix does. */
const OTHER_DOSSIERS = {
  "application.read, unmandated": ["application.read", "unmandated"],
  "application.edit, unmandated": ["application.edit", "unmandated"],
  "application.transmit, unmandated": ["application.transmit", "unmandated"],
  "application.edit, transmitted": ["application.edit", "transmitted"],
  "application.transmit, transmitted": ["application.transmit", "transmitted"],
} as const satisfies Record<string, readonly [DecisionAction, ApplicationKind]>;
type OtherDossier = keyof typeof OTHER_DOSSIERS;
type Asked = DecisionAction | OtherDossier;

function isOtherDossier(asked: string): asked is OtherDossier {
  return Object.hasOwn(OTHER_DOSSIERS, asked);
}

/** Every exposed action has its row: the compiler wants them all. */
const GROUP_OF: Record<Asked, Group> = {
  "application.list": "applicationList",
  "application.create": "writeApplication",
  "application.read": "readApplication",
  "application.edit": "writeApplication",
  "application.transmit": "writeApplication",
  "registry.view": "registry",
  "registry.grant": "registry",
  "registry.change": "registry",
  "registry.revoke": "registry",
  "registry.whoHasAccess": "registry",
  "deputy.name": "deputy",
  "deputy.remove": "deputy",
  "mandate.view": "registry",
  "mandate.assign": "registry",
  "mandate.end": "registry",
  "application.read, unmandated": "readUnmandated",
  "application.edit, unmandated": "writeUnmandated",
  "application.transmit, unmandated": "writeUnmandated",
  "application.edit, transmitted": "writeTransmitted",
  "application.transmit, transmitted": "writeTransmitted",
};

/**
 * The table's words in the decision API's: nobody signed in is a subject Guichet does not know; a list that shows
 * applications, and an edit allowed then refused because the application is frozen, are allowed (a dossier's status
 * is the service's to weigh, after the authorization, as Guichet's own pages do).
 */
function expected(answer: Answer): Answer {
  if (answer === NA) return "unknown_subject";
  if (answer === FZ || answer === ALL || answer === MND) return Y;
  return answer;
}

function question(
  kind: ActorKind,
  asked: Asked,
  organization: OrganizationVariant,
  service: ServiceVariant,
): Question {
  const actor = world.actors.get(kind);
  assert.ok(actor);
  const registry = world.registryTarget(organization, service);
  const apps = applications.of(organization, service);
  const [action, variant]: readonly [DecisionAction, ApplicationKind] = isOtherDossier(asked)
    ? OTHER_DOSSIERS[asked]
    : [asked, "draft"];
  const base = {
    // Nobody signed in: an id no account has.
    userId: actor.kind === "user" ? actor.userId : -1,
    organizationId: registry.organizationId,
    serviceId: registry.service.id,
    action,
  };
  if (!action.startsWith("application.") || action === "application.list" || action === "application.create")
    return base;
  return { ...base, dossier: { kind: "application", id: apps[variant] } };
}

test("the authorization matrix through the decision API: the same table, 0 mismatches", async () => {
  const asked: Asked[] = [...DECISION_ACTIONS, ...Object.keys(OTHER_DOSSIERS).filter(isOtherDossier)];
  const cases: { label: string; question: Question; expected: Answer }[] = [];
  for (const each of asked) {
    const table: Table = TABLES[GROUP_OF[each]];
    for (const organization of ORGANIZATION_VARIANTS) {
      for (const service of SERVICE_VARIANTS) {
        const row = table[organization][service];
        for (const [column, kind] of ACTOR_KINDS.entries()) {
          cases.push({
            label: `${each} by ${kind} on ${organization}/${service}`,
            question: question(kind, each, organization, service),
            expected: expected(row[column] ?? "?"),
          });
        }
      }
    }
  }
  const mismatches: string[] = [];
  const alone: string[] = [];
  for (const each of cases) {
    const answer = await decide(t.database.db, t.clock(), each.question);
    const got = answer.allowed ? Y : (answer.reason ?? "?");
    alone.push(JSON.stringify(answer));
    if (got !== each.expected) mismatches.push(`${each.label}: expected ${each.expected}, got ${got}`);
  }
  const batched: string[] = [];
  for (let start = 0; start < cases.length; start += MAX_BATCH) {
    const batch = cases.slice(start, start + MAX_BATCH).map((each) => each.question);
    for (const answer of await decideBatch(t.database.db, t.clock(), batch))
      batched.push(JSON.stringify(answer));
  }
  console.log(`decision matrix: ${cases.length} cases checked, ${mismatches.length} mismatches`);
  assert.equal(
    cases.length,
    ACTOR_KINDS.length * asked.length * ORGANIZATION_VARIANTS.length * SERVICE_VARIANTS.length,
  );
  assert.deepEqual(mismatches, []);
  assert.deepEqual(batched, alone, "a batch answers as the questions asked alone");
});
