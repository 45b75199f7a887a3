// For every actor kind, the rows a list shows are exactly the rows that actor may open one by one: the registry of
// each (organization, service), the associations of each service point, « Mes services en ligne » and the back
// office's queue, and « Revue des accès ». Lists are filtered in SQL; each row is then asked about through the service
// layer on its own.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AppError } from "../../src/errors.js";
import { insertAuditEvents } from "../../src/features/audit/audit.queries.js";
import { getRequest, listQueue } from "../../src/features/back-office/back-office.service.js";
import { journalExport, openJournal, readFilter } from "../../src/features/journal/journal.service.js";
import {
  changeRight,
  checkService,
  dissociate,
  listAssociations,
  listRegistry,
  loadServiceFacts,
} from "../../src/features/registry/registry.service.js";
import {
  decideReviewLine,
  managerReview,
  ministryReviewLines,
  organizationReviews,
  reviewCompletion,
  startDueCampaigns,
} from "../../src/features/reviews/reviews.service.js";
import {
  listReceivedRequests,
  openReceivedRequest,
} from "../../src/features/right-requests/right-requests.service.js";

import { listMyServices } from "../../src/features/services/services.service.js";
import type { Actor } from "../../src/policy/actor.js";
import { montrealDay } from "../../src/util/days.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { ACTOR_KINDS, type AuthzWorld, buildAuthzWorld } from "../support/registry-fixtures.js";

let t: TestApp;
let world: AuthzWorld;

before(async () => {
  t = await startTestApp();
  world = await buildAuthzWorld(t);
  // An association that has ended, at the point the agent manager manages: it must show nowhere.
  const { F } = world.organizations;
  const leaver = await t.factories.user(F);
  await world.fixtures.procuration(leaver, { ministryId: world.mamh.id });
  const target = world.pointTarget("same", "S");
  const associationId = await world.fixtures.associate(world.users.AM, target, leaver);
  assert.ok((await dissociate(t.ctx(world.users.AM.actor), target, associationId)).ok);
});
after(() => t.close());

/** The rows of a list, or none when the list itself is refused (forbidden, or not signed in). */
async function shown<T>(list: () => Promise<T[]>): Promise<T[]> {
  try {
    return await list();
  } catch (error) {
    if (error instanceof AppError && (error.code === "forbidden" || error.code === "unauthenticated"))
      return [];
    throw error;
  }
}

function sorted(ids: Iterable<number>): number[] {
  return [...ids].sort((a, b) => a - b);
}

function actorOf(kind: (typeof ACTOR_KINDS)[number]): Actor {
  const actor = world.actors.get(kind);
  assert.ok(actor, kind);
  return actor;
}

/**
 * Opening a grant: « Modifier » with no right chosen. The service authorizes, finds the grant in this registry,
 * refuses an ended one, and only then finds the field empty, which is the answer of a grant the actor may change;
 * and « Retirer » must be allowed to the same actor.
 */
async function mayOpenGrant(actor: Actor, target: (typeof world.allRegistries)[number], grantId: number) {
  try {
    const outcome = await changeRight(t.ctx(actor), target, grantId, { right: "", validUntil: "" });
    const mayChange = !outcome.ok && outcome.errors.droit?.key === "registry.rightRequired";
    return mayChange && (await checkService(t.ctx(actor), "registry.revoke", target)).allowed;
  } catch (error) {
    if (error instanceof AppError && ["forbidden", "unauthenticated", "not_found"].includes(error.code))
      return false;
    throw error;
  }
}

test("the registry lists exactly the grants each actor may open, in every registry", async () => {
  const db = t.database.db;
  const mismatches: string[] = [];
  let rows = 0;
  for (const kind of ACTOR_KINDS) {
    const actor = actorOf(kind);
    for (const target of world.allRegistries) {
      const listed = sorted((await shown(() => listRegistry(t.ctx(actor), target))).map((row) => row.id));
      const grants = await db
        .selectFrom("access_grant")
        .select("id")
        .where("organization_id", "=", target.organizationId)
        .where("service_id", "=", target.service.id)
        .execute();
      const openable: number[] = [];
      for (const grant of grants) if (await mayOpenGrant(actor, target, grant.id)) openable.push(grant.id);
      rows += grants.length;
      const label = `${kind} in (${target.organizationId}, ${target.service.code})`;
      if (JSON.stringify(listed) !== JSON.stringify(sorted(openable)))
        mismatches.push(`${label}: lists ${listed.join(",")} but may open ${openable.join(",")}`);
    }
  }
  assert.deepEqual(mismatches, []);
  assert.ok(rows > 0);
  // Not vacuous: L and D of (O,S) see the four current rights, and neither the one revoked nor the one past its end.
  const u = world.users;
  for (const manager of ["local manager", "deputy"] as const) {
    const listed = await listRegistry(t.ctx(actorOf(manager)), world.registryTarget("same", "S"));
    assert.deepEqual(sorted(listed.map((row) => row.user_id)), sorted([u.RW.id, u.RR.id, u.AW.id, u.AR.id]));
  }
});

