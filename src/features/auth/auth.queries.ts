// SQL for sign-in, sessions, sign-in failures, known devices and one-time account links.
import type { Expression, ExpressionBuilder, Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { typed } from "../../db/typed.js";
import { AUDIT_COLUMNS, type AuditEntry, auditRow, auditSelection } from "../audit/audit.queries.js";
import { hasFactor, mustHaveFactor } from "../factors/factors.queries.js";

/** What a sign-in needs to know of the person behind a user code, and whether this browser signed in as them before. */
function signInUserSelection(eb: ExpressionBuilder<DB, "app_user">, deviceTokenHash: Buffer | null) {
  return [
    "app_user.id",
    "app_user.user_code",
    "app_user.password_hash",
    "app_user.disabled_at",
    "app_user.organization_id",
    "app_user.locale",
    "app_user.factor_grace_started_at",
    hasFactor(eb).as("has_factor"),
    mustHaveFactor(eb).as("must_have_factor"),
    deviceTokenHash === null
      ? eb.val(false).as("device_known")
      : eb
          .exists(
            eb
              .selectFrom("known_device")
              .select("known_device.user_id")
              .where("known_device.token_hash", "=", deviceTokenHash)
              .whereRef("known_device.user_id", "=", "app_user.id"),
          )
          .as("device_known"),
  ] as const;
}

/** The user behind a code and whether this browser signed in as them before, in one query. */
export async function findUserForSignIn(db: Kysely<DB>, userCode: string, deviceTokenHash: Buffer | null) {
  return db
    .selectFrom("app_user")
    .select((eb) => signInUserSelection(eb, deviceTokenHash))
    .where("app_user.user_code", "=", userCode)
    .executeTakeFirst();
}

/**
 * A sign-in attempt in one statement: the person behind the code (when there is one) and the failures that may hold
 * the attempt back (a sign-in storm must cost the event loop as few round trips to the embedded database as possible).
 */
export async function findSignInAttempt(
  db: Kysely<DB>,
  attempt: { userCode: string; deviceTokenHash: Buffer | null; ip: string; since: Date },
) {
  const row = await db
    .selectFrom(failuresQuery(db, attempt.userCode, attempt).as("failures"))
    .leftJoin("app_user", (join) => join.on("app_user.user_code", "=", attempt.userCode))
    .select((eb) => [
      ...signInUserSelection(eb as unknown as ExpressionBuilder<DB, "app_user">, attempt.deviceTokenHash),
      ...FAILURE_COLUMNS,
    ])
    .executeTakeFirstOrThrow();
  const user =
    row.id === null
      ? undefined
      : (row as typeof row & NonNullable<Awaited<ReturnType<typeof findUserForSignIn>>>);
  return { user, failures: row as FailureCounts };
}

/** Who a session opens for: a person known already, or the one behind a pending sign-in, which it ends. */
export type SessionSource = { userId: number; deviceTokenHash: Buffer } | { pendingTokenHash: Buffer };

/**
 * Opens a session in one statement: the session, the browser remembered as known, and the audit entry are written
 * together (a sign-in storm must cost the event loop as few round trips to the embedded database as possible). From a
 * pending sign-in, the same statement ends it first, and writes nothing when it was already ended: of two requests
 * racing with two good answers, one session only. False when nothing was written.
 */
export async function openSession(
  db: Kysely<DB>,
  source: SessionSource,
  session: {
    tokenHash: Buffer;
    now: Date;
    expiresAt: Date;
    ip: string | null;
    /** How the person signed in: ["pwd"], or ["pwd", "otp"] after a second factor. */
    amr: string[];
    /** The end of the grace period of someone who must have a second factor and has none. */
    factorDeadline: Date | null;
  },
  audit: AuditEntry,
): Promise<boolean> {
  const now = typed(session.now, "timestamptz");
  const result = await db
    .with("person", (qc) =>
      "pendingTokenHash" in source
        ? qc
            .deleteFrom("pending_sign_in")
            .where("token_hash", "=", source.pendingTokenHash)
            .returning(["user_id", "device_token_hash"])
        : qc.selectNoFrom([
            typed(source.userId, "bigint").as("user_id"),
            typed(source.deviceTokenHash, "bytea").as("device_token_hash"),
          ]),
    )
    .with("new_session", (qc) =>
      qc
        .insertInto("session")
        .columns([
          "token_hash",
          "user_id",
          "created_at",
          "last_seen_at",
          "expires_at",
          "ip",
          "amr",
          "factor_at",
          "factor_deadline",
        ])
        .expression((eb) =>
          eb
            .selectFrom("person")
            .select([
              typed(session.tokenHash, "bytea").as("token_hash"),
              "person.user_id",
              now.as("created_at"),
              now.as("last_seen_at"),
              typed(session.expiresAt, "timestamptz").as("expires_at"),
              typed(session.ip, "text").as("ip"),
              typed(session.amr, "text[]").as("amr"),
              typed(session.amr.length > 1 ? session.now : null, "timestamptz").as("factor_at"),
              typed(session.factorDeadline, "timestamptz").as("factor_deadline"),
            ]),
        )
        .returning("token_hash"),
    )
    .with("device", (qc) =>
      qc
        .insertInto("known_device")
        .columns(["token_hash", "user_id", "created_at", "last_used_at"])
        .expression((eb) =>
          eb
            .selectFrom("person")
            .select([
              "person.device_token_hash",
              "person.user_id",
              now.as("created_at"),
              now.as("last_used_at"),
            ]),
        )
        .onConflict((oc) =>
          oc.column("token_hash").doUpdateSet((eb) => ({
            last_used_at: eb.ref("excluded.last_used_at"),
            user_id: eb.ref("excluded.user_id"),
          })),
        )
        .returning("token_hash"),
    )
    .insertInto("audit_event")
    .columns(AUDIT_COLUMNS)
    .expression((eb) => eb.selectFrom("person").select(auditSelection(audit)))
    .executeTakeFirst();
  return result.numInsertedOrUpdatedRows === 1n;
}

export async function findUserPasswordHash(db: Kysely<DB>, userId: number) {
  const row = await db
    .selectFrom("app_user")
    .select("password_hash")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row?.password_hash ?? null;
}

/** The session and the facts about its user that the policy needs, in one query. */
/** The session behind a token with its person and their organization. */
export function sessionWithActorQuery(db: Kysely<DB>, tokenHash: Buffer) {
  return db
    .selectFrom("session")
    .innerJoin("app_user", "app_user.id", "session.user_id")
    .innerJoin("organization", "organization.id", "app_user.organization_id")
    .select([
      "session.created_at",
      "session.last_seen_at",
      "session.expires_at",
      "session.factor_at",
      "session.factor_deadline",
      "session.amr",
      "app_user.id as user_id",
      "app_user.user_code",
      "app_user.first_name",
      "app_user.last_name",
      "app_user.disabled_at",
      "app_user.is_services_officer",
      "app_user.is_service_admin",
      "app_user.ministry_unit_id",
      "app_user.locale",
      "organization.id as organization_id",
      "organization.kind as organization_kind",
      "organization.name as organization_name",
    ])
    .where("session.token_hash", "=", tokenHash);
}

export type SessionWithActor = NonNullable<Awaited<ReturnType<typeof findSessionWithActor>>>;

export async function findSessionWithActor(db: Kysely<DB>, tokenHash: Buffer) {
  return sessionWithActorQuery(db, tokenHash).executeTakeFirst();
}

/** The session's row as read in JSON (snapshot-cache.ts, getWithCheck): its times back to dates. */
export function sessionFromJson(json: unknown): SessionWithActor {
  const row = json as Record<keyof SessionWithActor, unknown>;
  const date = (value: unknown) => (value === null ? null : new Date(value as string));
  return {
    ...(row as SessionWithActor),
    created_at: new Date(row.created_at as string),
    last_seen_at: new Date(row.last_seen_at as string),
    expires_at: new Date(row.expires_at as string),
    factor_at: date(row.factor_at),
    factor_deadline: date(row.factor_deadline),
    disabled_at: date(row.disabled_at),
  };
}

export async function touchSession(db: Kysely<DB>, tokenHash: Buffer, now: Date): Promise<void> {
  await db.updateTable("session").set({ last_seen_at: now }).where("token_hash", "=", tokenHash).execute();
}

export async function deleteSession(db: Kysely<DB>, tokenHash: Buffer): Promise<void> {
  await db.deleteFrom("session").where("token_hash", "=", tokenHash).execute();
}

export async function deleteSessionsOfUser(db: Kysely<DB>, userId: number): Promise<number> {
  const result = await db.deleteFrom("session").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Kysely<DB>, idleBefore: Date, now: Date): Promise<void> {
  await db
    .deleteFrom("session")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<=", idleBefore)]))
    .execute();
}

export async function insertSignInFailure(
  db: Kysely<DB>,
  failure: { userCode: string; ip: string; deviceKnown: boolean; at: Date },
): Promise<void> {
  await db
    .insertInto("sign_in_failure")
    .values({
      user_code: failure.userCode,
      ip: failure.ip,
      device_known: failure.deviceKnown,
      at: failure.at,
    })
    .execute();
}

export type FailureWindow = { count: number; last: Date | null };

/** Failures for one account since a time: either those from unknown browsers, or those from its known ones. */
export async function countAccountFailures(
  db: Kysely<DB>,
  userCode: string,
  deviceKnown: boolean,
  since: Date,
): Promise<FailureWindow> {
  const row = await db
    .selectFrom("sign_in_failure")
    .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.max("at").as("last")])
    .where("user_code", "=", userCode)
    .where("device_known", "=", deviceKnown)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), last: row.last ? new Date(row.last) : null };
}

