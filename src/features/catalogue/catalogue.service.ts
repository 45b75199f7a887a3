// Loads the reference catalogue once: the ministry (MAMH), its units, the online services and the transfer recipients.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { MINISTRY, RECIPIENTS, SERVICES, UNITS } from "../demo/demo.data.js";
import { insertOrganization } from "../organizations/organizations.queries.js";
import * as q from "./catalogue.queries.js";

export const MINISTRY_ACRONYM = "MAMH";

export type Catalogue = {
  ministryId: number;
  ministryName: string;
  unitIds: Map<string, number>;
  created: boolean;
};

/** Idempotent: when the ministry exists, returns it and its units without writing. */
export async function ensureCatalogue(db: Kysely<DB>): Promise<Catalogue> {
  const existing = await q.findMinistryByAcronym(db, MINISTRY_ACRONYM);
  if (existing) {
    const units = await q.findUnitsOf(db, existing.id);
    return {
      ministryId: existing.id,
      ministryName: existing.name,
      unitIds: new Map(units.map((u) => [u.code, u.id])),
      created: false,
    };
  }
  const ministryId = await insertOrganization(db, {
    kind: "ministry",
    name: MINISTRY.name,
    acronym: MINISTRY_ACRONYM,
    civic_number: MINISTRY.civicNumber ?? null,
    street: MINISTRY.street ?? null,
    city: MINISTRY.city ?? null,
    postal_code: MINISTRY.postalCode ?? null,
    phone: MINISTRY.phone ?? null,
    email: MINISTRY.email ?? null,
  });
  const unitIds = new Map<string, number>();
  for (const unit of UNITS) unitIds.set(unit.code, await q.insertUnit(db, ministryId, unit.code, unit.name));
  const unitId = (code: string): number => {
    const id = unitIds.get(code);
    if (id === undefined) throw new Error(`unknown unit ${code} in the catalogue`);
    return id;
  };
  for (const [index, service] of SERVICES.entries()) {
    await q.insertOnlineService(db, {
      code: service.code,
      name: service.name,
      category: service.category,
      ministry_id: ministryId,
      ministry_unit_id: unitId(service.unitCode),
      description: service.description,
      sort_order: index,
    });
  }
  for (const [index, recipient] of RECIPIENTS.entries()) {
    await q.insertTransferRecipient(db, {
      code: recipient.code,
      name: recipient.name,
      ministry_id: ministryId,
      ministry_unit_id: unitId(recipient.unitCode),
      instructions: recipient.instructions,
      allowed_extensions: recipient.allowedExtensions,
      max_file_bytes: recipient.maxFileBytes,
      name_rule: recipient.nameRule,
      sort_order: index,
    });
  }
  return { ministryId, ministryName: MINISTRY.name, unitIds, created: true };
}