test("the associations of a service point list exactly those each actor may dissociate", async () => {
  const db = t.database.db;
  const mismatches: string[] = [];
  for (const kind of ACTOR_KINDS) {
    const actor = actorOf(kind);
    for (const target of world.allPoints) {
      const listed = sorted((await shown(() => listAssociations(t.ctx(actor), target))).map((row) => row.id));
      const associations = await db
        .selectFrom("service_association")
        .select(["id", "ended_at"])
        .where("service_point_id", "=", target.servicePointId)
        .where("service_id", "=", target.service.id)
        .execute();
      // One by one: the service layer's answer for dissociating this row, which must still be current.
      const openable: number[] = [];
      for (const association of associations) {
        const decision = await checkService(t.ctx(actor), "association.remove", target);
        if (decision.allowed && association.ended_at === null) openable.push(association.id);
      }
      const label = `${kind} at point ${target.servicePointId} in ${target.service.code}`;
      if (JSON.stringify(listed) !== JSON.stringify(sorted(openable)))
        mismatches.push(`${label}: lists ${listed.join(",")} but may open ${openable.join(",")}`);
    }
  }
  assert.deepEqual(mismatches, []);
  // Not vacuous: the agent manager of P and P1 sees the current associations of both points.
  const u = world.users;
  const am = actorOf("agent manager");
  const atP = await listAssociations(t.ctx(am), world.pointTarget("same", "S"));
  assert.deepEqual(sorted(atP.map((row) => row.user_id)), sorted([u.staff.id, u.AW.id, u.AR.id]));
  const atP1 = await listAssociations(t.ctx(am), {
    ...world.pointTarget("same", "S"),
    servicePointId: world.points.P1,
  });
  assert.deepEqual(
    atP1.map((row) => row.user_id),
    [u.staffP1.id],
  );
});

test("« Mes services en ligne » lists exactly the services where the actor holds a role or a current right", async () => {
  const db = t.database.db;
  const services = await db
    .selectFrom("online_service")
    .select(["id", "code", "name", "ministry_id"])
    .execute();
  const { O, O2, F, F2 } = world.organizations;
  const today = montrealDay(t.clock());
  const mismatches: string[] = [];
  for (const kind of ACTOR_KINDS) {
    const actor = actorOf(kind);
    if (actor.kind !== "user") {
      await assert.rejects(listMyServices(t.ctx(actor)), (error: unknown) => error instanceof AppError);
      continue;
    }
    // « Transfert de fichiers » is listed for whoever may send or receive files (issue #7), with no role: not ours.
    const listed = (await listMyServices(t.ctx(actor)))
      .filter((service) => service.roles.length > 0)
      .map((service) => `${service.code}: ${[...service.roles].sort().join(" ")}`)
      .sort();
    // One by one: what the service layer reads the actor holds in each service, for every organization there is.
    const held: string[] = [];
    for (const service of services) {
      const roles = new Set<string>();
      for (const organization of [O, O2, F, F2]) {
        const facts = await loadServiceFacts(db, actor, { service, organizationId: organization.id }, today);
        for (const role of facts.roles) roles.add(role);
        if (facts.right) roles.add(facts.right);
        if (facts.agentManagerOfPoint !== null) roles.add("agent_manager");
      }
      if (roles.size > 0) held.push(`${service.code}: ${[...roles].sort().join(" ")}`);
    }
    held.sort();
    if (JSON.stringify(listed) !== JSON.stringify(held))
      mismatches.push(`${kind}: lists [${listed.join("; ")}] but holds [${held.join("; ")}]`);
  }
  assert.deepEqual(mismatches, []);
  // Not vacuous, and none of the ended rights: RR holds rights in two services, RWrev and RWpast none.
  const codes = async (kind: (typeof ACTOR_KINDS)[number]) =>
    (await listMyServices(t.ctx(actorOf(kind))))
      .filter((service) => service.roles.length > 0)
      .map((service) => service.code)
      .sort();
  assert.deepEqual(await codes("Requérant – Consultation"), ["D34-PIQM", "D40-FIMEAU"]);
  assert.deepEqual(await codes("Requérant – Rédaction, revoked"), []);
  assert.deepEqual(await codes("Requérant – Rédaction, past its end date"), []);
});

