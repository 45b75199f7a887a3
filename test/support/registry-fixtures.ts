// Builders for the registry's authorization tests: procurations, roles, service points, associations and grants,
// made through the real service functions where they exist (grants, deputies, associations), and by the app's own
// queries where the point is only to set up a state (a procuration already expired, a role the back office gives).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { AccessRight, Day, ManagerRole, ServiceRoleName } from "../../src/db/schema.js";
import { insertAccessRequest } from "../../src/features/access-requests/access-requests.queries.js";
import { resumeSession, signIn } from "../../src/features/auth/auth.service.js";
import { insertServicePoint } from "../../src/features/organizations/organizations.queries.js";
import {
  insertHolders,
  insertProcuration,
  replaceScope,
} from "../../src/features/procurations/procurations.queries.js";
import {
  associate,
  grantRight,
  nameDeputy,
  type RegistryService,
  revokeRight,
  type ServiceTarget,
} from "../../src/features/registry/registry.service.js";
import { insertRole } from "../../src/features/service-roles/service-roles.queries.js";
import { type Actor, ANONYMOUS, type UserActor } from "../../src/policy/actor.js";
import { addDays, montrealDay } from "../../src/util/days.js";
import { TEST_PASSWORD, type TestApp } from "./app.js";
import type { MadeOrganization, MadeUser } from "./factories.js";

export type PointTarget = ServiceTarget & { servicePointId: number };

export class RegistryFixtures {
  readonly #t: TestApp;

  constructor(t: TestApp) {
    this.#t = t;
  }

