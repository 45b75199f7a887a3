// Loads the demo organizations and accounts into an empty database, and lists them for the console and README.
import type { Kysely } from "kysely";
import type { AccessRight, DB } from "../../db/schema.js";
import { ANONYMOUS } from "../../policy/actor.js";
import type { FileStore } from "../../storage/file-store.js";
import { addYears, montrealDay } from "../../util/days.js";
import { createUserWithCode } from "../accounts/accounts.service.js";
import type { PasswordHasher } from "../auth/password-hasher.js";
import { addMinistry, ensureCatalogue, organizationRow } from "../catalogue/catalogue.service.js";
import { createExternalService } from "../external-services/external-services.service.js";
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
import { insertRequest } from "../right-requests/right-requests.queries.js";
import { insertRole } from "../service-roles/service-roles.queries.js";
import { findServiceByCode } from "../services/services.queries.js";
import { seedDemoApplications } from "./demo.applications.js";
import {
  DEMO_CODE_ISSUER,
  DEMO_EXTERNAL_SERVICE,
  DEMO_MTMD_PROCURATION,
  DEMO_PASSWORD,
  DEMO_PAVL_AGENTS,
  DEMO_PROCURATION,
  DEMO_REGISTRY,
  DEMO_RIGHT_REQUESTS,
  DEMO_TOTP_SECRET,
  type DemoOrganization,
  MINISTRY,
  ORGANIZATIONS,
  SECOND_MINISTRY,
  SECOND_MINISTRY_UNITS,
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
    const addUsers = async (
      organization: DemoOrganization,
      organizationId: number,
      unitIds: Map<string, number> = new Map(),
    ) => {
      for (const user of organization.users) {
        const unitId = user.serviceAdminUnit ? unitIds.get(user.serviceAdminUnit) : undefined;
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
    await addUsers(MINISTRY, catalogue.ministryId, catalogue.unitIds);
    // The second ministry is demo data, not the reference catalogue: production knows only the ministries it loads.
    const mtmd = await addMinistry(trx, SECOND_MINISTRY, SECOND_MINISTRY_UNITS);
    await addUsers(SECOND_MINISTRY, mtmd.ministryId, mtmd.unitIds);
    for (const organization of ORGANIZATIONS) {
      const id = await insertOrganization(trx, organizationRow(organization));
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
    await seedProcuration(trx, DEMO_PROCURATION, {
      organizationId: quebecId,
      ministryId: catalogue.ministryId,
      idOf,
      now,
    });
    await seedProcuration(trx, DEMO_MTMD_PROCURATION, {
      organizationId: quebecId,
      ministryId: mtmd.ministryId,
      idOf,
      now,
    });
    const firm = ORGANIZATIONS.find((o) => o.neq === DEMO_REGISTRY.agentManager.firmNeq);
    const firmId = firm ? organizationIds.get(firm) : undefined;
    const pointId = firm
      ? servicePointIds.get(`${firm.name}/${DEMO_REGISTRY.agentManager.servicePoint}`)
      : undefined;
    if (firmId === undefined || pointId === undefined) throw new Error("the demo registry's firm is missing");
    await seedRegistry(trx, DEMO_REGISTRY, {
      idOf,
      quebecId,
      firmId,
      pointId,
      ministryId: catalogue.ministryId,
      now,
    });
    await seedDemoApplications(trx, { organizationId: quebecId, idOf }, now, store);
    await seedRightRequests(trx, { idOf, quebecId, now });
    await seedExternalService(trx, {
      idOf,
      quebecId,
      ministryId: mtmd.ministryId,
      unitIds: mtmd.unitIds,
      now,
    });
    await seedRegistry(trx, DEMO_PAVL_AGENTS, {
      idOf,
      quebecId,
      firmId,
      pointId,
      ministryId: mtmd.ministryId,
      now,
    });
    const withApps = new Set(
      await giveDemoAuthenticatorApps(trx, mfaKey, [...userIds.values()], DEMO_TOTP_SECRET, now),
    );
    return accounts.map((account) => ({ ...account, secondFactor: withApps.has(idOf(account.code)) }));
  });
}

/** A procuration without restriction for one ministry, from today for some years, held by the demo's users. */
async function seedProcuration(
  trx: Kysely<DB>,
  demo: { name: string; createdBy: string; holders: readonly string[]; years: number },
  ids: { organizationId: number; ministryId: number; idOf: (code: string) => number; now: Date },
): Promise<void> {
  const { idOf, now } = ids;
  const today = montrealDay(now);
  const procurationId = await insertProcuration(trx, {
    organizationId: ids.organizationId,
    name: demo.name,
    startDate: today,
    endDate: addYears(today, demo.years),
    createdBy: idOf(demo.createdBy),
    now,
  });
  await replaceScope(trx, procurationId, [{ ministryId: ids.ministryId, restricted: false, serviceIds: [] }]);
  await insertHolders(trx, procurationId, demo.holders.map(idOf), idOf(demo.createdBy), now);
}

/** A registry's demo in one service: its managers, the firm's procuration, associations and rights. */
type RegistryDemo = {
  service: string;
  namedBy: string;
  /** Named here; absent when the service's own seeding names it (PAVL's, with its registration). */
  localManager?: { organizationGeoCode: string; user: string };
  /** Who grants the rights; the local manager when absent. */
  grantedBy?: string;
  agentManager: { user: string };
  firmProcuration: { name: string; createdBy: string; holders: readonly string[]; years: number };
  associated: readonly string[];
  grants: readonly { user: string; right: AccessRight; years: number | null }[];
};

/**
 * A registry's demo (DEMO_REGISTRY in D32-PRIMEAU, DEMO_PAVL_AGENTS in PAVL): the managers named by the ministry, the
 * firm's procuration, the associations and the rights, written as the pages would write them.
 */
async function seedRegistry(
  trx: Kysely<DB>,
  demo: RegistryDemo,
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
  const service = await findServiceByCode(trx, demo.service);
  if (!service) throw new Error(`the demo registry's service ${demo.service} is missing`);
  const today = montrealDay(now);
  const approver = idOf(demo.namedBy);
  const managers = [
    ...(demo.localManager
      ? [
          {
            role: "local_manager",
            organizationId: quebecId,
            servicePointId: null,
            ...demo.localManager,
          } as const,
        ]
      : []),
    { role: "agent_manager", organizationId: firmId, servicePointId: pointId, ...demo.agentManager } as const,
  ];
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
  await seedProcuration(trx, demo.firmProcuration, { organizationId: firmId, ministryId, idOf, now });
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
      grantedBy: idOf(demo.grantedBy ?? demo.localManager?.user ?? demo.namedBy),
      validUntil: grant.years === null ? null : addYears(today, grant.years),
      now,
    });
  }
}

