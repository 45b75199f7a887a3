// Loads the demo organizations and accounts into an empty database, and lists them for the console and README.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import type { FileStore } from "../../storage/file-store.js";
import { addYears, montrealDay } from "../../util/days.js";
import { createUserWithCode } from "../accounts/accounts.service.js";
import type { PasswordHasher } from "../auth/password-hasher.js";
import { ensureCatalogue } from "../catalogue/catalogue.service.js";
import { groupsOfFour } from "../factors/factors.crypto.js";
import { giveDemoAuthenticatorApps } from "../factors/factors.service.js";
import { assignRecipientStaff } from "../file-transfers/file-transfers.service.js";
import { upsertCodeHash } from "../identification-codes/identification-codes.queries.js";
import { normalizeIdentificationCode } from "../identification-codes/identification-codes.service.js";
import {
  countUsers,
  insertOrganization,
  insertServicePoint,
} from "../organizations/organizations.queries.js";
import { insertHolders, insertProcuration, replaceScope } from "../procurations/procurations.queries.js";
import { insertAssociation, insertGrant } from "../registry/registry.queries.js";
import { insertRole } from "../service-roles/service-roles.queries.js";
import { findServiceByCode } from "../services/services.queries.js";
import { seedDemoApplications } from "./demo.applications.js";
import {
  DEMO_CODE_ISSUER,
  DEMO_PASSWORD,
  DEMO_PROCURATION,
  DEMO_REGISTRY,
  DEMO_TOTP_SECRET,
  type DemoOrganization,
  MINISTRY,
  ORGANIZATIONS,
} from "./demo.data.js";

export type DemoAccount = {
  code: string;
  name: string;
  organization: string;
  role: string;
  /** Whether the account has the demo authenticator app (its role needs a second factor). */
  secondFactor: boolean;
};

/** Loads the demo only into a database that has no user yet; returns the accounts it created. */
export async function seedDemo(
  db: Kysely<DB>,
  hasher: PasswordHasher,
  now: Date,
  store: FileStore,
  mfaKey: Buffer,
): Promise<DemoAccount[]> {
  const passwordHash = await hasher.hash(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    const catalogue = await ensureCatalogue(trx);
    if ((await countUsers(trx)) > 0) return [];
    const accounts: DemoAccount[] = [];
    const userIds = new Map<string, number>();
    const organizationIds = new Map<DemoOrganization, number>();
    const servicePointIds = new Map<string, number>();
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
          secondFactor: false,
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
        const pointId = await insertServicePoint(trx, {
          organization_id: id,
          name: point.name,
          civic_number: point.civicNumber,
          street: point.street,
          city: point.city,
          postal_code: point.postalCode,
        });
        servicePointIds.set(`${organization.name}/${point.name}`, pointId);
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
      DEMO_PROCURATION.holders.map(idOf),
      idOf(DEMO_PROCURATION.createdBy),
      now,
    );
    const firm = ORGANIZATIONS.find((o) => o.neq === DEMO_REGISTRY.agentManager.firmNeq);
    const firmId = firm ? organizationIds.get(firm) : undefined;
    const pointId = firm
      ? servicePointIds.get(`${firm.name}/${DEMO_REGISTRY.agentManager.servicePoint}`)
      : undefined;
    if (firmId === undefined || pointId === undefined) throw new Error("the demo registry's firm is missing");
    await seedRegistry(trx, { idOf, quebecId, firmId, pointId, ministryId: catalogue.ministryId, now });
    await seedDemoApplications(trx, { organizationId: quebecId, idOf }, now, store);
    const withApps = new Set(
      await giveDemoAuthenticatorApps(trx, mfaKey, [...userIds.values()], DEMO_TOTP_SECRET, now),
    );
    return accounts.map((account) => ({ ...account, secondFactor: withApps.has(idOf(account.code)) }));
  });
}

/**
 * The registry's demo (DEMO_REGISTRY): the two managers named by the DGI, the firm's procuration,
 * one association and two rights, written as the pages would write them.
 */
