// The financial-aid applications and mandates of the authorization matrix, on top of the world of
// registry-fixtures.ts: in every (organization, service) of the matrix, a draft, a transmitted application and a draft
// whose mandates have ended, made through the real service functions by someone who may write there.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import * as q from "../../src/features/applications/applications.queries.js";
import {
  assignMandate,
  createApplication,
  endMandate,
  saveApplication,
  transmitApplication,
} from "../../src/features/applications/applications.service.js";
import { addAttachment, openAttachmentUpload } from "../../src/features/applications/attachments.js";
import type { ServiceTarget } from "../../src/features/registry/registry.service.js";
import { newSubmissionKey } from "../../src/features/submissions/submissions.service.js";
import { openFileStore } from "../../src/storage/index.js";
import type { TestApp } from "./app.js";
import { COMPLETE_FIELDS } from "./application-fixtures.js";
import { minimalPdf } from "./bad-files.js";
import type { MadeUser } from "./factories.js";
import {
  type AuthzWorld,
  buildAuthzWorld,
  ORGANIZATION_VARIANTS,
  type OrganizationVariant,
  SERVICE_VARIANTS,
  type ServiceVariant,
} from "./registry-fixtures.js";

/** The applications of one (organization, service); « unmandated » is a draft whose mandates have all ended. */
export const APPLICATION_KINDS = ["draft", "transmitted", "unmandated"] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

export type RegistryApplications = Record<ApplicationKind, number> & {
  /** A mandate already ended, on the « unmandated » draft: ending it again is refused after the authorization. */
  endedMandate: number;
};

export type ApplicationWorld = Awaited<ReturnType<typeof buildApplicationWorld>>;

/**
 * - (O,S): RW starts the draft and the « unmandated » one; AW starts, completes and transmits the transmitted one
 *   (mandated to AW as its creator). L and D mandate AW and AR on the draft and AR on the transmitted one; on the
 *   « unmandated » draft L mandates both and D ends both mandates, so there an ended mandate is all they have.
 * - (O2,S): a writer of O2 granted by O2's local manager, who mandates O2's agent on the « unmandated » draft and
 *   ends it.
 * - (O,S2), (O,S3), (O2,S2), (O2,S3): no manager can reach these registries (no manager in S2, L's procuration
 *   leaves S3 out, O2's manager is in S only), so a writer's right is written as it stands, and so is the ended
 *   mandate of a former agent, as a right's end leaves it.
 * Every service of the matrix is an infrastructure service and has the standard form (ensureProgramForms), so each
 * creation below also shows that S, S2 and S3 take applications.
 */
