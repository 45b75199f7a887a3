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
/** After a lost connection, how long before trying again to be counted. */
const RECONNECT_MS = 1_000;

type Events = {
  /** The connection that counted this server went away; it is being made again. */
  onLost?: (error: Error) => void;
  /** Counted again after a loss. */
  onBack?: () => void;
};

function newClient(databaseUrl: string): pg.Client {
  return new pg.Client({ connectionString: databaseUrl, application_name: "guichet-presence" });
}

export async function arrive(databaseUrl: string | undefined, events: Events = {}): Promise<Presence> {
  if (!databaseUrl) return EMBEDDED;
  let leaving = false;
  let client = newClient(databaseUrl);
  let retry: NodeJS.Timeout | undefined;

  // A server whose connection dropped (the database restarted, a network cut) is not counted any more, and a server
  // starting then would think it alone: the connection is made again, and the shared lock taken again, until it is.
  const watch = (watched: pg.Client) => {
    let lost = false;
    const onGone = (error: Error) => {
      if (lost || leaving) return;
      lost = true;
      events.onLost?.(error);
      watched.end().catch(() => undefined);
      retry = setTimeout(rejoin, RECONNECT_MS);
    };
    watched.on("error", onGone);
    watched.on("end", () => onGone(new Error("connection ended")));
  };
  const rejoin = async () => {
    if (leaving) return;
    const next = newClient(databaseUrl);
    try {
      await next.connect();
      await next.query(`select pg_advisory_lock_shared(${LOCK_ARGS})`, [PRESENCE_KEY]);
    } catch (error) {
      await next.end().catch(() => undefined);
      if (!leaving) {
        events.onLost?.(error instanceof Error ? error : new Error(String(error)));
        retry = setTimeout(rejoin, RECONNECT_MS);
      }
      return;
    }
    if (leaving) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    watch(next);
    events.onBack?.();
  };

  // Until join() watches it, a failure of this connection shows as the next query's error.
  client.on("error", () => undefined);
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
      watch(client);
    },
    async leave() {
      leaving = true;
      clearTimeout(retry);
      await client.end().catch(() => undefined);
    },
  };
}
