// The pairwise subjects handed to ministries, remembered as they are handed (migration 0015): a subject is an HMAC,
// which cannot be turned back into its person, so the decision API finds the person by this record, by its key.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { insertSubjects } from "./decisions-api.queries.js";

export type HandedSubject = { ministryId: number; sub: string; userId: number };

/** Called wherever a subject leaves Guichet for a ministry: the provider's pairwiseIdentifier, the registry's listing. */
export async function rememberSubjects(
  db: Kysely<DB>,
  subjects: readonly HandedSubject[],
  now: Date,
): Promise<void> {
  const valid = subjects.filter(
    (subject) => Number.isSafeInteger(subject.ministryId) && Number.isSafeInteger(subject.userId),
  );
  await insertSubjects(db, valid, now);
}
