// « Services en ligne externes »: a ministry's service administrators register the ministry's online services that run
// on their own servers as OpenID clients, change them, rotate their secret (shown once, kept as a hash) and disable
// or enable them. A ministry sees only its own: another ministry's client is as unknown as one that never was.
import { randomBytes } from "node:crypto";
import type { Ctx } from "../../context.js";
import type { ClientAuthMethod, MinAssurance } from "../../db/schema.js";
import { AppError, isUniqueViolation } from "../../errors.js";
import type { UserActor } from "../../policy/actor.js";
import { authorize } from "../../policy/policy.js";
import { hashToken, newToken } from "../../util/tokens.js";
import type { FieldErrors } from "../../web/forms.js";
import type { MessageKey } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { once } from "../submissions/submissions.service.js";
import * as q from "./external-services.queries.js";
import {
  type ClientInput,
  checkClientFields,
  checkRegistration,
  type Field,
  type ServiceForm,
} from "./external-services.validation.js";

export type ExternalService = NonNullable<Awaited<ReturnType<typeof q.findClient>>>;

/** Every page starts here: a service administrator, acting for their own ministry. */
function authorizeOwnMinistry(ctx: Ctx): UserActor {
  const actor = requireUser(ctx.actor);
  return authorize(actor, "externalService.manage", { ministryId: actor.organizationId });
}

/** The client, if it is the actor's ministry's; otherwise the same 404 as for an id that does not exist. */
async function loadOwn(ctx: Ctx, id: number): Promise<{ actor: UserActor; service: ExternalService }> {
  const actor = authorizeOwnMinistry(ctx);
  const service = Number.isSafeInteger(id) ? await q.findClient(ctx.db, actor.organizationId, id) : undefined;
  if (!service) throw new AppError("not_found");
  return { actor, service };
}

/** A client_id: random and public, 128 bits. */
export function newClientId(): string {
  return randomBytes(16).toString("base64url");
}

/** A client secret: 256 random bits, shown once; the database keeps its SHA-256 (see the migration for why). */
export function newClientSecret(): string {
  return newToken();
}

export function hashClientSecret(secret: string): Buffer {
  return hashToken(secret);
}

export async function listExternalServices(
  ctx: Ctx,
): Promise<{ ministryName: string; services: ExternalService[] }> {
  const actor = authorizeOwnMinistry(ctx);
  return {
    ministryName: actor.organizationName,
    services: await q.listClients(ctx.db, actor.organizationId),
  };
}

/** Opens the registration form: only a service administrator may see it. */
export function openRegistration(ctx: Ctx): { ministryName: string } {
  return { ministryName: authorizeOwnMinistry(ctx).organizationName };
}

export async function getExternalService(ctx: Ctx, id: number): Promise<ExternalService> {
  return (await loadOwn(ctx, id)).service;
}

export type Refusal = { ok: false; status: 400 | 409; errors: FieldErrors<Field> };
/** A client registered or changed: the secret, when one was issued, is for this response only. */
export type Issued = { ok: true; id: number; code: string; clientId: string; secret: string | null };

/** The row's columns for a client's checked fields, and a secret when the method needs one and has none yet. */
function clientColumns(input: ClientInput, now: Date, secretHash: Buffer | null) {
  return {
    name: input.name,
    redirect_uris: input.redirectUris,
    post_logout_redirect_uris: input.postLogoutRedirectUris,
    backchannel_logout_uri: input.backchannelLogoutUri,
    auth_method: input.authMethod,
    jwks_uri: input.jwksUri,
    min_assurance: input.minAssurance,
    updated_at: now,
    ...(input.authMethod === "private_key_jwt"
      ? { secret_hash: null, secret_rotated_at: null }
      : secretHash
        ? { secret_hash: secretHash, secret_rotated_at: now }
        : {}),
  };
}

/** What the audit log keeps of a client: everything but its secret, which it never sees, hashed or not. */
function auditDetails(input: ClientInput) {
  return {
    name: input.name,
    externalUrl: input.externalUrl,
    redirectUris: input.redirectUris,
    postLogoutRedirectUris: input.postLogoutRedirectUris,
    backchannelLogoutUri: input.backchannelLogoutUri,
    authMethod: input.authMethod,
    jwksUri: input.jwksUri,
    minAssurance: input.minAssurance,
  };
}

