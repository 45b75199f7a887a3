// The authorization matrix asked through the decision API (#14): its cells for the actions the API exposes, each with
// the answer of test/support/authz-table.ts in the decision's words, asked in the matrix's world (buildMatrixWorld) by
// the core (src/features/decisions/decisions.matrix.test.ts) and over HTTP (test/http/decisions-api.matrix.test.ts).
import assert from "node:assert/strict";
import type { DecisionAction } from "../../src/features/decisions/decisions.service.js";
import type { ApplicationKind } from "./application-world.js";
import {
  ALL,
  type Answer,
  FZ,
  type Group,
  MND,
  NA,
  QUESTION_GROUPS,
  TABLES,
  type Table,
  Y,
} from "./authz-table.js";
import {
  ACTOR_KINDS,
  type ActorKind,
  type AuthzWorld,
  ORGANIZATION_VARIANTS,
  type OrganizationVariant,
  SERVICE_VARIANTS,
  type ServiceVariant,
} from "./registry-fixtures.js";

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
const GROUP_OF: Record<Asked, Group> = QUESTION_GROUPS;

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

/** The actions on one dossier name the registry's draft (or the other application of OTHER_DOSSIERS). */
function dossierOf(action: DecisionAction, variant: ApplicationKind): ApplicationKind | null {
  if (!action.startsWith("application.") || action === "application.list" || action === "application.create")
    return null;
  return variant;
}

/** One cell of the table: who asks what about which registry, and the expected answer (Y, or the denial's reason). */
export type MatrixCell = {
  label: string;
  kind: ActorKind;
  action: DecisionAction;
  organization: OrganizationVariant;
  service: ServiceVariant;
  /** Which of the registry's applications the question names, or none. */
  dossier: ApplicationKind | null;
  expected: Answer;
};

/**
 * The cells of the actions given (those the decision core knows, or those the API's schema exposes): every actor
 * kind × every action (and the application actions again on the other applications) × both organizations × the three
 * services. `count` is the product, for the test to check that it asked every one.
 */
export function decisionMatrixCells(actions: readonly DecisionAction[]): {
  cells: MatrixCell[];
  count: number;
} {
  const exposed = new Set<string>(actions);
  const asked: Asked[] = [
    ...actions,
    ...Object.entries(OTHER_DOSSIERS).flatMap(([name, [action]]) =>
      exposed.has(action) && isOtherDossier(name) ? [name] : [],
    ),
  ];
  const cells: MatrixCell[] = [];
  for (const each of asked) {
    const [action, variant] = isOtherDossier(each) ? OTHER_DOSSIERS[each] : [each, "draft" as const];
    const table: Table = TABLES[GROUP_OF[each]];
    for (const organization of ORGANIZATION_VARIANTS) {
      for (const service of SERVICE_VARIANTS) {
        const row = table[organization][service];
        for (const [column, kind] of ACTOR_KINDS.entries()) {
          cells.push({
            label: `${each} by ${kind} on ${organization}/${service}`,
            kind,
            action,
            organization,
            service,
            dossier: dossierOf(action, variant),
            expected: expected(row[column] ?? "?"),
          });
        }
      }
    }
  }
  return {
    cells,
    count: ACTOR_KINDS.length * asked.length * ORGANIZATION_VARIANTS.length * SERVICE_VARIANTS.length,
  };
}

/** An answer as the table writes it: Y, or the denial's reason. */
export function verdictOf(answer: { allowed: boolean; reason: string | null }): Answer {
  return answer.allowed ? Y : (answer.reason ?? "?");
}

/** The user id of an actor kind, or undefined for nobody signed in. */
export function userIdOf(world: AuthzWorld, kind: ActorKind): number | undefined {
  const actor = world.actors.get(kind);
  assert.ok(actor, kind);
  return actor.kind === "user" ? actor.userId : undefined;
}

/** Counts the cells whose answer is not the table's, and says which. */
export function mismatchesOf(cells: readonly MatrixCell[], got: readonly Answer[]): string[] {
  return cells.flatMap((cell, index) => {
    const answer = got[index] ?? "unanswered";
    return answer === cell.expected ? [] : [`${cell.label}: expected ${cell.expected}, got ${answer}`];
  });
}