async function seedRegistry(
  trx: Kysely<DB>,
  ids: {
    idOf: (code: string) => number;
    quebecId: number;
    firmId: number;
    pointId: number;
    ministryId: number;
    now: Date;
  },
): Promise<void> {
  const { idOf, quebecId, firmId, pointId, ministryId, now } = ids;
  const demo = DEMO_REGISTRY;
  const service = await findServiceByCode(trx, demo.service);
  if (!service) throw new Error(`the demo registry's service ${demo.service} is missing`);
  const today = montrealDay(now);
  const approver = idOf(demo.namedBy);
  const managers = [
    { role: "local_manager", organizationId: quebecId, servicePointId: null, ...demo.localManager },
    { role: "agent_manager", organizationId: firmId, servicePointId: pointId, ...demo.agentManager },
  ] as const;
  // Named by the DGI's administrator directly: the demo leaves the access request queue empty for visitors to fill.
  for (const manager of managers) {
    await insertRole(trx, {
      role: manager.role,
      organizationId: manager.organizationId,
      servicePointId: manager.servicePointId,
      serviceId: service.id,
      userId: idOf(manager.user),
      grantedBy: approver,
      accessRequestId: null,
      now,
    });
  }
  const procurationId = await insertProcuration(trx, {
    organizationId: firmId,
    name: demo.firmProcuration.name,
    startDate: today,
    endDate: addYears(today, demo.firmProcuration.years),
    createdBy: idOf(demo.firmProcuration.createdBy),
    now,
  });
  await replaceScope(trx, procurationId, [{ ministryId, restricted: false, serviceIds: [] }]);
  await insertHolders(
    trx,
    procurationId,
    demo.firmProcuration.holders.map(idOf),
    idOf(demo.firmProcuration.createdBy),
    now,
  );
  const associations = new Map<string, number>();
  for (const code of demo.associated) {
    const associationId = await insertAssociation(trx, {
      servicePointId: pointId,
      serviceId: service.id,
      userId: idOf(code),
      by: idOf(demo.agentManager.user),
      now,
    });
    associations.set(code, associationId);
  }
  for (const grant of demo.grants) {
    await insertGrant(trx, {
      organizationId: quebecId,
      serviceId: service.id,
      userId: idOf(grant.user),
      right: grant.right,
      associationId: associations.get(grant.user) ?? null,
      grantedBy: idOf(demo.localManager.user),
      validUntil: grant.years === null ? null : addYears(today, grant.years),
      now,
    });
  }
}

/** What each demo account is for, as the console prints it. */
const REGISTRY_ROLES: Record<string, string> = {
  [DEMO_REGISTRY.localManager.user]: `gestionnaire local des droits d'accès (${DEMO_REGISTRY.service})`,
  [DEMO_REGISTRY.agentManager.user]:
    `gestionnaire de mandataires, ${DEMO_REGISTRY.agentManager.servicePoint} (${DEMO_REGISTRY.service})`,
  FGCUSR2: `mandataire associé, Mandataire – Rédaction pour la Ville de Québec (${DEMO_REGISTRY.service})`,
  FGCUSR3: `consultant à associer (${DEMO_REGISTRY.service})`,
  QCUSR02: `Requérant – Rédaction (${DEMO_REGISTRY.service})`,
};

function roleOf(user: DemoOrganization["users"][number]): string {
  if (user.serviceAdminUnit && user.receives?.length)
    return `administrateur des services (${user.serviceAdminUnit}), reçoit les fichiers transférés à ${user.receives.length} destinataire(s)`;
  if (user.serviceAdminUnit) return `administrateur des services (${user.serviceAdminUnit})`;
  if (user.servicesOfficer) return "responsable des services électroniques (RSE)";
  const registry = REGISTRY_ROLES[user.code];
  if ((DEMO_PROCURATION.holders as readonly string[]).includes(user.code))
    return ["utilisateur, procuration sans restriction pour le MAMH", registry].filter(Boolean).join(" ; ");
  return registry ? `utilisateur, ${registry}` : "utilisateur";
}

export function formatDemoAccounts(accounts: DemoAccount[]): string {
  const lines = [
    `Comptes de démonstration (mot de passe commun : ${DEMO_PASSWORD})`,
    "",
    ...accounts.map(
      (a) =>
        `${a.secondFactor ? "* " : "  "}${a.code}  ${a.name.padEnd(24)} ${a.organization.padEnd(52)} ${a.role}`,
    ),
    "",
    "* Deuxième facteur : ces comptes ont l'application d'authentification de démonstration. Après le mot de passe,",
    `  entrez son code à 6 chiffres : ajoutez la clé ${groupsOfFour(DEMO_TOTP_SECRET)} à une application`,
    `  d'authentification (clé basée sur le temps), ou calculez le code : oathtool --totp -b ${DEMO_TOTP_SECRET}`,
    "  Chaque code ne sert qu'une fois : pour une deuxième connexion du même compte, attendez le code suivant.",
    "",
    "Codes d'identification des municipalités (demandes d'accès aux services en ligne)",
    "",
    ...ORGANIZATIONS.flatMap((o) =>
      o.identificationCode ? [`  ${o.geoCode ?? ""}  ${o.name.padEnd(24)} ${o.identificationCode}`] : [],
    ),
  ];
  return lines.join("\n");
}
