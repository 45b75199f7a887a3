// Loads the reference catalogue once: the ministry (MAMH), its units, the online services and the transfer recipients.
// Other ministries join through addMinistry (the demo's MTMD): the portal's own catalogue stays the MAMH's, which
// every caller of ensureCatalogue expects.
import type { Insertable, Kysely } from "kysely";
import type { DB, OrganizationTable } from "../../db/schema.js";
import {
  type DemoOrganization,
  type DemoUnit,
  MINISTRY,
  RECIPIENTS,
  SERVICES,
  UNITS,
} from "../demo/demo.data.js";
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
    // Filled together with the rest, the ministry's English name tells whether this database has the English yet.
    if (existing.name_en === null) await fillEnglish(db, existing.id);
    const units = await q.findUnitsOf(db, existing.id);
    return {
      ministryId: existing.id,
      ministryName: existing.name,
      unitIds: new Map(units.map((u) => [u.code, u.id])),
      created: false,
    };
  }
  const { ministryId, unitIds } = await addMinistry(db, { ...MINISTRY, acronym: MINISTRY_ACRONYM }, UNITS);
  const unitId = (code: string): number => {
    const id = unitIds.get(code);
    if (id === undefined) throw new Error(`unknown unit ${code} in the catalogue`);
    return id;
  };
  for (const [index, service] of SERVICES.entries()) {
    await q.insertOnlineService(db, {
      code: service.code,
      name: service.name,
      name_en: service.nameEn,
      category: service.category,
      ministry_id: ministryId,
      ministry_unit_id: unitId(service.unitCode),
      description: service.description,
      description_en: service.descriptionEn,
      sort_order: index,
    });
  }
  for (const [index, recipient] of RECIPIENTS.entries()) {
    await q.insertTransferRecipient(db, {
      code: recipient.code,
      name: recipient.name,
      name_en: recipient.nameEn,
      ministry_id: ministryId,
      ministry_unit_id: unitId(recipient.unitCode),
      instructions: recipient.instructions,
      instructions_en: recipient.instructionsEn,
      allowed_extensions: recipient.allowedExtensions,
      max_file_bytes: recipient.maxFileBytes,
      name_rule: recipient.nameRule,
      sort_order: index,
    });
  }
  return { ministryId, ministryName: MINISTRY.name, unitIds, created: true };
}

/** An organization of the catalogue or the demo, as its row. */
export function organizationRow(
  organization: Omit<DemoOrganization, "users">,
): Insertable<OrganizationTable> {
  return {
    kind: organization.kind,
    name: organization.name,
    name_en: organization.nameEn ?? null,
    acronym: organization.acronym ?? null,
    geo_code: organization.geoCode ?? null,
    neq: organization.neq ?? null,
    body_category: organization.bodyCategory ?? null,
    civic_number: organization.civicNumber ?? null,
    street: organization.street ?? null,
    city: organization.city ?? null,
    postal_code: organization.postalCode ?? null,
    region: organization.region ?? null,
    provincial_riding: organization.provincialRiding ?? null,
    federal_riding: organization.federalRiding ?? null,
    phone: organization.phone ?? null,
    email: organization.email ?? null,
  };
}

/** A ministry and its units; its services come after, each through whoever creates it. */
export async function addMinistry(
  db: Kysely<DB>,
  ministry: Omit<DemoOrganization, "users">,
  units: readonly DemoUnit[],
): Promise<{ ministryId: number; unitIds: Map<string, number> }> {
  const ministryId = await insertOrganization(db, { ...organizationRow(ministry), kind: "ministry" });
  const unitIds = new Map<string, number>();
  for (const unit of units) unitIds.set(unit.code, await q.insertUnit(db, ministryId, unit));
  return { ministryId, unitIds };
}

/**
 * The catalogue's English text on a database created before it had any (migrations/0017): filled where still null,
 * so text a ministry wrote since is kept, and a database already filled is left untouched.
 */
async function fillEnglish(db: Kysely<DB>, ministryId: number): Promise<void> {
  await q.fillOrganizationEnglish(db, ministryId, MINISTRY.nameEn ?? null);
  for (const unit of UNITS) await q.fillUnitEnglish(db, ministryId, unit.code, unit.nameEn ?? null);
  for (const service of SERVICES) {
    await q.fillServiceEnglish(db, service.code, {
      name_en: service.nameEn,
      description_en: service.descriptionEn,
    });
  }
  for (const recipient of RECIPIENTS) {
    await q.fillRecipientEnglish(db, recipient.code, {
      name_en: recipient.nameEn,
      instructions_en: recipient.instructionsEn,
    });
  }
}
