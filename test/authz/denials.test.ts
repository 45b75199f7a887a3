// Every refused registry action carries a machine-readable reason: the service throws it with the action and the
// registry it was about, writes nothing, and the app's error handler records it in the audit log as « denied ».
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Fastify from "fastify";
import { AppError } from "../../src/errors.js";
import {
  associate,
  changeRight,
  grantRight,
  listRegistry,
  nameDeputy,
  revokeRight,
} from "../../src/features/registry/registry.service.js";
import { type Actor, ANONYMOUS } from "../../src/policy/actor.js";
import { registerErrorHandlers } from "../../src/web/errors.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { type AuthzWorld, buildAuthzWorld } from "../support/registry-fixtures.js";

let t: TestApp;
let world: AuthzWorld;

before(async () => {
  t = await startTestApp();
  world = await buildAuthzWorld(t);
});
after(() => t.close());

/** The rows that a refusal must leave as they were. */
async function registryState() {
  const db = t.database.db;
  return {
    grants: await db.selectFrom("access_grant").selectAll().orderBy("id").execute(),
    associations: await db.selectFrom("service_association").selectAll().orderBy("id").execute(),
    roles: await db.selectFrom("service_role").selectAll().orderBy("id").execute(),
    audit: await db.selectFrom("audit_event").select("id").orderBy("id").execute(),
  };
}

/** The denial a call throws, checked to be a 403 that changed nothing. */
async function denialOf(call: () => Promise<unknown>) {
  const before = await registryState();
  const error = await call().then(
    () => assert.fail("expected a refusal"),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.status, 403);
  assert.deepEqual(await registryState(), before, "a refusal writes nothing");
  return error.denial;
}

test("a refused service action throws its action, reason, registry and service, and writes nothing", async () => {
  const { O, O2, F } = world.organizations;
  const { users: u, services } = world;
  const S = services.S;
  const registryOf = (organizationId: number) => `${organizationId}/${S.id}`;
  const grantOfO2 = await world.fixtures.currentGrantId(world.registryTarget("other", "S"), u.staffO2);
  assert.ok(grantOfO2 !== null);

  const cases: [string, () => Promise<unknown>, object][] = [
    [
      "a requester opens the registry",
      () => listRegistry(t.ctx(u.RW.actor), world.registryTarget("same", "S")),
      {
        action: "registry.view",
        reason: "not_registry_manager",
        organizationId: O.id,
        serviceId: S.id,
        targetId: registryOf(O.id),
      },
    ],
    [
      "a deputy names a deputy",
      () => nameDeputy(t.ctx(u.D.actor), world.registryTarget("same", "S"), u.plain.userCode),
      {
        action: "deputy.name",
        reason: "not_local_manager",
        organizationId: O.id,
        serviceId: S.id,
        targetId: registryOf(O.id),
      },
    ],
    [
      "a forged request names another organization's registry",
      () => revokeRight(t.ctx(u.L.actor), world.registryTarget("other", "S"), grantOfO2),
      {
        action: "registry.revoke",
        reason: "other_organization",
        organizationId: O2.id,
        serviceId: S.id,
        targetId: registryOf(O2.id),
      },
    ],
    [
      "a manager whose procuration leaves the service out grants there",
      () =>
        grantRight(t.ctx(u.L.actor), world.registryTarget("same", "S3"), {
          userCode: u.plain.userCode,
          right: "requester.read",
          validUntil: "",
        }),
      {
        action: "registry.grant",
        reason: "service_not_covered",
        organizationId: O.id,
        serviceId: services.S3.id,
        targetId: `${O.id}/${services.S3.id}`,
      },
    ],
    [
      "a deputy whose procuration expired changes a right",
      () =>
        changeRight(t.ctx(u.Dexp.actor), world.registryTarget("same", "S"), 1, { right: "", validUntil: "" }),
      {
        action: "registry.change",
        reason: "no_procuration",
        organizationId: O.id,
        serviceId: S.id,
        targetId: registryOf(O.id),
      },
    ],
    [
      "associated staff associate a colleague",
      () => associate(t.ctx(u.staff.actor), world.pointTarget("same", "S"), u.staffP1.userCode),
      {
        action: "association.add",
        reason: "not_agent_manager",
        organizationId: F.id,
        serviceId: S.id,
        targetId: `${F.id}/${S.id}/${world.points.P}`,
      },
    ],
  ];
  for (const [label, call, expected] of cases) {
    const denial = await denialOf(call);
    assert.deepEqual(denial, { targetType: "registry", ...expected }, label);
  }
});

test("the error handler records a refused registry action in the audit log: denied, with its action, reason and service", async () => {
  // No registry page exists yet: a bare Fastify with the app's own error handler and one test route stands in.
  let current: Actor = ANONYMOUS;
  const probe = Fastify({ logger: false });
  probe.decorateRequest("ctx", () => t.ctx(current));
  registerErrorHandlers(probe);
  probe.get("/registre", async () => {
    await listRegistry(t.ctx(current), world.registryTarget("same", "S"));
    return "ok";
  });
  await probe.ready();
  try {
    const { O } = world.organizations;
    const since = await t.database.db
      .selectFrom("audit_event")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirstOrThrow();
    current = world.users.RR.actor;
    const refused = await probe.inject({ method: "GET", url: "/registre" });
    assert.equal(refused.statusCode, 403);
    current = world.users.L.actor;
    const allowed = await probe.inject({ method: "GET", url: "/registre" });
    assert.equal(allowed.statusCode, 200);
    const rows = await t.database.db
      .selectFrom("audit_event")
      .select([
        "actor_user_id",
        "action",
        "outcome",
        "reason",
        "organization_id",
        "service_id",
        "target_type",
        "target_id",
      ])
      .where("id", ">", Number(since.id ?? 0))
      .execute();
    assert.deepEqual(rows, [
      {
        actor_user_id: world.users.RR.id,
        action: "registry.view",
        outcome: "denied",
        reason: "not_registry_manager",
        organization_id: O.id,
        // The journal of the service's managers shows it.
        service_id: world.services.S.id,
        target_type: "registry",
        target_id: `${O.id}/${world.services.S.id}`,
      },
    ]);
  } finally {
    await probe.close();
  }
});