test("the back office's queue lists exactly the requests each actor may open", async () => {
  const db = t.database.db;
  const requests = await db.selectFrom("access_request").select("id").execute();
  const mismatches: string[] = [];
  for (const kind of ACTOR_KINDS) {
    const actor = actorOf(kind);
    const queue = await shown(async () => {
      const result = await listQueue(t.ctx(actor), { status: "toutes", service: "", organization: "" });
      return result.rows;
    });
    const listed = sorted(queue.map((row) => row.id));
    const openable: number[] = [];
    for (const request of requests) {
      const opened = await shown(async () => [await getRequest(t.ctx(actor), request.id)]);
      if (opened.length > 0) openable.push(request.id);
    }
    if (JSON.stringify(listed) !== JSON.stringify(sorted(openable)))
      mismatches.push(`${kind}: lists ${listed.join(",")} but may open ${openable.join(",")}`);
  }
  assert.deepEqual(mismatches, []);
  // Not vacuous: the MAMH's administrator sees the six requests for its services, the other ministry's the one.
  const count = async (kind: (typeof ACTOR_KINDS)[number]) =>
    (await listQueue(t.ctx(actorOf(kind)), { status: "toutes", service: "", organization: "" })).rows.length;
  assert.equal(await count("ministry administrator"), 6);
  assert.equal(await count("other ministry's administrator"), 1);
});

test("« Journal des accès » lists exactly the events of the services each actor may see, of their own organization", async () => {
  const { O, O2, F } = world.organizations;
  const { S, S2, S3 } = world.services;
  // One event per organization and service (and one of no service), each named by its details.
  const tags: string[] = [];
  const entries = [O, O2, F].flatMap((organization) =>
    [S, S2, S3, null].map((service) => {
      const tag = `${organization.id}/${service?.code ?? "-"}`;
      tags.push(tag);
      return {
        at: t.clock(),
        actorUserId: null,
        actorCode: null,
        action: "procuration.reminder",
        outcome: "success" as const,
        organizationId: organization.id,
        serviceId: service?.id ?? null,
        details: { tag },
      };
    }),
  );
  await insertAuditEvents(t.database.db, entries);
  const tagOf = new Map(
    (
      await t.database.db
        .selectFrom("audit_event")
        .select(["id", "details"])
        .where("action", "=", "procuration.reminder")
        .execute()
    ).map((row) => [row.id, String((row.details as { tag?: string }).tag)]),
  );
  const mismatches: string[] = [];
  const listedBy = new Map<string, string[]>();
  for (const kind of ACTOR_KINDS) {
    const actor = actorOf(kind);
    const query = { personne: "", service: "", action: "procuration.reminder", du: "", au: "", page: "" };
    const listed = await shown(async () => {
      const reader = await openJournal(t.ctx(actor));
      const read = readFilter(query, reader.services, new Set(["procuration.reminder"]), "o0");
      return journalExport(t.ctx(actor), reader, read);
    });
    const got = listed.map((row) => tagOf.get(row.id) ?? "?").sort();
    listedBy.set(kind, got);
    // One by one: the whole organization for its RSE, otherwise each service where the policy lets them see it.
    const expected: string[] = [];
    if (actor.kind === "user") {
      for (const tag of tags) {
        const [organizationId, code] = tag.split("/");
        if (Number(organizationId) !== actor.organizationId) continue;
        if (actor.isServicesOfficer) {
          expected.push(tag);
          continue;
        }
        const service = [S, S2, S3].find((each) => each.code === code);
        if (!service) continue;
        const target = { service, organizationId: actor.organizationId };
        if ((await checkService(t.ctx(actor), "journal.viewService", target)).allowed) expected.push(tag);
      }
    }
    expected.sort();
    if (JSON.stringify(got) !== JSON.stringify(expected))
      mismatches.push(`${kind}: lists [${got.join(", ")}] but may see [${expected.join(", ")}]`);
  }
  assert.deepEqual(mismatches, []);
  // Not vacuous: O's RSE sees O's four events, L and D of (O,S) the one of S, a deputy whose procuration expired none.
  assert.deepEqual(
    listedBy.get("RSE"),
    [`${O.id}/-`, `${O.id}/${S.code}`, `${O.id}/${S2.code}`, `${O.id}/${S3.code}`].sort(),
  );
  assert.deepEqual(listedBy.get("local manager"), [`${O.id}/${S.code}`]);
  assert.deepEqual(listedBy.get("deputy"), [`${O.id}/${S.code}`]);
  assert.deepEqual(listedBy.get("deputy, procuration expired"), []);
  assert.deepEqual(listedBy.get("Requérant – Rédaction"), []);
});