export async function buildApplicationWorld(t: TestApp, world: AuthzWorld) {
  const db = t.database.db;
  const fx = world.fixtures;
  const u = world.users;
  const { O, O2, F2 } = world.organizations;
  const formerAgent = await t.factories.user(F2);
  const store = openFileStore(t.config);
  const deps = { store, maxFileBytes: t.config.transferMaxFileBytes };

  async function create(writer: MadeUser, target: ServiceTarget, title: string): Promise<number> {
    const created = await createApplication(t.ctx(writer.actor), target, { title, key: newSubmissionKey() });
    assert.ok(created.ok, `${title}: ${JSON.stringify(created)}`);
    return created.number;
  }

  /** Started, completed with the council's resolution, and transmitted by the writer. */
  async function transmitted(writer: MadeUser, target: ServiceTarget, title: string): Promise<number> {
    const number = await create(writer, target, title);
    const ctx = t.ctx(writer.actor);
    const fields = { ...COMPLETE_FIELDS, title };
    const saved = await saveApplication(ctx, target.service, number, { revision: "1", fields, locale: "fr" });
    assert.ok(saved.ok, `${title}: ${JSON.stringify(saved)}`);
    const opened = await openAttachmentUpload(ctx, target.service, number, "resolution");
    assert.ok(opened.ok, `${title}: ${JSON.stringify(opened)}`);
    const part = { filename: "Résolution.pdf", stream: Readable.from([minimalPdf()]) };
    const added = await addAttachment(ctx, deps, opened.target, part, "fr");
    assert.ok(added.ok, `${title}: ${JSON.stringify(added)}`);
    const revision = String(saved.revision);
    const sent = await transmitApplication(ctx, target.service, number, { revision, locale: "fr" });
    assert.ok(sent.ok, `${title}: ${JSON.stringify(sent)}`);
    return number;
  }

  async function mandate(manager: MadeUser, target: ServiceTarget, number: number, agent: MadeUser) {
    const outcome = await assignMandate(t.ctx(manager.actor), target.service, number, agent.userCode);
    assert.ok(outcome.ok, `mandate of ${agent.userCode} on ${number}: ${JSON.stringify(outcome)}`);
    const application = await q.findApplicationByNumber(db, number);
    assert.ok(application);
    const row = await db
      .selectFrom("mandate")
      .select("id")
      .where("application_id", "=", application.id)
      .where("agent_user_id", "=", agent.id)
      .where("ended_at", "is", null)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function end(manager: MadeUser, target: ServiceTarget, mandateId: number) {
    const outcome = await endMandate(t.ctx(manager.actor), target.service, mandateId);
    assert.ok(outcome.ok, `end of mandate ${mandateId}: ${JSON.stringify(outcome)}`);
  }

  /** A writer of the organization with a procuration; its right is given by `grant`. */
  async function writerOf(target: ServiceTarget, grant: (writer: MadeUser) => Promise<number>) {
    const writer = await t.factories.user(target.organizationId === O.id ? O : O2);
    await fx.procuration(writer, { ministryId: world.mamh.id });
    await grant(writer);
    return writer;
  }

  /** A mandate of a former agent, ended as a right's end leaves it: for registries no manager can reach. */
  async function formerMandate(number: number, by: MadeUser): Promise<number> {
    const application = await q.findApplicationByNumber(db, number);
    assert.ok(application);
    const id = await q.insertMandate(db, {
      applicationId: application.id,
      agentUserId: formerAgent.id,
      by: by.id,
      now: t.clock(),
    });
    await q.endMandates(db, { mandateId: id }, { by: null, reason: "right_ended", at: t.clock() });
    return id;
  }

  const byRegistry = new Map<string, RegistryApplications>();
  try {
    for (const organization of ORGANIZATION_VARIANTS) {
      for (const service of SERVICE_VARIANTS) {
        const target = world.registryTarget(organization, service);
        const label = `${organization}/${service}`;
        if (organization === "same" && service === "S") {
          const draft = await create(u.RW, target, `Brouillon ${label}`);
          await mandate(u.L, target, draft, u.AW);
          await mandate(u.D, target, draft, u.AR);
          const sent = await transmitted(u.AW, target, `Transmise ${label}`);
          await mandate(u.L, target, sent, u.AR);
          const unmandated = await create(u.RW, target, `Sans mandat ${label}`);
          const ended = await mandate(u.L, target, unmandated, u.AW);
          await end(u.D, target, ended);
          await end(u.D, target, await mandate(u.L, target, unmandated, u.AR));
          byRegistry.set(label, { draft, transmitted: sent, unmandated, endedMandate: ended });
        } else {
          // O2's local manager reaches (O2,S) only.
          const reachable = organization === "other" && service === "S";
          const writer = await writerOf(target, (person) =>
            reachable
              ? fx.grant(u.L2, target, person, "requester.write")
              : fx.grantRow(organization === "same" ? u.L : u.L2, target, person, "requester.write"),
          );
          const draft = await create(writer, target, `Brouillon ${label}`);
          const sent = await transmitted(writer, target, `Transmise ${label}`);
          const unmandated = await create(writer, target, `Sans mandat ${label}`);
          let ended: number;
          if (reachable) {
            ended = await mandate(u.L2, target, unmandated, u.agentF2);
            await end(u.L2, target, ended);
          } else {
            ended = await formerMandate(unmandated, writer);
          }
          byRegistry.set(label, { draft, transmitted: sent, unmandated, endedMandate: ended });
        }
      }
    }
  } finally {
    store.close();
  }

  return {
    /** The applications of (O or O2, S, S2 or S3), and the ended mandate there. */
    of(organization: OrganizationVariant, service: ServiceVariant): RegistryApplications {
      const found = byRegistry.get(`${organization}/${service}`);
      assert.ok(found, `${organization}/${service}`);
      return found;
    },
  };
}

export type MatrixWorld = { world: AuthzWorld; applications: ApplicationWorld };

/** The authorization matrix's world: every kind of actor (registry-fixtures.ts), and each registry's applications. */
export async function buildMatrixWorld(t: TestApp): Promise<MatrixWorld> {
  const world = await buildAuthzWorld(t);
  return { world, applications: await buildApplicationWorld(t, world) };
}
