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

// --- The table: the rows of test/authz/matrix.test.ts's TABLES for the exposed actions, as written there.

type Answer = string;
const Y = "Y";
const NA = "not_authenticated";
const OO = "other_organization";
const NP = "no_procuration";
const SC = "service_not_covered";
const NR = "not_registry_manager";
const NL = "not_local_manager";
const NRT = "no_right";
const RO = "read_only_right";
const NMD = "not_mandated";
const FZ = "frozen";
const ALL = "lists draft transmitted unmandated";
const MND = "lists draft transmitted";

type Row = readonly Answer[];
type Table = Record<OrganizationVariant, Record<ServiceVariant, Row>>;

function everywhere(row: Row): Record<ServiceVariant, Row> {
  return { S: row, S2: row, S3: row };
}

const OTHER_ORGANIZATION = everywhere([NA, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO, OO]);
const NO_RIGHT: Row = [NA, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT];

//   anon  user  RSE   L     D     RW    RR    AM    AMo   staff AW    AR    MA    MA2   Dexp  RWrev RWpast
const TABLES = {
  registry: {
    same: {
      S: [NA, NR, NR, Y, Y, NR, NR, OO, OO, OO, OO, OO, OO, OO, NP, NR, NR],
      S2: [NA, NR, NR, NR, NR, NR, NR, OO, OO, OO, OO, OO, OO, OO, NP, NR, NR],
      S3: [NA, NR, NR, SC, SC, NR, NR, OO, OO, OO, OO, OO, OO, OO, NP, NR, NR],
    },
    other: OTHER_ORGANIZATION,
  },
  deputy: {
    same: {
      S: [NA, NL, NL, Y, NL, NL, NL, OO, OO, OO, OO, OO, OO, OO, NP, NL, NL],
      S2: [NA, NL, NL, NL, NL, NL, NL, OO, OO, OO, OO, OO, OO, OO, NP, NL, NL],
      S3: [NA, NL, NL, SC, SC, NL, NL, OO, OO, OO, OO, OO, OO, OO, NP, NL, NL],
    },
    other: OTHER_ORGANIZATION,
  },
  applicationList: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, ALL, ALL, NRT, NRT, NRT, MND, MND, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, ALL, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  readApplication: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, Y, Y, NRT, NRT, NRT, Y, Y, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, Y, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  readUnmandated: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, Y, Y, NRT, NRT, NRT, NMD, NMD, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, Y, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  writeApplication: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, Y, RO, NRT, NRT, NRT, Y, RO, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, RO, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  writeUnmandated: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, Y, RO, NRT, NRT, NRT, NMD, RO, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, RO, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  writeTransmitted: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, FZ, RO, NRT, NRT, NRT, FZ, RO, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, RO, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
} as const satisfies Record<string, Table>;

type Group = keyof typeof TABLES;

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