/** The requests for a right waiting in the local manager's queue (DEMO_RIGHT_REQUESTS), as their people filed them. */
async function seedRightRequests(
  trx: Kysely<DB>,
  ids: { idOf: (code: string) => number; quebecId: number; now: Date },
): Promise<void> {
  const service = await findServiceByCode(trx, DEMO_RIGHT_REQUESTS.service);
  if (!service) throw new Error(`the demo requests' service ${DEMO_RIGHT_REQUESTS.service} is missing`);
  for (const request of DEMO_RIGHT_REQUESTS.requests) {
    await insertRequest(trx, {
      userId: ids.idOf(request.user),
      organizationId: ids.quebecId,
      serviceId: service.id,
      right: request.right,
      applicationId: null,
      message: request.message,
      now: ids.now,
      expiresAt: new Date(ids.now.getTime() + DEMO_RIGHT_REQUESTS.days * 86_400_000),
    });
  }
}

/**
 * PAVL, registered by MTMDADM as the back office would (its client_id and secret fixed, for the example service), and
 * Québec's local manager in it, so that « Mes services en ligne » shows the link out.
 */
async function seedExternalService(
  trx: Kysely<DB>,
  ids: {
    idOf: (code: string) => number;
    quebecId: number;
    ministryId: number;
    unitIds: Map<string, number>;
    now: Date;
  },
): Promise<void> {
  const { idOf, now } = ids;
  const demo = DEMO_EXTERNAL_SERVICE;
  const admin = idOf(demo.registeredBy);
  await createExternalService(
    { db: trx, actor: ANONYMOUS, now, ip: null },
    {
      ministryId: ids.ministryId,
      ministryUnitId: ids.unitIds.get(demo.unitCode) ?? null,
      input: {
        code: demo.code,
        name: demo.name,
        category: demo.category,
        externalUrl: demo.externalUrl,
        redirectUris: [...demo.redirectUris],
        postLogoutRedirectUris: [...demo.postLogoutRedirectUris],
        backchannelLogoutUri: demo.backchannelLogoutUri,
        authMethod: "client_secret_basic",
        jwksUri: null,
        minAssurance: demo.minAssurance,
      },
      clientId: demo.clientId,
      secret: demo.clientSecret,
      actedBy: { userId: admin, userCode: demo.registeredBy },
    },
  );
  const service = await findServiceByCode(trx, demo.code);
  if (!service) throw new Error(`the demo external service ${demo.code} is missing`);
  await insertRole(trx, {
    role: "local_manager",
    organizationId: ids.quebecId,
    servicePointId: null,
    serviceId: service.id,
    userId: idOf(demo.localManager.user),
    grantedBy: admin,
    accessRequestId: null,
    now,
  });
}

