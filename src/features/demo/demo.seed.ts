// Loads the demo organizations and accounts into an empty database, and lists them for the console and README.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { addYears, montrealDay } from "../../util/days.js";
import { createUserWithCode } from "../accounts/accounts.service.js";
import type { PasswordHasher } from "../auth/password-hasher.js";
import { ensureCatalogue } from "../catalogue/catalogue.service.js";
import { assignRecipientStaff } from "../file-transfers/file-transfers.service.js";
import { upsertCodeHash } from "../identification-codes/identification-codes.queries.js";
import { normalizeIdentificationCode } from "../identification-codes/identification-codes.service.js";
import {
  countUsers,
  insertOrganization,
  insertServicePoint,
} from "../organizations/organizations.queries.js";
import { insertHolders, insertProcuration, replaceScope } from "../procurations/procurations.queries.js";
import { seedDemoApplications } from "./demo.applications.js";
import {
  DEMO_CODE_ISSUER,
  DEMO_PASSWORD,
  DEMO_PROCURATION,
  type DemoOrganization,
  MINISTRY,
  ORGANIZATIONS,
} from "./demo.data.js";

export type DemoAccount = { code: string; name: string; organization: string; role: string };

/** Loads the demo only into a database that has no user yet; returns the accounts it created. */
export async function seedDemo(db: Kysely<DB>, hasher: PasswordHasher, now: Date): Promise<DemoAccount[]> {
  const passwordHash = await hasher.hash(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    const catalogue = await ensureCatalogue(trx);
    if ((await countUsers(trx)) > 0) return [];
    const accounts: DemoAccount[] = [];
    const userIds = new Map<string, number>();
    const organizationIds = new Map<DemoOrganization, number>();
    const addUsers = async (organization: DemoOrganization, organizationId: number) => {
      for (const user of organization.users) {
        const unitId = user.serviceAdminUnit ? catalogue.unitIds.get(user.serviceAdminUnit) : undefined;
        if (user.serviceAdminUnit && unitId === undefined)
          throw new Error(`unknown unit ${user.serviceAdminUnit}`);
        const userId = await createUserWithCode(trx, {
          organizationId,
          userCode: user.code,
          civility: user.civility,
          firstName: user.firstName,
          lastName: user.lastName,
          jobTitle: user.jobTitle,
          phone: user.phone,
          phoneExtension: user.phoneExtension ?? null,
          email: user.email,
          isServicesOfficer: user.servicesOfficer ?? false,
          ministryUnitId: unitId ?? null,
          isServiceAdmin: unitId !== undefined,
          passwordHash,
          now,
        });
        userIds.set(user.code, userId);
        for (const recipientCode of user.receives ?? [])
          await assignRecipientStaff(trx, recipientCode, userId, now);
        accounts.push({
          code: user.code,
          name: `${user.firstName} ${user.lastName}`,
          organization: organization.name,
          role: roleOf(user),
        });
      }
    };
    await addUsers(MINISTRY, catalogue.ministryId);
    for (const organization of ORGANIZATIONS) {
      const id = await insertOrganization(trx, {
        kind: organization.kind,
        name: organization.name,
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
      });
      for (const point of organization.servicePoints ?? []) {
        await insertServicePoint(trx, {
          organization_id: id,
          name: point.name,
          civic_number: point.civicNumber,
          street: point.street,
          city: point.city,
          postal_code: point.postalCode,
        });
      }
      await addUsers(organization, id);
      organizationIds.set(organization, id);
    }
    const idOf = (code: string): number => {
      const id = userIds.get(code);
      if (id === undefined) throw new Error(`unknown demo user ${code}`);
      return id;
    };
    // Each municipality's code, hashed as the back office would issue it, so the access request demo can quote it.
    for (const [organization, id] of organizationIds) {
      if (!organization.identificationCode) continue;
      const codeHash = await hasher.hash(normalizeIdentificationCode(organization.identificationCode));
      await upsertCodeHash(trx, id, codeHash, idOf(DEMO_CODE_ISSUER), now);
    }
    const quebec = ORGANIZATIONS.find((o) => o.geoCode === DEMO_PROCURATION.organizationGeoCode);
    const quebecId = quebec ? organizationIds.get(quebec) : undefined;
    if (quebecId === undefined) throw new Error("the demo procuration's organization is missing");
    const today = montrealDay(now);
    const procurationId = await insertProcuration(trx, {
      organizationId: quebecId,
      name: DEMO_PROCURATION.name,
      startDate: today,
      endDate: addYears(today, DEMO_PROCURATION.years),
      createdBy: idOf(DEMO_PROCURATION.createdBy),
      now,
    });
    await replaceScope(trx, procurationId, [
      { ministryId: catalogue.ministryId, restricted: false, serviceIds: [] },
    ]);
    await insertHolders(
      trx,
      procurationId,
      [idOf(DEMO_PROCURATION.holder)],
      idOf(DEMO_PROCURATION.createdBy),
      now,
    );
    await seedDemoApplications(trx, { organizationId: quebecId, idOf }, now);
    return accounts;
  });
}

function roleOf(user: DemoOrganization["users"][number]): string {
  if (user.serviceAdminUnit && user.receives?.length)
    return `administrateur des services (${user.serviceAdminUnit}), reçoit les fichiers transférés à ${user.receives.length} destinataire(s)`;
  if (user.serviceAdminUnit) return `administrateur des services (${user.serviceAdminUnit})`;
  if (user.servicesOfficer) return "responsable des services électroniques (RSE)";
  if (user.code === DEMO_PROCURATION.holder) return "utilisateur, procuration sans restriction pour le MAMH";
  return "utilisateur";
}

export function formatDemoAccounts(accounts: DemoAccount[]): string {
  const lines = [
    `Comptes de démonstration (mot de passe commun : ${DEMO_PASSWORD})`,
    "",
    ...accounts.map((a) => `  ${a.code}  ${a.name.padEnd(24)} ${a.organization.padEnd(52)} ${a.role}`),
    "",
    "Codes d'identification des municipalités (demandes d'accès aux services en ligne)",
    "",
    ...ORGANIZATIONS.flatMap((o) =>
      o.identificationCode ? [`  ${o.geoCode ?? ""}  ${o.name.padEnd(24)} ${o.identificationCode}`] : [],
    ),
  ];
  return lines.join("\n");
}