/**
 * Registers an external service and its client together, in one transaction. The service's code is unique in the
 * catalogue and a service has one client: of two identical registrations sent at once, the database lets one
 * through and the other is told so.
 */
export async function registerExternalService(ctx: Ctx, form: ServiceForm): Promise<Issued | Refusal> {
  const actor = authorizeOwnMinistry(ctx);
  const checked = checkRegistration(form);
  if (!checked.ok) return { ok: false, status: 400, errors: checked.errors };
  const input = checked.value;
  const secret = input.authMethod === "client_secret_basic" ? newClientSecret() : null;
  const clientId = newClientId();
  try {
    const id = await ctx.db.transaction().execute((trx) =>
      createExternalService(
        { ...ctx, db: trx },
        {
          ministryId: actor.organizationId,
          ministryUnitId: actor.ministryUnitId,
          input,
          clientId,
          secret,
        },
      ),
    );
    return { ok: true, id, code: input.code, clientId, secret };
  } catch (error) {
    if (isUniqueViolation(error)) {
      return {
        ok: false,
        status: 409,
        errors: { code: { key: "externalServices.code.taken", params: { code: input.code } } },
      };
    }
    throw error;
  }
}

/**
 * Writes a new external service and its client, with its audit row; the caller holds the transaction. The demo
 * seed registers PAVL through here too, with its fixed client_id and secret and no one acting.
 */
export async function createExternalService(
  ctx: Pick<Ctx, "db" | "actor" | "now" | "ip">,
  values: {
    ministryId: number;
    ministryUnitId: number | null;
    input: ClientInput & { code: string; category: "infrastructures" | "other" };
    clientId: string;
    secret: string | null;
    /** Who registers it, when it is not the context's actor (the demo seed acts for MTMDADM). */
    actedBy?: { userId: number; userCode: string };
  },
): Promise<number> {
  const { input } = values;
  const serviceId = await q.insertExternalService(ctx.db, {
    code: input.code,
    name: input.name,
    category: input.category,
    ministryId: values.ministryId,
    ministryUnitId: values.ministryUnitId,
    externalUrl: input.externalUrl,
  });
  const id = await q.insertClient(ctx.db, {
    client_id: values.clientId,
    online_service_id: serviceId,
    ministry_id: values.ministryId,
    created_at: ctx.now,
    ...clientColumns(input, ctx.now, values.secret === null ? null : hashClientSecret(values.secret)),
  });
  await recordAudit(ctx, {
    action: "externalService.register",
    organizationId: values.ministryId,
    targetType: "oidc_client",
    targetId: id,
    details: { clientId: values.clientId, serviceCode: input.code, ...auditDetails(input) },
    ...(values.actedBy ? { actedBy: values.actedBy } : {}),
  });
  return id;
}

/** An act on an existing client, in the audit log: of its ministry, about the client, never with its secret. */
function auditClient(
  ctx: Ctx,
  action:
    | "externalService.change"
    | "externalService.rotateSecret"
    | "externalService.disable"
    | "externalService.enable",
  service: ExternalService,
  details: Record<string, unknown> = {},
): Promise<void> {
  return recordAudit(ctx, {
    action,
    organizationId: service.ministry_id,
    targetType: "oidc_client",
    targetId: service.id,
    details: { clientId: service.client_id, ...details },
  });
}

/** The fields as they stand, for the change form. */
export function formOf(service: ExternalService): ServiceForm {
  return {
    code: service.service_code,
    nom: service.name,
    categorie: service.service_category === "other" ? "autres" : "infrastructures",
    adresse: service.external_url ?? "",
    redirections: service.redirect_uris.join("\n"),
    retours: service.post_logout_redirect_uris.join("\n"),
    deconnexion: service.backchannel_logout_uri ?? "",
    methode: service.auth_method,
    jwks: service.jwks_uri ?? "",
    assurance: service.min_assurance,
  };
}

/** The client's fields as they stand, in the audit log's words, to record what a change changed. */
function currentInput(service: ExternalService): ClientInput {
  return {
    name: service.name,
    externalUrl: service.external_url ?? "",
    redirectUris: service.redirect_uris,
    postLogoutRedirectUris: service.post_logout_redirect_uris,
    backchannelLogoutUri: service.backchannel_logout_uri,
    authMethod: service.auth_method,
    jwksUri: service.jwks_uri,
    minAssurance: service.min_assurance,
  };
}

