// Declared dossiers: an online service declares the dossiers it keeps on its own servers (its id, the organization the
// dossier belongs to, a title) so that mandates and decisions can name them, and closes them (their mandates end,
// their agents told).
// Each function writes in one transaction, or in the caller's (the HTTP layer adds its audit entry to it).
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { serviceTitle } from "../../web/localized.js";
import { translator } from "../../web/messages.js";
import { queueMail } from "../mail/mail.service.js";
import { findReferences } from "./decisions.queries.js";
import * as q from "./dossiers.queries.js";

/** Why a declaration or a closing was refused, nothing changed: the HTTP layer maps each code to its status. */
export type DossierErrorCode =
  /** The external id or the title is empty or longer than 200 characters (400). */
  | "invalid_dossier"
  /** The organization or the service does not exist (400). */
  | "unknown_organization"
  | "unknown_service"
  /** The dossier was declared for another organization: a dossier never changes hands (409). */
  | "organization_conflict"
  /** No such dossier in the service (404). */
  | "unknown_dossier";

export class DossierError extends Error {
  readonly code: DossierErrorCode;

  constructor(code: DossierErrorCode) {
    super(code);
    this.code = code;
  }
}

export type DeclaredDossier = {
  id: number;
  serviceId: number;
  externalId: string;
  organizationId: number;
  title: string;
  declaredAt: Date;
  closedAt: Date | null;
};

function dossierOf(row: q.DossierRow): DeclaredDossier {
  return {
    id: row.id,
    serviceId: row.service_id,
    externalId: row.external_id,
    organizationId: row.organization_id,
    title: row.title,
    declaredAt: row.declared_at,
    closedAt: row.closed_at,
  };
}

function inTransaction<T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** A declared dossier by the service's own id, open or closed; undefined when the service never declared it. */
export async function findDeclaredDossier(
  db: Kysely<DB>,
  key: { serviceId: number; externalId: string },
): Promise<DeclaredDossier | undefined> {
  if (!Number.isSafeInteger(key.serviceId) || !fits(key.externalId)) return undefined;
  const row = await q.findDossier(db, key);
  return row ? dossierOf(row) : undefined;
}

const MAX_LENGTH = 200;

function fits(text: string): boolean {
  return text.trim() !== "" && text.length <= MAX_LENGTH;
}

/**
 * Declares a dossier, or declares it again: for the same organization that is the same dossier (its title as given
 * now, reopened if it was closed; its ended mandates stay ended), so a service may repeat a declaration freely. For
 * another organization it is refused. Two first declarations at once make one row: the unique (service, id) decides.
 */
export async function declareDossier(
  db: Kysely<DB>,
  now: Date,
  input: { serviceId: number; externalId: string; organizationId: number; title: string },
): Promise<{ dossier: DeclaredDossier; created: boolean }> {
  if (!fits(input.externalId) || !fits(input.title)) throw new DossierError("invalid_dossier");
  if (!Number.isSafeInteger(input.organizationId)) throw new DossierError("unknown_organization");
  if (!Number.isSafeInteger(input.serviceId)) throw new DossierError("unknown_service");
  return inTransaction(db, async (trx) => {
    const found = await findReferences(trx, input);
    if (!found.organization) throw new DossierError("unknown_organization");
    if (!found.service) throw new DossierError("unknown_service");
    const created = await q.insertDossier(trx, { ...input, now });
    if (created) return { dossier: dossierOf(created), created: true };
    const again = await q.redeclareDossier(trx, input);
    if (again) return { dossier: dossierOf(again), created: false };
    throw new DossierError("organization_conflict");
  });
}

/**
 * Closes a dossier and, in the same transaction, ends every current mandate on it: the agents lose it on their next
 * decision. Closing a closed dossier changes nothing.
 */
export async function closeDossier(
  db: Kysely<DB>,
  now: Date,
  key: { serviceId: number; externalId: string },
): Promise<{ dossier: DeclaredDossier; closed: boolean; endedMandateIds: number[] }> {
  if (!Number.isSafeInteger(key.serviceId)) throw new DossierError("unknown_dossier");
  return inTransaction(db, async (trx) => {
    const found = await q.findDossier(trx, key);
    if (!found) throw new DossierError("unknown_dossier");
    const closed = await q.closeDossierRow(trx, found.id, now);
    const endedMandateIds = closed ? await q.endDossierMandates(trx, found.id, now) : [];
    // Each agent is told that their mandate ended with the dossier.
    for (const agent of await q.findMandateAgents(trx, endedMandateIds)) {
      const t = translator(agent.locale);
      const service = { code: agent.service_code, name: agent.service_name, name_en: agent.service_name_en };
      await queueMail(
        trx,
        {
          to: agent.email,
          subject: t("mail.mandateEnded.subject", { service: agent.service_code }),
          text: t("mail.mandateEndedClosed.body", {
            name: `${agent.first_name} ${agent.last_name}`,
            organization: agent.organization_name,
            application: `${agent.external_id} — ${agent.title}`,
            service: serviceTitle(agent.locale, service),
          }),
        },
        now,
      );
    }
    return { dossier: dossierOf(closed ?? found), closed: closed !== undefined, endedMandateIds };
  });
}
