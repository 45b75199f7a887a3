// Loads the demo organizations and accounts into an empty database, and lists them for the console and README.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { createUserWithCode } from "../accounts/accounts.service.js";
import type { PasswordHasher } from "../auth/password-hasher.js";
import { ensureCatalogue } from "../catalogue/catalogue.service.js";
import {
  countUsers,
  insertOrganization,
  insertServicePoint,
} from "../organizations/organizations.queries.js";
import { DEMO_PASSWORD, type DemoOrganization, MINISTRY, ORGANIZATIONS } from "./demo.data.js";

export type DemoAccount = { code: string; name: string; organization: string; role: string };

/** Loads the demo only into a database that has no user yet; returns the accounts it created. */
export async function seedDemo(db: Kysely<DB>, hasher: PasswordHasher, now: Date): Promise<DemoAccount[]> {
  const passwordHash = await hasher.hash(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    const catalogue = await ensureCatalogue(trx);
    if ((await countUsers(trx)) > 0) return [];
    const accounts: DemoAccount[] = [];
    const addUsers = async (organization: DemoOrganization, organizationId: number) => {
      for (const user of organization.users) {
        const unitId = user.serviceAdminUnit ? catalogue.unitIds.get(user.serviceAdminUnit) : undefined;
        if (user.serviceAdminUnit && unitId === undefined)
          throw new Error(`unknown unit ${user.serviceAdminUnit}`);
        await createUserWithCode(trx, {
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
    }
    return accounts;
  });
}

function roleOf(user: DemoOrganization["users"][number]): string {
  if (user.serviceAdminUnit) return `administrateur des services (${user.serviceAdminUnit})`;
  if (user.servicesOfficer) return "responsable des services électroniques (RSE)";
  return "utilisateur";
}

export function formatDemoAccounts(accounts: DemoAccount[]): string {
  const lines = [
    `Comptes de démonstration (mot de passe commun : ${DEMO_PASSWORD})`,
    "",
    ...accounts.map((a) => `  ${a.code}  ${a.name.padEnd(24)} ${a.organization.padEnd(52)} ${a.role}`),
  ];
  return lines.join("\n");
}