/**
 * Changes the client and the service's address. A change to client_secret_basic from a key gives the client its
 * first secret, shown once like a rotation; a change to private_key_jwt forgets the secret.
 */
export async function changeExternalService(
  ctx: Ctx,
  id: number,
  form: ServiceForm,
): Promise<Issued | Refusal> {
  const { actor, service } = await loadOwn(ctx, id);
  const checked = checkClientFields(form);
  if (!checked.ok) return { ok: false, status: 400, errors: checked.errors };
  const input = checked.value;
  const secret =
    input.authMethod === "client_secret_basic" && service.auth_method !== "client_secret_basic"
      ? newClientSecret()
      : null;
  const before = auditDetails(currentInput(service));
  const after = auditDetails(input);
  const changed = Object.fromEntries(
    Object.entries(after)
      .filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(Reflect.get(before, name)))
      .map(([name, value]) => [name, { from: Reflect.get(before, name), to: value }]),
  );
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await q.updateClient(
      trx,
      actor.organizationId,
      service.id,
      clientColumns(input, ctx.now, secret === null ? null : hashClientSecret(secret)),
    );
    if (!updated) throw new AppError("not_found");
    await q.updateService(trx, actor.organizationId, service.service_id, {
      name: input.name,
      externalUrl: input.externalUrl,
    });
    await auditClient({ ...ctx, db: trx }, "externalService.change", service, {
      changed,
      secretIssued: secret !== null,
    });
  });
  return { ok: true, id: service.id, code: service.service_code, clientId: service.client_id, secret };
}

export type RotateOutcome = (Issued & { secret: string }) | { ok: false; key: MessageKey };

/**
 * A new secret, shown once; the old one stops working at once (the provider reads the client from this row). The
 * form's one-time key makes a double click one rotation, not two secrets of which the page shows the dead one.
 */
export async function rotateClientSecret(ctx: Ctx, id: number, key: string): Promise<RotateOutcome> {
  const { actor, service } = await loadOwn(ctx, id);
  if (service.auth_method !== "client_secret_basic") {
    return { ok: false, key: "externalServices.secret.none" };
  }
  const secret = newClientSecret();
  const outcome = await ctx.db.transaction().execute((trx) =>
    once(trx, { key, userId: actor.userId, now: ctx.now }, async () => {
      const replaced = await q.replaceSecret(
        trx,
        actor.organizationId,
        service.id,
        hashClientSecret(secret),
        ctx.now,
      );
      if (!replaced) throw new AppError("conflict");
      await auditClient({ ...ctx, db: trx }, "externalService.rotateSecret", service);
      return String(service.id);
    }),
  );
  if (!outcome.fresh) return { ok: false, key: "externalServices.secret.repeated" };
  return { ok: true, id: service.id, code: service.service_code, clientId: service.client_id, secret };
}

export type SwitchOutcome = { ok: true; code: string; changed: boolean };

/** Disables or enables the client: while disabled, the provider knows it no more and refuses all it asks. */
export async function setClientEnabled(ctx: Ctx, id: number, enabled: boolean): Promise<SwitchOutcome> {
  const { actor, service } = await loadOwn(ctx, id);
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const done = await q.setDisabled(
      trx,
      actor.organizationId,
      service.id,
      enabled ? null : ctx.now,
      ctx.now,
    );
    if (done) {
      await auditClient(
        { ...ctx, db: trx },
        enabled ? "externalService.enable" : "externalService.disable",
        service,
      );
    }
    return done;
  });
  return { ok: true, code: service.service_code, changed };
}

/** How each method and assurance reads on the pages. */
export const METHOD_LABEL: Record<ClientAuthMethod, MessageKey> = {
  client_secret_basic: "externalServices.method.client_secret_basic",
  private_key_jwt: "externalServices.method.private_key_jwt",
};
export const ASSURANCE_LABEL: Record<MinAssurance, MessageKey> = {
  password: "externalServices.assurance.password",
  mfa: "externalServices.assurance.mfa",
};