test("« Revue des accès » marks exactly the lines each actor may decide, and each list shows only its own organization's or ministry's", async () => {
  const db = t.database.db;
  const { O, O2 } = world.organizations;
  const { S } = world.services;
  const now = t.clock();
  // Campaigns for O and O2 as the schedule opens them (their procuration holders, and each service with a manager),
  // and the other ministry's service for O2 by its administrator's launch.
  await db
    .updateTable("organization")
    .set({ created_at: new Date(now.getTime() - 400 * 24 * 3_600_000) })
    .where("id", "in", [O.id, O2.id])
    .execute();
  const opened = await startDueCampaigns(db, now, t.config.review);
  assert.ok(opened >= 2, "campaigns opened");
  const lines = await db
    .selectFrom("review_line as l")
    .innerJoin("review_campaign as c", "c.id", "l.campaign_id")
    .select(["l.id", "c.organization_id"])
    .where("c.organization_id", "in", [O.id, O2.id])
    .where("c.closed_at", "is", null)
    .execute();
  assert.ok(lines.length > 5, "lines to decide");

  // What each page marks with « Confirmer » and « Retirer », read before the deadline.
  const listedBy = new Map<string, number[]>();
  for (const kind of ACTOR_KINDS) {
    const actor = actorOf(kind);
    const listed = new Set<number>();
    for (const target of world.allRegistries) {
      const campaign = await shown(async () => [await managerReview(t.ctx(actor), target)]);
      for (const line of campaign[0]?.lines ?? []) if (line.decidable) listed.add(line.line_id);
    }
    const officer = await shown(async () => (await organizationReviews(t.ctx(actor))).lines);
    for (const line of officer) if (line.decidable) listed.add(line.line_id);
    for (const line of await shown(() => ministryReviewLines(t.ctx(actor))))
      if (line.decidable) listed.add(line.line_id);
    listedBy.set(kind, sorted(listed));
  }
  // One by one, once the deadline has passed: an actor allowed to decide the line (and not its subject) is told the
  // review is over; anyone else is refused before that, or told it is their own line. Nothing is written either way.
  await db
    .updateTable("review_campaign")
    .set({ started_at: new Date(now.getTime() - 2000), deadline: new Date(now.getTime() - 1000) })
    .where("organization_id", "in", [O.id, O2.id])
    .where("closed_at", "is", null)
    .execute();
  const mismatches: string[] = [];
  for (const kind of ACTOR_KINDS) {
    const actor = actorOf(kind);
    const openable: number[] = [];
    for (const line of lines) {
      const outcome = await shown(async () => [await decideReviewLine(t.ctx(actor), line.id, "confirmed")]);
      const first = outcome[0];
      if (first && !first.ok && first.key === "reviews.pastDeadline") openable.push(line.id);
    }
    const listed = listedBy.get(kind) ?? [];
    if (JSON.stringify(listed) !== JSON.stringify(sorted(openable)))
      mismatches.push(`${kind}: marks ${listed.join(",")} but may decide ${openable.join(",")}`);
  }
  assert.deepEqual(mismatches, []);
  const undecided = await db
    .selectFrom("review_line")
    .select("id")
    .where("decision", "is not", null)
    .execute();
  assert.deepEqual(undecided, [], "nothing was decided");
  // Not vacuous: L and D of (O,S) decide lines of (O,S); O's RSE the procuration holders; the others nothing of O.
  const ofO = new Set(lines.filter((l) => l.organization_id === O.id).map((l) => l.id));
  for (const kind of ["local manager", "deputy", "RSE"] as const)
    assert.ok(
      (listedBy.get(kind) ?? []).some((id) => ofO.has(id)),
      `${kind} decides lines of O`,
    );
  for (const kind of [
    "plain user",
    "Requérant – Rédaction",
    "agent manager",
    "other ministry's administrator",
  ] as const)
    assert.deepEqual(listedBy.get(kind), [], kind);
  // The MAMH's administrator: the managers' own lines only (the deputy's role in (O,S)), never a right of O's staff.
  const byMinistry = listedBy.get("ministry administrator") ?? [];
  assert.ok(byMinistry.length > 0);
  const subjects = await db
    .selectFrom("review_line")
    .select("subject_user_id")
    .where("id", "in", byMinistry)
    .execute();
  const managers = [world.users.L.id, world.users.D.id, world.users.Dexp.id];
  assert.ok(subjects.every((line) => managers.includes(line.subject_user_id)));

  // The organization's history: its own campaigns only, for its RSE; the ministry's completion: its services only.
  const history = await organizationReviews(t.ctx(actorOf("RSE")));
  const campaigns = await db.selectFrom("review_campaign").select(["id", "organization_id"]).execute();
  assert.deepEqual(
    sorted(history.history.map((row) => row.id)),
    sorted(campaigns.filter((c) => c.organization_id === O.id).map((c) => c.id)),
  );
  const completion = await reviewCompletion(t.ctx(actorOf("ministry administrator")), { service: "" });
  const expected = await db
    .selectFrom("review_campaign as c")
    .innerJoin("online_service as s", "s.id", "c.service_id")
    .select("c.organization_id")
    .distinct()
    .where("s.ministry_id", "=", world.mamh.id)
    .execute();
  assert.deepEqual(
    sorted(completion.rows.map((row) => row.organization_id)),
    sorted(expected.map((row) => row.organization_id)),
  );
  assert.ok(completion.rows.some((row) => row.organization_id === O.id));
  // The other ministry's administrator: none of the MAMH's campaigns (O and O2 have managers only in its services).
  const other = await reviewCompletion(t.ctx(actorOf("other ministry's administrator")), { service: "" });
  assert.deepEqual(other.rows, []);
  await assert.rejects(
    reviewCompletion(t.ctx(actorOf("other ministry's administrator")), { service: String(S.id) }),
    (error: unknown) => error instanceof AppError && error.code === "forbidden",
  );
});

