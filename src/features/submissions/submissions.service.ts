// One-time form keys: a create form carries one, and a second submission returns the first one's result.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { newToken } from "../../util/tokens.js";
import { claimSubmissionKey, findSubmission, saveSubmissionResult } from "./submissions.queries.js";

export const SUBMISSION_FIELD = "cle";

export function newSubmissionKey(): string {
  return newToken();
}

export function isSubmissionKey(value: string): boolean {
  return /^[A-Za-z0-9_-]{20,100}$/.test(value);
}

/** The one-time key a form carries; a form without a well-formed one is not ours. */
export function readSubmissionKey(body: unknown): string {
  const value: unknown =
    typeof body === "object" && body !== null ? Reflect.get(body, SUBMISSION_FIELD) : undefined;
  if (typeof value !== "string" || !isSubmissionKey(value)) throw new AppError("bad_request");
  return value;
}

export type Once<T> = { fresh: true; value: T } | { fresh: false; previous: string };

/**
 * Runs work in the caller's transaction unless the key was already used; work returns what a repeat
 * submission should be told (e.g. the id of what it created).
 */
export async function once<T extends string>(
  trx: Kysely<DB>,
  submission: { key: string; userId: number; now: Date },
  work: () => Promise<T>,
): Promise<Once<T>> {
  if (!(await claimSubmissionKey(trx, submission.key, submission.userId, submission.now))) {
    const previous = await findSubmission(trx, submission.key, submission.userId);
    // A key taken by someone else was not issued to this user: a forged or replayed form.
    if (!previous) throw new AppError("bad_request");
    return { fresh: false, previous: previous.result };
  }
  const value = await work();
  await saveSubmissionResult(trx, submission.key, value);
  return { fresh: true, value };
}