/** The failures of one account and one address in the window, as one row, read by failureWindows. */
export type FailureCounts = {
  known_count: number | string | bigint;
  known_last: Date | string | null;
  unknown_count: number | string | bigint;
  unknown_last: Date | string | null;
  address_count: number | string | bigint;
  address_last: Date | string | null;
};

const FAILURE_COLUMNS = [
  "failures.known_count",
  "failures.known_last",
  "failures.unknown_count",
  "failures.unknown_last",
  "failures.address_count",
  "failures.address_last",
] as const;

/**
 * The failures that may hold an attempt back, as one row: the account's from its known browsers and from others
 * (apart, since whether this browser is known may be learnt in the same statement), and the address's. A subquery, so
 * that a look-up can bring it along; the user code may be a value or a column of the look-up.
 */
function failuresQuery(
  from: Pick<Kysely<DB>, "selectFrom">,
  userCode: string | Expression<string>,
  attempt: { ip: string; since: Date },
) {
  return from
    .selectFrom("sign_in_failure")
    .select((eb) => {
      const account = eb("sign_in_failure.user_code", "=", userCode);
      const known = eb.and([account, eb("sign_in_failure.device_known", "=", true)]);
      const unknown = eb.and([account, eb("sign_in_failure.device_known", "=", false)]);
      const address = eb("sign_in_failure.ip", "=", attempt.ip);
      return [
        eb.fn.countAll<number>().filterWhere(known).as("known_count"),
        eb.fn.max("sign_in_failure.at").filterWhere(known).as("known_last"),
        eb.fn.countAll<number>().filterWhere(unknown).as("unknown_count"),
        eb.fn.max("sign_in_failure.at").filterWhere(unknown).as("unknown_last"),
        eb.fn.countAll<number>().filterWhere(address).as("address_count"),
        eb.fn.max("sign_in_failure.at").filterWhere(address).as("address_last"),
      ];
    })
    .where("sign_in_failure.at", ">", attempt.since)
    .where((eb) =>
      eb.or([eb("sign_in_failure.user_code", "=", userCode), eb("sign_in_failure.ip", "=", attempt.ip)]),
    );
}