  get #db() {
    return this.#t.database.db;
  }

  #today(): Day {
    return montrealDay(this.#t.clock());
  }

  /** An online service of the catalogue, as the registry's service functions take it. */
  async service(code: string): Promise<RegistryService> {
    return this.#db
      .selectFrom("online_service")
      .select(["id", "code", "name", "ministry_id"])
      .where("code", "=", code)
      .executeTakeFirstOrThrow();
  }

  async servicePoint(
    firm: MadeOrganization,
    name = `Point ${randomBytes(4).toString("hex")}`,
  ): Promise<number> {
    return insertServicePoint(this.#db, { organization_id: firm.id, name, city: "Québec" });
  }

  /**
   * A procuration of the holder's own organization covering one ministry: for all its services, or only those
   * given (« avec restriction »). Valid from 30 days ago for two years, or ended yesterday when expired. Others of
   * the organization may hold it too.
   */
  async procuration(
    holder: MadeUser,
    scope: {
      ministryId: number;
      only?: readonly RegistryService[];
      expired?: boolean;
      alsoHeldBy?: readonly MadeUser[];
    },
  ): Promise<number> {
    const today = this.#today();
    const id = await insertProcuration(this.#db, {
      organizationId: holder.organizationId,
      name: `Procuration ${holder.userCode}`,
      startDate: addDays(today, -30),
      endDate: scope.expired ? addDays(today, -1) : addDays(today, 730),
      createdBy: holder.id,
      now: this.#t.clock(),
    });
    await replaceScope(this.#db, id, [
      {
        ministryId: scope.ministryId,
        restricted: scope.only !== undefined,
        serviceIds: (scope.only ?? []).map((service) => service.id),
      },
    ]);
    const holders = [holder, ...(scope.alsoHeldBy ?? [])].map((user) => user.id);
    await insertHolders(this.#db, id, holders, holder.id, this.#t.clock());
    return id;
  }

  /** A role as the back office gives it (local manager, agent manager of a point) or, bypassing the manager, a deputy. */
  async role(
    role: ServiceRoleName,
    user: MadeUser,
    scope: { organizationId: number; service: RegistryService; servicePointId?: number },
  ): Promise<number> {
    return insertRole(this.#db, {
      role,
      organizationId: scope.organizationId,
      servicePointId: scope.servicePointId ?? null,
      serviceId: scope.service.id,
      userId: user.id,
      grantedBy: null,
      accessRequestId: null,
      now: this.#t.clock(),
    });
  }

  /** The agent manager associates a person with the service at their point; returns the association's id. */
  async associate(manager: MadeUser, target: PointTarget, person: MadeUser): Promise<number> {
    const outcome = await associate(this.#t.ctx(manager.actor), target, person.userCode);
    assert.ok(outcome.ok, `association of ${person.userCode}: ${JSON.stringify(outcome)}`);
    const row = await this.#db
      .selectFrom("service_association")
      .select("id")
      .where("user_id", "=", person.id)
      .where("service_id", "=", target.service.id)
      .where("ended_at", "is", null)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** « Nouvelle inscription » by a local manager or deputy; returns the grant's id. */
  async grant(
    manager: MadeUser,
    target: ServiceTarget,
    person: MadeUser,
    right: AccessRight,
    validUntil: Day | null = null,
  ): Promise<number> {
    const outcome = await grantRight(this.#t.ctx(manager.actor), target, {
      userCode: person.userCode,
      right,
      validUntil: validUntil ?? "",
    });
    assert.ok(outcome.ok, `grant to ${person.userCode}: ${JSON.stringify(outcome)}`);
    const id = await this.currentGrantId(target, person);
    assert.ok(id !== null);
    return id;
  }

  /** A grant written as it stands, without the service: for a registry no manager can reach (a restricted procuration). */
  async grantRow(
    grantedBy: MadeUser,
    target: ServiceTarget,
    person: MadeUser,
    right: "requester.write" | "requester.read",
  ): Promise<number> {
    const row = await this.#db
      .insertInto("access_grant")
      .values({
        organization_id: target.organizationId,
        service_id: target.service.id,
        user_id: person.id,
        access_right: right,
        granted_at: this.#t.clock(),
        granted_by: grantedBy.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async currentGrantId(target: ServiceTarget, person: MadeUser): Promise<number | null> {
    const row = await this.#db
      .selectFrom("access_grant")
      .select("id")
      .where("organization_id", "=", target.organizationId)
      .where("service_id", "=", target.service.id)
      .where("user_id", "=", person.id)
      .where("ended_at", "is", null)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** The local manager names a deputy through the registry; returns the role's id. */
  async nameDeputy(manager: MadeUser, target: ServiceTarget, person: MadeUser): Promise<number> {
    const outcome = await nameDeputy(this.#t.ctx(manager.actor), target, person.userCode);
    assert.ok(outcome.ok, `deputy ${person.userCode}: ${JSON.stringify(outcome)}`);
    const row = await this.#db
      .selectFrom("service_role")
      .select("id")
      .where("role", "=", "deputy")
      .where("user_id", "=", person.id)
      .where("organization_id", "=", target.organizationId)
      .where("service_id", "=", target.service.id)
      .where("ended_at", "is", null)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A ministry other than the MAMH, with a unit and one online service of its own. */
  async otherMinistry(): Promise<{ ministry: MadeOrganization; unitId: number; service: RegistryService }> {
    const suffix = randomBytes(3).toString("hex").toUpperCase();
    const name = `Ministère d'essai ${suffix}`;
    const ministry = await this.#db
      .insertInto("organization")
      .values({ kind: "ministry", name, acronym: `ME${suffix}` })
      .returning("id")
      .executeTakeFirstOrThrow();
    const unit = await this.#db
      .insertInto("ministry_unit")
      .values({ organization_id: ministry.id, code: "DGE", name: "Direction générale d'essai" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const service = await this.#db
      .insertInto("online_service")
      .values({
        code: `E${suffix}-ESSAI`,
        name: `Service d'essai ${suffix}`,
        category: "other",
        ministry_id: ministry.id,
        ministry_unit_id: unit.id,
      })
      .returning(["id", "code", "name", "ministry_id"])
      .executeTakeFirstOrThrow();
    return {
      ministry: { id: ministry.id, name, kind: "ministry", geoCode: null, neq: null },
      unitId: unit.id,
      service,
    };
  }

  /** A user of a ministry made one of its service administrators, in the given unit. */
  async serviceAdminOf(ministry: MadeOrganization, unitId: number): Promise<MadeUser> {
    const user = await this.#t.factories.user(ministry);
    await this.#db
      .updateTable("app_user")
      .set({ is_service_admin: true, ministry_unit_id: unitId })
      .where("id", "=", user.id)
      .execute();
    return { ...user, actor: { ...user.actor, isServiceAdmin: true, ministryUnitId: unitId } };
  }

  /** A pending access request as the filing forms insert it. */
  async accessRequest(
    filer: MadeUser,
    designated: MadeUser,
    scope: { service: RegistryService; role?: ManagerRole; servicePointId?: number },
  ): Promise<number> {
    const id = await insertAccessRequest(this.#db, {
      role: scope.role ?? "local_manager",
      replacement: false,
      organizationId: filer.organizationId,
      servicePointId: scope.servicePointId ?? null,
      serviceId: scope.service.id,
      filedBy: filer.id,
      now: this.#t.clock(),
      authority: {
        civility: "Mme",
        lastName: "Gagnon",
        firstName: "Hélène",
        jobTitle: "Directrice générale",
        phone: "418 555-0142",
        phoneExtension: null,
        email: `dg-${filer.organizationId}@autorite.example`,
      },
      designatedUserId: designated.id,
      organizationDetails: {},
      reason: null,
    });
    assert.ok(id !== null, "one pending request per scope");
    return id;
  }

  /** The actor exactly as a signed-in request would see it: signed in through the service, read back from the session. */
  async sessionActor(user: MadeUser): Promise<UserActor> {
    const ctx = this.#t.ctx();
    const signedIn = await signIn(ctx, {
      userCode: user.userCode,
      password: TEST_PASSWORD,
      deviceToken: undefined,
      returnTo: "/",
    });
    assert.ok(signedIn.ok && signedIn.next === "session", `sign-in of ${user.userCode}`);
    const session = await resumeSession(
      { db: this.#t.database.db, now: this.#t.clock(), cache: this.#t.database.readCache },
      signedIn.sessionToken,
    );
    assert.ok(session && "actor" in session, `session of ${user.userCode}`);
    return session.actor;
  }
}

// --- One world with every kind of actor, shared by the authorization matrix and the list tests

/** The actor kinds of issue #5, in the order of the matrix's columns. */
export const ACTOR_KINDS = [
  "anonymous",
  "plain user",
  "RSE",
  "local manager",
  "deputy",
  "Requérant – Rédaction",
  "Requérant – Consultation",
  "agent manager",
  "agent manager of another point",
  "associated staff",
  "Mandataire – Rédaction",
  "Mandataire – Consultation",
  "ministry administrator",
  "other ministry's administrator",
  "deputy, procuration expired",
  "Requérant – Rédaction, revoked",
  "Requérant – Rédaction, past its end date",
] as const;

export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Same = the actors' organization (O, or the firm F at point P); other = O2, or the firm F2 at its point P2. */
export const ORGANIZATION_VARIANTS = ["same", "other"] as const;
/** S: where the roles and rights are; S2: another service of the ministry; S3: one the restricted procurations leave out. */
export const SERVICE_VARIANTS = ["S", "S2", "S3"] as const;

export type OrganizationVariant = (typeof ORGANIZATION_VARIANTS)[number];
export type ServiceVariant = (typeof SERVICE_VARIANTS)[number];

export type AuthzWorld = Awaited<ReturnType<typeof buildAuthzWorld>>;

/**
 * O and O2 (municipalities), the firms F (points P, P1, P3) and F2 (point P2), the MAMH and another ministry.
 * - L: local manager of (O,S) and (O,S3); D: deputy of both; their procurations cover S and S2 only.
 * - the agent manager: of P and P1 in S, and of P in S3, procuration for S and S2 only; another manages P3.
 * - at P in S: associated staff, and the agents with Mandataire – Rédaction / Consultation in (O,S).
 * - requesters of O in S; one more Requérant – Consultation in (O,S3), which nobody of O can reach.
 * - a deputy of (O,S) whose procuration expired; a right revoked; a right whose last day was two days ago.
 * - O2 has its own local manager, requester and agent (of F2) in S; pending access requests for O and O2.
 */
export async function buildAuthzWorld(t: TestApp) {
  const f = t.factories;
  const fx = new RegistryFixtures(t);
  const mamh = await f.organization("ministry");
  const S = await fx.service("D34-PIQM");
  const S2 = await fx.service("D32-PRIMEAU");
  const S3 = await fx.service("D40-FIMEAU");
  const services: Record<ServiceVariant, RegistryService> = { S, S2, S3 };
  const other = await fx.otherMinistry();

  const O = await f.organization("municipality");
  const O2 = await f.organization("municipality");
  const F = await f.organization("firm");
  const F2 = await f.organization("firm");
  const P = await fx.servicePoint(F, "Québec");
  const P1 = await fx.servicePoint(F, "Lévis");
  const P3 = await fx.servicePoint(F, "Rimouski");
  const P2 = await fx.servicePoint(F2, "Gatineau");

  const u = {
    rse: await f.user(O, { servicesOfficer: true }),
    plain: await f.user(O),
    L: await f.user(O),
    D: await f.user(O),
    RW: await f.user(O),
    RR: await f.user(O),
    Dexp: await f.user(O),
    RWrev: await f.user(O),
    RWpast: await f.user(O),
    L2: await f.user(O2),
    staffO2: await f.user(O2),
    AM: await f.user(F),
    AMo: await f.user(F),
    staff: await f.user(F),
    AW: await f.user(F),
    AR: await f.user(F),
    staffP1: await f.user(F),
    AM2: await f.user(F2),
    agentF2: await f.user(F2),
    MA: await f.user(mamh, { serviceAdminUnit: "DGI" }),
    MA2: await fx.serviceAdminOf(other.ministry, other.unitId),
  };

  const everything = { ministryId: mamh.id };
  const onlySAndS2 = { ministryId: mamh.id, only: [S, S2] };
  const procurations = {
    O: await fx.procuration(u.plain, everything),
    O2: await fx.procuration(u.staffO2, everything),
  };
  for (const user of [u.RW, u.RR, u.RWrev, u.RWpast, u.L2]) {
    await fx.procuration(user, everything);
  }
  for (const user of [u.AMo, u.staff, u.AW, u.AR, u.staffP1, u.AM2, u.agentF2]) {
    await fx.procuration(user, everything);
  }
  await fx.procuration(u.L, onlySAndS2);
  await fx.procuration(u.D, onlySAndS2);
  await fx.procuration(u.AM, onlySAndS2);
  await fx.procuration(u.Dexp, { ...everything, expired: true });

  const registry = (organization: MadeOrganization, service: RegistryService): ServiceTarget => ({
    service,
    organizationId: organization.id,
  });
  const point = (firm: MadeOrganization, servicePointId: number, service: RegistryService): PointTarget => ({
    service,
    organizationId: firm.id,
    servicePointId,
  });

  await fx.role("local_manager", u.L, { organizationId: O.id, service: S });
  await fx.role("local_manager", u.L, { organizationId: O.id, service: S3 });
  await fx.nameDeputy(u.L, registry(O, S), u.D);
  await fx.nameDeputy(u.L, registry(O, S), u.Dexp);
  // L's procuration leaves S3 out, so L cannot name this one: the ministry did.
  await fx.role("deputy", u.D, { organizationId: O.id, service: S3 });
  await fx.role("local_manager", u.L2, { organizationId: O2.id, service: S });
  // P1 first: a manager of two points must manage both, whichever row the database finds first.
  await fx.role("agent_manager", u.AM, { organizationId: F.id, service: S, servicePointId: P1 });
  await fx.role("agent_manager", u.AM, { organizationId: F.id, service: S, servicePointId: P });
  await fx.role("agent_manager", u.AM, { organizationId: F.id, service: S3, servicePointId: P });
  await fx.role("agent_manager", u.AMo, { organizationId: F.id, service: S, servicePointId: P3 });
  await fx.role("agent_manager", u.AM2, { organizationId: F2.id, service: S, servicePointId: P2 });

  for (const person of [u.staff, u.AW, u.AR]) await fx.associate(u.AM, point(F, P, S), person);
  await fx.associate(u.AM, point(F, P1, S), u.staffP1);
  await fx.associate(u.AM2, point(F2, P2, S), u.agentF2);

  const today = montrealDay(t.clock());
  await fx.grant(u.L, registry(O, S), u.RW, "requester.write");
  await fx.grant(u.D, registry(O, S), u.RR, "requester.read");
  await fx.grant(u.L, registry(O, S), u.AW, "agent.write", addDays(today, 365));
  await fx.grant(u.D, registry(O, S), u.AR, "agent.read");
  const revoked = await fx.grant(u.L, registry(O, S), u.RWrev, "requester.write");
  await fx.grant(u.L, registry(O, S), u.RWpast, "requester.write", today);
  await fx.grantRow(u.L, registry(O, S3), u.RR, "requester.read");
  await fx.grant(u.L2, registry(O2, S), u.staffO2, "requester.read");
  await fx.grant(u.L2, registry(O2, S), u.agentF2, "agent.write");
  const revocation = await revokeRight(t.ctx(u.L.actor), registry(O, S), revoked);
  assert.ok(revocation.ok);

  const requests = new Map<string, number>();
  for (const variant of SERVICE_VARIANTS) {
    requests.set(`same/${variant}`, await fx.accessRequest(u.plain, u.plain, { service: services[variant] }));
    requests.set(
      `other/${variant}`,
      await fx.accessRequest(u.staffO2, u.staffO2, { service: services[variant] }),
    );
  }
  requests.set("otherMinistry", await fx.accessRequest(u.plain, u.plain, { service: other.service }));

  // Two days pass: RWpast's last day is behind; every other procuration is still valid.
  t.clock.advance(2 * 24 * 3_600_000);

  const users: Record<Exclude<ActorKind, "anonymous">, MadeUser> = {
    "plain user": u.plain,
    RSE: u.rse,
    "local manager": u.L,
    deputy: u.D,
    "Requérant – Rédaction": u.RW,
    "Requérant – Consultation": u.RR,
    "agent manager": u.AM,
    "agent manager of another point": u.AMo,
    "associated staff": u.staff,
    "Mandataire – Rédaction": u.AW,
    "Mandataire – Consultation": u.AR,
    "ministry administrator": u.MA,
    "other ministry's administrator": u.MA2,
    "deputy, procuration expired": u.Dexp,
    "Requérant – Rédaction, revoked": u.RWrev,
    "Requérant – Rédaction, past its end date": u.RWpast,
  };
  const actors = new Map<ActorKind, Actor>();
  for (const kind of ACTOR_KINDS) {
    actors.set(kind, kind === "anonymous" ? ANONYMOUS : await fx.sessionActor(users[kind]));
  }

  return {
    fixtures: fx,
    services,
    mamh,
    other,
    organizations: { O, O2, F, F2 },
    points: { P, P1, P2, P3 },
    users: u,
    /** A procuration of O and one of O2, for the services officer's questions. */
    procurations,
    actors,
    requests,
    /** The registry an action is about, by variant. */
    registryTarget: (organization: OrganizationVariant, service: ServiceVariant): ServiceTarget =>
      registry(organization === "same" ? O : O2, services[service]),
    /** The firm's service point an association action is about, by variant. */
    pointTarget: (organization: OrganizationVariant, service: ServiceVariant): PointTarget =>
      organization === "same" ? point(F, P, services[service]) : point(F2, P2, services[service]),
    /** Every registry and service point of the world, for the lists. */
    allRegistries: [O, O2].flatMap((organization) =>
      SERVICE_VARIANTS.map((variant) => registry(organization, services[variant])),
    ),
    allPoints: [
      ...[P, P1, P3].flatMap((id) => SERVICE_VARIANTS.map((variant) => point(F, id, services[variant]))),
      ...SERVICE_VARIANTS.map((variant) => point(F2, P2, services[variant])),
    ],
  };
}
