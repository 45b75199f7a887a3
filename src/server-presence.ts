// Whether other servers share this database, and so its file store, right now. Each running server holds a shared
// advisory lock, keyed by its schema, on a connection of its own; PostgreSQL lets go of it the moment that connection
// ends, a crash included. A server that starts and gets the lock exclusively is alone. The embedded database is
// opened by one process only, so a server on it is always alone.
import pg from "pg";

/** « GUIC »: the first key of Guichet's presence lock; the second is the schema's hash. */
const PRESENCE_KEY = 0x47554943;
const LOCK_ARGS = "$1, hashtext(current_schema())";
/** A server killed a moment ago may still hold the lock until PostgreSQL sees its connection close. */
const ATTEMPTS = 5;
const PAUSE_MS = 200;

export type Presence = {
  /** No other server was running when this one arrived: nothing of anyone's upload can be in progress. */
  readonly alone: boolean;
  /** Marks this server as running; until then, a server that arrived alone keeps the others waiting in join(). */
  join(): Promise<void>;
  leave(): Promise<void>;
};

const EMBEDDED: Presence = { alone: true, join: async () => {}, leave: async () => {} };

export async function arrive(
  databaseUrl: string | undefined,
  onLost: (error: Error) => void = () => {},
): Promise<Presence> {
  if (!databaseUrl) return EMBEDDED;
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", onLost);
  await client.connect();
  let alone = false;
  for (let attempt = 1; attempt <= ATTEMPTS && !alone; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    const result = await client.query<{ alone: boolean }>(
      `select pg_try_advisory_lock(${LOCK_ARGS}) as alone`,
      [PRESENCE_KEY],
    );
    alone = result.rows[0]?.alone === true;
  }
  return {
    alone,
    async join() {
      // Shared first, then the exclusive lock goes: there is no moment when this server does not count.
      await client.query(`select pg_advisory_lock_shared(${LOCK_ARGS})`, [PRESENCE_KEY]);
      if (alone) await client.query(`select pg_advisory_unlock(${LOCK_ARGS})`, [PRESENCE_KEY]);
    },
    async leave() {
      await client.end();
    },
  };
}