test("« Demandes d'accès reçues » lists exactly the requests for a right each actor may open and decide", async () => {
  const db = t.database.db;
  const { O, O2 } = world.organizations;
  const { S, S2, S3 } = world.services;
  const u = world.users;
  // One open request per registry of O, and one of O2 in S; and one of (O,S) already decided, which still shows.
  const at = t.clock();
  const expiresAt = new Date(at.getTime() + 30 * 86_400_000);
  const rows = [
    { user: u.plain, organization: O, service: S, right: "requester.write" as const },
    { user: u.plain, organization: O, service: S2, right: "requester.write" as const },
    { user: u.plain, organization: O, service: S3, right: "requester.write" as const },
    { user: u.staffO2, organization: O2, service: S, right: "requester.write" as const },
  ];
  for (const row of rows) {
    await db
      .insertInto("right_request")
      .values({
        user_id: row.user.id,
        organization_id: row.organization.id,
        service_id: row.service.id,
        access_right: row.right,
        created_at: at,
        expires_at: expiresAt,
      })
      .execute();
  }
  await db
    .insertInto("right_request")
    .values({
      user_id: u.plain.id,
      organization_id: O.id,
      service_id: S.id,
      access_right: "requester.read",
      status: "refused",
      refusal_reason: "Non",
      decided_by: u.L.id,
      decided_at: at,
      created_at: at,
      expires_at: expiresAt,
    })
    .execute();
  const requests = await db.selectFrom("right_request").select("id").execute();
  const mismatches: string[] = [];
  const listedBy = new Map<string, number>();
  for (const kind of ACTOR_KINDS) {
    const actor = actorOf(kind);
    const listed = sorted((await shown(() => listReceivedRequests(t.ctx(actor)))).map((row) => row.id));
    listedBy.set(kind, listed.length);
    const openable: number[] = [];
    for (const request of requests) {
      try {
        await openReceivedRequest(t.ctx(actor), request.id);
        openable.push(request.id);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
    }
    if (JSON.stringify(listed) !== JSON.stringify(sorted(openable)))
      mismatches.push(`${kind}: lists ${listed.join(",")} but may open ${openable.join(",")}`);
  }
  assert.deepEqual(mismatches, []);
  // Not vacuous: L and D of (O,S) see its two requests (their procurations leave S3 out, and they manage no S2);
  // a deputy whose procuration expired, a requester, the RSE and O2's people of O see none.
  assert.equal(listedBy.get("local manager"), 2);
  assert.equal(listedBy.get("deputy"), 2);
  assert.equal(listedBy.get("deputy, procuration expired"), 0);
  assert.equal(listedBy.get("Requérant – Rédaction"), 0);
  assert.equal(listedBy.get("RSE"), 0);
});