const windowOf = (count: number | string | bigint, last: Date | string | null): FailureWindow => ({
  count: Number(count),
  last: last ? new Date(last) : null,
});

/** The windows that matter to an attempt from a browser known to the account, or not. */
export function failureWindows(
  counts: FailureCounts,
  deviceKnown: boolean,
): { account: FailureWindow; address: FailureWindow } {
  return {
    account: deviceKnown
      ? windowOf(counts.known_count, counts.known_last)
      : windowOf(counts.unknown_count, counts.unknown_last),
    address: windowOf(counts.address_count, counts.address_last),
  };
}

/** The failures that matter to one attempt, in one query: the account's (from known or unknown browsers) and the address's. */
export async function countFailureWindows(
  db: Kysely<DB>,
  attempt: { userCode: string; deviceKnown: boolean; ip: string; since: Date },
): Promise<{ account: FailureWindow; address: FailureWindow }> {
  const counts = await failuresQuery(db, attempt.userCode, attempt).executeTakeFirstOrThrow();
  return failureWindows(counts, attempt.deviceKnown);
}

export async function deleteOldSignInFailures(db: Kysely<DB>, before: Date): Promise<void> {
  await db.deleteFrom("sign_in_failure").where("at", "<", before).execute();
}

export async function insertAccountToken(
  db: Kysely<DB>,
  token: { tokenHash: Buffer; userId: number; purpose: "activation" | "reset"; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto("account_token")
    .values({
      token_hash: token.tokenHash,
      user_id: token.userId,
      purpose: token.purpose,
      created_at: token.now,
      expires_at: token.expiresAt,
    })
    .execute();
}

/** A new link replaces the older ones: only the latest can be used. */
export async function retireAccountTokens(db: Kysely<DB>, userId: number, now: Date): Promise<void> {
  await db
    .updateTable("account_token")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .execute();
}

export async function findUsableAccountToken(db: Kysely<DB>, tokenHash: Buffer, now: Date) {
  return db
    .selectFrom("account_token")
    .innerJoin("app_user", "app_user.id", "account_token.user_id")
    .innerJoin("organization", "organization.id", "app_user.organization_id")
    .select([
      "account_token.user_id",
      "account_token.purpose",
      "app_user.user_code",
      "app_user.first_name",
      "app_user.last_name",
      "organization.id as organization_id",
    ])
    .where("account_token.token_hash", "=", tokenHash)
    .where("account_token.used_at", "is", null)
    .where("account_token.expires_at", ">", now)
    .where("app_user.disabled_at", "is", null)
    .executeTakeFirst();
}

/** Marks a link used; returns false when another request used it first. */
export async function consumeAccountToken(db: Kysely<DB>, tokenHash: Buffer, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("account_token")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updatePasswordHash(db: Kysely<DB>, userId: number, passwordHash: string, now: Date) {
  await db
    .updateTable("app_user")
    .set({ password_hash: passwordHash, updated_at: now })
    .where("id", "=", userId)
    .execute();
}

/** Starts a sign-in's second step, and records the right password, in one statement. */
export async function insertPendingSignIn(
  db: Kysely<DB>,
  pending: {
    tokenHash: Buffer;
    userId: number;
    deviceTokenHash: Buffer;
    returnTo: string;
    now: Date;
    expiresAt: Date;
  },
  audit: AuditEntry,
): Promise<void> {
  await db
    .with("pending", (qc) =>
      qc
        .insertInto("pending_sign_in")
        .values({
          token_hash: pending.tokenHash,
          user_id: pending.userId,
          device_token_hash: pending.deviceTokenHash,
          return_to: pending.returnTo,
          created_at: pending.now,
          expires_at: pending.expiresAt,
        })
        .returning("user_id"),
    )
    .insertInto("audit_event")
    .values(auditRow(audit))
    .execute();
}

function pendingSignInQuery(db: Kysely<DB>, tokenHash: Buffer, now: Date) {
  return db
    .selectFrom("pending_sign_in")
    .innerJoin("app_user", "app_user.id", "pending_sign_in.user_id")
    .select([
      "pending_sign_in.device_token_hash",
      "pending_sign_in.return_to",
      "app_user.id",
      "app_user.user_code",
      "app_user.organization_id",
      "app_user.locale",
      "app_user.disabled_at",
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom("known_device")
              .select("known_device.user_id")
              .whereRef("known_device.token_hash", "=", "pending_sign_in.device_token_hash")
              .whereRef("known_device.user_id", "=", "app_user.id"),
          )
          .as("device_known"),
    ])
    .where("pending_sign_in.token_hash", "=", tokenHash)
    .where("pending_sign_in.expires_at", ">", now);
}

/** The sign-in awaiting its second factor, with the person, while it has not expired. */
export async function findPendingSignIn(db: Kysely<DB>, tokenHash: Buffer, now: Date) {
  return pendingSignInQuery(db, tokenHash, now).executeTakeFirst();
}

/** The same, with the failures that may hold its second step back, in one statement. */
export async function findPendingSignInAttempt(
  db: Kysely<DB>,
  tokenHash: Buffer,
  now: Date,
  attempt: { ip: string; since: Date },
) {
  return (
    pendingSignInQuery(db, tokenHash, now)
      .innerJoinLateral(
        // The outer builder only widens what the subquery may refer to; the SQL is the same as from the database.
        (eb) =>
          failuresQuery(eb as unknown as Kysely<DB>, eb.ref("app_user.user_code"), attempt).as("failures"),
        (join) => join.onTrue(),
      )
      // The person's authenticator app, read in the same statement: the code is checked without another round trip.
      .leftJoin("totp_factor", (join) =>
        join
          .onRef("totp_factor.user_id", "=", "app_user.id")
          .on("totp_factor.removed_at", "is", null)
          .on("totp_factor.confirmed_at", "is not", null),
      )
      .select(FAILURE_COLUMNS)
      .select([
        "totp_factor.id as totp_id",
        "totp_factor.secret_ciphertext as totp_secret_ciphertext",
        "totp_factor.last_step as totp_last_step",
      ])
      .executeTakeFirst()
  );
}

export async function deleteExpiredPendingSignIns(db: Kysely<DB>, now: Date): Promise<void> {
  await db.deleteFrom("pending_sign_in").where("expires_at", "<=", now).execute();
}

/** The first sign-in that finds a person without the factor their role needs starts their grace period. */
export async function startFactorGrace(db: Kysely<DB>, userId: number, now: Date): Promise<void> {
  await db
    .updateTable("app_user")
    .set({ factor_grace_started_at: now })
    .where("id", "=", userId)
    .where("factor_grace_started_at", "is", null)
    .execute();
}

export async function deletePendingSignInsOfUser(db: Kysely<DB>, userId: number): Promise<void> {
  await db.deleteFrom("pending_sign_in").where("user_id", "=", userId).execute();
}