/** What each demo account is for, as the console prints it. */
const REGISTRY_ROLES: Record<string, string> = {
  [DEMO_REGISTRY.localManager.user]: `gestionnaire local des droits d'accès (${DEMO_REGISTRY.service})`,
  [DEMO_REGISTRY.agentManager.user]:
    `gestionnaire de mandataires, ${DEMO_REGISTRY.agentManager.servicePoint} (${DEMO_REGISTRY.service})`,
  FGCUSR2: `mandataire associé, Mandataire – Rédaction pour la Ville de Québec (${DEMO_REGISTRY.service})`,
  FGCUSR3: `consultant à associer, a demandé « Mandataire – Rédaction » pour la Ville de Québec (${DEMO_REGISTRY.service})`,
  QCUSR03: `a demandé « Requérant – Consultation » (${DEMO_REGISTRY.service})`,
  QCUSR02: `Requérant – Rédaction (${DEMO_REGISTRY.service})`,
};

/** The same in PAVL (DEMO_PAVL_AGENTS). */
const PAVL_ROLES: Record<string, string> = {
  [DEMO_PAVL_AGENTS.agentManager.user]:
    `gestionnaire de mandataires, ${DEMO_PAVL_AGENTS.agentManager.servicePoint} (${DEMO_PAVL_AGENTS.service})`,
  FGCUSR2: `Mandataire – Rédaction pour la Ville de Québec (${DEMO_PAVL_AGENTS.service})`,
};

function roleOf(user: DemoOrganization["users"][number]): string {
  if (user.serviceAdminUnit && user.receives?.length)
    return `administrateur des services (${user.serviceAdminUnit}), reçoit les fichiers transférés à ${user.receives.length} ${user.receives.length > 1 ? "destinataires" : "destinataire"}`;
  if (user.serviceAdminUnit === DEMO_EXTERNAL_SERVICE.unitCode)
    return `administrateur des services (${user.serviceAdminUnit}), service en ligne externe ${DEMO_EXTERNAL_SERVICE.code}`;
  if (user.serviceAdminUnit) return `administrateur des services (${user.serviceAdminUnit})`;
  if (user.servicesOfficer) return "responsable des services électroniques (RSE)";
  const holds = (holders: readonly string[]) => holders.includes(user.code);
  const ministries = [
    holds(DEMO_PROCURATION.holders) ? "le MAMH" : "",
    holds(DEMO_MTMD_PROCURATION.holders) || holds(DEMO_PAVL_AGENTS.firmProcuration.holders) ? "le MTMD" : "",
  ].filter(Boolean);
  const parts = [
    ministries.length > 0 ? `procuration sans restriction pour ${ministries.join(" et ")}` : "",
    REGISTRY_ROLES[user.code] ?? "",
    PAVL_ROLES[user.code] ?? "",
    user.code === DEMO_EXTERNAL_SERVICE.localManager.user
      ? `gestionnaire local des droits d'accès (${DEMO_EXTERNAL_SERVICE.code}, site externe)`
      : "",
  ].filter(Boolean);
  return parts.length > 0 ? `utilisateur, ${parts.join(" ; ")}` : "utilisateur";
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
    `Service en ligne externe du MTMD : ${DEMO_EXTERNAL_SERVICE.code} — ${DEMO_EXTERNAL_SERVICE.name} (${DEMO_EXTERNAL_SERVICE.externalUrl})`,
    `  client OpenID : client_id ${DEMO_EXTERNAL_SERVICE.clientId}, secret (client_secret_basic) ${DEMO_EXTERNAL_SERVICE.clientSecret}`,
    `  redirection ${DEMO_EXTERNAL_SERVICE.redirectUris.join(", ")} ; niveau minimal : deuxième facteur`,
    "",
    "Codes d'identification des municipalités (demandes d'accès aux services en ligne)",
    "",
    ...ORGANIZATIONS.flatMap((o) =>
      o.identificationCode ? [`  ${o.geoCode ?? ""}  ${o.name.padEnd(24)} ${o.identificationCode}`] : [],
    ),
  ];
  return lines.join("\n");
}
