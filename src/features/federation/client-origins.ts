// The origins of the registered online services' redirect and post-logout addresses: the only places, besides Guichet
// itself, that a form of Guichet may lead to (Content-Security-Policy form-action; see web/security-headers.ts).
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

/** How long a list read from the database is used before it is read again (a client registered meanwhile waits). */
const REFRESH_MS = 30_000;

export async function findClientOrigins(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom("oidc_client")
    .select(["redirect_uris", "post_logout_redirect_uris"])
    .where("disabled_at", "is", null)
    .execute();
  const origins = new Set<string>();
  for (const row of rows) {
    for (const uri of [...row.redirect_uris, ...row.post_logout_redirect_uris]) {
      try {
        origins.add(new URL(uri).origin);
      } catch {
        // The back office stores only valid URLs; a row changed by hand is simply not an origin.
      }
    }
  }
  return [...origins].sort();
}

/**
 * The list as the security headers read it on every request: from memory, refreshed in the background once it is
 * older than REFRESH_MS, so no request waits for the database.
 */
export class ClientOrigins {
  readonly #db: Kysely<DB>;
  readonly #now: () => number;
  #origins: readonly string[] = [];
  #readAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<void> | null = null;

  constructor(db: Kysely<DB>, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** Reads the list now; the server awaits it once at start. */
  refresh(): Promise<void> {
    this.#reading ??= findClientOrigins(this.#db)
      .then((origins) => {
        this.#origins = origins;
        this.#readAt = this.#now();
      })
      .catch(() => {
        // A failed read keeps the last list; the next request tries again.
      })
      .finally(() => {
        this.#reading = null;
      });
    return this.#reading;
  }

  current(): readonly string[] {
    if (this.#now() - this.#readAt >= REFRESH_MS) void this.refresh();
    return this.#origins;
  }
}
