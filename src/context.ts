// What a service function receives: the database, who acts, when, from where, and the app's shared services.
import type { Kysely } from "kysely";
import type { ReadCache } from "./db/read-cache.js";
import type { DB } from "./db/schema.js";
import type { PasswordHasher } from "./features/auth/password-hasher.js";
import type { ThrottleSettings } from "./features/auth/throttle.js";
import type { SignInFailureStep } from "./features/metrics/metrics.js";
import type { Actor } from "./policy/actor.js";

export type AppServices = {
  hasher: PasswordHasher;
  publicUrl: string;
  /** Encrypts the authenticator apps' secrets at rest (MFA_ENCRYPTION_KEY). */
  mfaKey: Buffer;
  /** STEP_UP_MINUTES and MFA_GRACE_DAYS, in milliseconds. */
  stepUpMs: number;
  factorGraceMs: number;
  throttle: ThrottleSettings;
  procurationMaxYears: number;
  /** REVIEW_DAYS and REVIEW_UNCONFIRMED, for a campaign a ministry launches. */
  review: { days: number; unconfirmed: "end" | "keep" };
  /** How many days a request for a right stays open (RIGHT_REQUEST_DAYS). */
  rightRequestDays: number;
  /** Hot reads served from memory while no write has happened since (db/read-cache.ts, db/snapshot-cache.ts). */
  readCache: ReadCache;
  /**
   * Tells the outbox worker that a mail (or a back-channel logout) is waiting, once the transaction that queued it has
   * committed.
   */
  mailQueued(): void;
  /** Counts a failed sign-in attempt for the metrics, once it is recorded. */
  signInFailed(step: SignInFailureStep): void;
};

export type Ctx = {
  db: Kysely<DB>;
  actor: Actor;
  now: Date;
  ip: string | null;
  app: AppServices;
};

/**
 * A read of the reference tables (the catalogue of services, organizations, transfer recipients and their staff,
 * program forms), served from memory while none of them changes: on PostgreSQL such an entry outlives writes to every
 * other table (db/snapshot-cache.ts, the reference scope). Inside a transaction it reads the database, which holds the
 * transaction's own writes. The value is shared: never change it.
 */
export function referenceRead<T>(
  ctx: Pick<Ctx, "db" | "app">,
  key: string,
  load: (db: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (ctx.db.isTransaction) return load(ctx.db);
  return ctx.app.readCache.get(`reference:${key}`, () => load(ctx.db), "reference");
}
