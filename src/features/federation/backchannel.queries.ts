// SQL for back-channel logout: the provider sessions that end with Guichet sessions, and the logouts they leave to
// deliver through the outbox.
import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema.js";
import { typed } from "../../db/typed.js";

/**
 * Which provider sessions end: the one opened in a Guichet session (by the hash of its token); every one of a person
 * (account disabled, password or factors reset), whichever Guichet session each was opened in; or those whose Guichet
 * session is gone (ended by the expiry job, or saved again by a request that was under way as it ended).
 */
export type EndedProviderSessions =
  | { guichetSession: Buffer }
  | { accountId: number }
  | { withoutGuichetSession: true };

function ended(which: EndedProviderSessions) {
  return (eb: ExpressionBuilder<DB, "oidc_payload">) => {
    if ("guichetSession" in which) return eb("guichet_session", "=", which.guichetSession);
    // The expression of the index oidc_payload_session_account.
    if ("accountId" in which) return eb(sql`payload ->> 'accountId'`, "=", String(which.accountId));
    return eb.and([
      eb("guichet_session", "is not", null),
      eb.not(
        eb.exists(
          eb
            .selectFrom("session")
            .select(sql`1`.as("one"))
            .whereRef("session.token_hash", "=", "oidc_payload.guichet_session"),
        ),
      ),
    ]);
  };
}

/**
 * In one statement: deletes the provider sessions, revokes what they granted (each service's grant, with its codes
 * and tokens, as the provider's own logout does), and queues one back-channel logout per service that signed in
 * through one of them and listens (an enabled client with a back-channel logout URI). Returns how many were queued.
 */
export async function endProviderSessions(
  db: Kysely<DB>,
  which: EndedProviderSessions,
  now: Date,
): Promise<number> {
  const result = await db
    .with("ended", (qb) =>
      qb
        .deleteFrom("oidc_payload")
        // A literal, so that even a generic plan may use the partial index of a person's provider sessions.
        .where("model", "=", sql.lit("Session"))
        .where(ended(which))
        .returning("payload"),
    )
    .with("held", (qb) =>
      qb
        .selectFrom("ended")
        .innerJoin(
          sql<{ key: string; value: unknown }>`json_each(ended.payload -> 'authorizations')`.as("authorized"),
          (join) => join.onTrue(),
        )
        .select([
          "authorized.key as client_id",
          sql<string | null>`ended.payload ->> 'accountId'`.as("account_id"),
          sql<string | null>`authorized.value ->> 'sid'`.as("sid"),
          sql<string | null>`authorized.value ->> 'grantId'`.as("grant_id"),
        ]),
    )
    .with("revoked", (qb) =>
      qb
        .deleteFrom("oidc_payload")
        .where((eb) =>
          eb.or([
            eb("grant_id", "in", eb.selectFrom("held").select("held.grant_id")),
            eb.and([
              eb("model", "=", "Grant"),
              eb("id", "in", eb.selectFrom("held").select("held.grant_id")),
            ]),
          ]),
        ),
    )
    .insertInto("backchannel_outbox")
    .columns(["created_at", "client_id", "account_id", "sid", "next_attempt_at"])
    .expression((eb) =>
      eb
        .selectFrom("held")
        .innerJoin("oidc_client", "oidc_client.client_id", "held.client_id")
        .select([
          typed(now, "timestamptz").as("created_at"),
          "held.client_id",
          sql<string>`held.account_id`.as("account_id"),
          sql<string>`held.sid`.as("sid"),
          typed(now, "timestamptz").as("next_attempt_at"),
        ])
        .where("oidc_client.backchannel_logout_uri", "is not", null)
        .where("oidc_client.disabled_at", "is", null)
        .where("held.account_id", "is not", null)
        .where("held.sid", "is not", null),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** The logouts queued for a service, oldest first: what tests and the operator look at. */
export async function findQueuedLogouts(db: Kysely<DB>, clientId: string) {
  return db
    .selectFrom("backchannel_outbox")
    .selectAll()
    .where("client_id", "=", clientId)
    .orderBy("id")
    .execute();
}
