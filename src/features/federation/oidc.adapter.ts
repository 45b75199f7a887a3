// oidc-provider's storage on Kysely: every model in one table, keyed by the model's name and the id.
import type { Kysely } from "kysely";
import type { Adapter, AdapterFactory, AdapterPayload } from "oidc-provider";
import { type Clock, systemClock } from "../../clock.js";
import type { DB } from "../../db/schema.js";

/**
 * The models whose rows belong to a grant, the ones oidc-provider revokes by grant id. An Interaction also names its
 * grant, but is no token of it: it is not indexed, so revoking a grant leaves the interaction in progress alone.
 */
const GRANTABLE = new Set([
  "AccessToken",
  "AuthorizationCode",
  "RefreshToken",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
  "PreAuthorizedCode",
]);

/**
 * PostgreSQL text cannot hold a NUL character: a value with one (a code or a user code typed by anybody) cannot be
 * stored, so it is found nowhere, instead of failing the query and the request with it.
 */
function storable(value: string): boolean {
  return !value.includes("\u0000");
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export class OidcAdapter implements Adapter {
  readonly #db: Kysely<DB>;
  readonly #model: string;
  readonly #clock: Clock;
  readonly #guichetSession: ((payload: AdapterPayload) => Buffer | null) | undefined;

  /**
   * guichetSession, for the Session model: the Guichet session a saved provider session belongs to (the hash of its
   * token), or null when the request that saves it has none; a save without one keeps the one already recorded.
   */
  constructor(
    db: Kysely<DB>,
    model: string,
    clock: Clock = systemClock,
    guichetSession?: (payload: AdapterPayload) => Buffer | null,
  ) {
    this.#db = db;
    this.#model = model;
    this.#clock = clock;
    this.#guichetSession = guichetSession;
  }

  /**
   * One statement, so concurrent saves of one id leave one row holding one of them whole. A row consumed stays
   * consumed: a later save of the same id does not make a used code usable again.
   */
  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const row = {
      payload: JSON.stringify(payload),
      grant_id: GRANTABLE.has(this.#model) ? text(payload.grantId) : null,
      user_code: text(payload.userCode),
      uid: text(payload.uid),
      expires_at: typeof expiresIn === "number" ? new Date(this.#clock().getTime() + expiresIn * 1000) : null,
    };
    const guichetSession = this.#guichetSession?.(payload) ?? null;
    await this.#db
      .insertInto("oidc_payload")
      .values({ model: this.#model, id, ...row, guichet_session: guichetSession })
      .onConflict((oc) =>
        oc.columns(["model", "id"]).doUpdateSet((eb) => ({
          ...row,
          guichet_session: eb.fn.coalesce(
            eb.ref("excluded.guichet_session"),
            eb.ref("oidc_payload.guichet_session"),
          ),
        })),
      )
      .execute();
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere("id", id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere("uid", uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findWhere("user_code", userCode);
  }

  /** The provider reads `consumed` from the payload: the time of the first use, in seconds, as its own adapter does. */
  async #findWhere(column: "id" | "uid" | "user_code", value: string): Promise<AdapterPayload | undefined> {
    if (!storable(value)) return undefined;
    const now = this.#clock();
    const row = await this.#db
      .selectFrom("oidc_payload")
      .select(["payload", "consumed_at"])
      .where("model", "=", this.#model)
      .where(column, "=", value)
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    const { payload, consumed_at } = row;
    return consumed_at ? { ...payload, consumed: Math.floor(consumed_at.getTime() / 1000) } : payload;
  }

  async consume(id: string): Promise<void> {
    if (!storable(id)) return;
    await this.#db
      .updateTable("oidc_payload")
      .set((eb) => ({ consumed_at: eb.fn.coalesce("consumed_at", eb.val(this.#clock())) }))
      .where("model", "=", this.#model)
      .where("id", "=", id)
      .execute();
  }

  async destroy(id: string): Promise<void> {
    if (!storable(id)) return;
    await this.#db.deleteFrom("oidc_payload").where("model", "=", this.#model).where("id", "=", id).execute();
  }

  /**
   * Every token and code of the grant, whatever its model: the provider asks each model in turn, and the first ask
   * already leaves nothing of the grant behind.
   */
  async revokeByGrantId(grantId: string): Promise<void> {
    if (!storable(grantId)) return;
    await this.#db.deleteFrom("oidc_payload").where("grant_id", "=", grantId).execute();
  }
}

/** The `adapter` option of oidc-provider: one adapter per model, all on this database. */
export function oidcAdapterFactory(db: Kysely<DB>, clock: Clock = systemClock): AdapterFactory {
  return (model) => new OidcAdapter(db, model, clock);
}

/** What has expired is already absent for the provider; the hourly job deletes it. Returns how many rows went. */
export async function deleteExpiredOidcPayloads(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db.deleteFrom("oidc_payload").where("expires_at", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
