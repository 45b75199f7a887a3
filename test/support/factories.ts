// Factories: organizations and users made to order, each with unique codes, straight through the app's own queries.
import type { Kysely } from "kysely";
import type { Clock } from "../../src/clock.js";
import type { DB, OrganizationKind } from "../../src/db/schema.js";
import { createUserWithCode } from "../../src/features/accounts/accounts.service.js";
import type { PasswordHasher } from "../../src/features/auth/password-hasher.js";
import { ensureCatalogue } from "../../src/features/catalogue/catalogue.service.js";
import { insertOrganization } from "../../src/features/organizations/organizations.queries.js";
import { insertRole } from "../../src/features/service-roles/service-roles.queries.js";
import type { UserActor } from "../../src/policy/actor.js";
import { TEST_PASSWORD } from "./app.js";

let sequence = 0;
const next = () => ++sequence;

export type MadeOrganization = {
  id: number;
  name: string;
  kind: OrganizationKind;
  geoCode: string | null;
  neq: string | null;
};
export type MadeUser = {
  id: number;
  userCode: string;
  organizationId: number;
  email: string;
  actor: UserActor;
};

export class Factories {
  readonly #db: Kysely<DB>;
  readonly #hasher: PasswordHasher;
  readonly #clock: Clock;
  #passwordHash: Promise<string> | undefined;

  constructor(db: Kysely<DB>, hasher: PasswordHasher, clock: Clock) {
    this.#db = db;
    this.#hasher = hasher;
    this.#clock = clock;
  }

  async organization(kind: OrganizationKind = "municipality", name?: string): Promise<MadeOrganization> {
    if (kind === "ministry") {
      const catalogue = await ensureCatalogue(this.#db);
      return { id: catalogue.ministryId, name: catalogue.ministryName, kind, geoCode: null, neq: null };
    }
    const n = next();
    const geoCode =
      kind === "municipality" ? String(10000 + ((process.pid * 7 + n) % 89999)).padStart(5, "0") : null;
    const neq =
      kind === "body" || kind === "firm" ? String(1_000_000_000 + process.pid * 1000 + n).slice(0, 10) : null;
    const orgName = name ?? `${kind === "municipality" ? "Municipalité" : "Organisation"} d'essai ${n}`;
    const id = await insertOrganization(this.#db, { kind, name: orgName, geo_code: geoCode, neq });
    return { id, name: orgName, kind, geoCode, neq };
  }

  /** A user with TEST_PASSWORD, unless activated is false (then no password: awaiting activation). */
  /**
   * Makes the person local manager of the first `count` services of the catalogue for the organization, and deputy in
   * the others (a home page that lists many services); returns how many there were.
   */
  async manageServices(organizationId: number, userId: number, count: number): Promise<number> {
    const services = await this.#db
      .selectFrom("online_service")
      .select("id")
      .orderBy("sort_order")
      .limit(count)
      .execute();
    for (const [index, service] of services.entries())
      await insertRole(this.#db, {
        role: index === 0 ? "local_manager" : "deputy",
        organizationId,
        servicePointId: null,
        serviceId: service.id,
        userId,
        grantedBy: null,
        accessRequestId: null,
        now: this.#clock(),
      });
    return services.length;
  }

  async user(
    organization: MadeOrganization,
    options: {
      servicesOfficer?: boolean;
      serviceAdminUnit?: string;
      activated?: boolean;
      disabled?: boolean;
      firstName?: string;
      lastName?: string;
    } = {},
  ): Promise<MadeUser> {
    const n = next();
    const userCode =
      `T${(process.pid % 1000).toString().padStart(3, "0")}${n.toString(36).toUpperCase().padStart(3, "0")}`.slice(
        0,
        7,
      );
    this.#passwordHash ??= this.#hasher.hash(TEST_PASSWORD);
    let unitId: number | null = null;
    if (options.serviceAdminUnit) {
      const catalogue = await ensureCatalogue(this.#db);
      unitId = catalogue.unitIds.get(options.serviceAdminUnit) ?? null;
      if (unitId === null) throw new Error(`unknown unit ${options.serviceAdminUnit}`);
    }
    const email = `${userCode.toLowerCase()}@essai.example`;
    const firstName = options.firstName ?? "Prénom";
    const lastName = options.lastName ?? `Nom${n}`;
    const id = await createUserWithCode(this.#db, {
      organizationId: organization.id,
      userCode,
      civility: "Mme",
      firstName,
      lastName,
      jobTitle: "Agente",
      phone: "418 555-0100",
      phoneExtension: null,
      email,
      isServicesOfficer: options.servicesOfficer ?? false,
      ministryUnitId: unitId,
      isServiceAdmin: unitId !== null,
      passwordHash: options.activated === false ? null : await this.#passwordHash,
      now: this.#clock(),
    });
    if (options.disabled) {
      await this.#db
        .updateTable("app_user")
        .set({ disabled_at: this.#clock() })
        .where("id", "=", id)
        .execute();
    }
    return {
      id,
      userCode,
      organizationId: organization.id,
      email,
      actor: {
        kind: "user",
        userId: id,
        userCode,
        firstName,
        lastName,
        organizationId: organization.id,
        organizationKind: organization.kind,
        organizationName: organization.name,
        isServicesOfficer: options.servicesOfficer ?? false,
        isServiceAdmin: unitId !== null,
        ministryUnitId: unitId,
      },
    };
  }
}
