// The periodic jobs' lease: which hour last ran, and which server runs them now (migration 0019).
import type { Kysely } from "kysely";
import type { DB } from "./db/schema.js";

const HOURLY = "hourly";

/**
 * Takes the lease for the hour starting at `hour`, when that hour has not run yet and nobody holds it (or their lease
 * lapsed). One update: a second server's update waits for the first one's row lock, then finds the row held.
 */
export async function claimHourlyLease(
  db: Kysely<DB>,
  holder: string,
  hour: Date,
  now: Date,
  heldUntil: Date,
): Promise<boolean> {
  const claimed = await db
    .updateTable("job_lease")
    .set({ holder, held_until: heldUntil })
    .where("name", "=", HOURLY)
    .where((eb) => eb.or([eb("last_hour", "is", null), eb("last_hour", "<", hour)]))
    .where((eb) => eb.or([eb("held_until", "is", null), eb("held_until", "<=", now)]))
    .returning("name")
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Lets go of the lease; `ranHour` marks that hour done (left out after a failed run, so another server may retry). */
export async function releaseHourlyLease(
  db: Kysely<DB>,
  holder: string,
  ranHour: Date | null,
): Promise<void> {
  await db
    .updateTable("job_lease")
    .set(
      ranHour ? { holder: null, held_until: null, last_hour: ranHour } : { holder: null, held_until: null },
    )
    .where("name", "=", HOURLY)
    .where("holder", "=", holder)
    .execute();
}
