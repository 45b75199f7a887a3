// « Revue des accès » over HTTP: the manager's page confirms and removes lines; bad input (one's own line, a line
// decided twice, after the deadline, a forged line of another organization) gets a clear French message and changes
// nothing; the services officer's history and its CSV; the ministry's completion and launch, in French and English.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { otherMinistryAdmin, type Service, serviceByCode } from "../support/application-fixtures.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { addAuthenticatorApp, totpCode } from "../support/factors.js";
import { type ReviewWorld, reviewWorld } from "../support/review-fixtures.js";

let t: TestApp;
let service: Service;
let admin: MadeUser;

const START = "2026-11-22T15:00:00Z";
const DAY = 24 * 3_600_000;

before(async () => {
  t = await startTestApp();
  t.clock.set(START);
  service = await serviceByCode(t);
  const ministry = await t.factories.organization("ministry");
  admin = await t.factories.user(ministry, { serviceAdminUnit: "DGI", firstName: "Diane" });
});
after(() => t.close());

type World = ReviewWorld;

/** A municipality with its local manager (its RSE), a deputy and two holders of a right in D34-PIQM. */
function world(): Promise<World> {
  return reviewWorld(t, service, ["Hélène", "Hugo"]);
}

async function launch(): Promise<void> {
  const agent = await t.signIn(admin.userCode);
  const response = await agent.post("/ministere/revues", { lancement: String(service.id) });
  assert.equal(response.statusCode, 303, response.body);
  const page = await agent.follow(response);
  assert.match(textOf(page.body), /Revue lancée pour \d+ organisations?/);
}

async function lineOf(
  org: MadeOrganization,
  userId: number,
  kind: "access_grant" | "deputy" = "access_grant",
) {
  return t.database.db
    .selectFrom("review_line as l")
    .innerJoin("review_campaign as c", "c.id", "l.campaign_id")
    .select(["l.id", "l.decision", "l.decided_by"])
    .where("c.organization_id", "=", org.id)
    .where("l.subject_user_id", "=", userId)
    .where("l.kind", "=", kind)
    .orderBy("l.id", "desc")
    .executeTakeFirstOrThrow();
}

const page = (w: World) => `/services/${encodeURIComponent(service.code)}/organisations/${w.org.id}/revue`;

test("the manager confirms one line and removes another from the page; the removal ends the right and tells its holder", async () => {
  t.clock.set(START);
  const w = await world();
  await launch();
  const manager = await t.signIn(w.manager.userCode);
  const before = await manager.get(page(w));
  assert.equal(before.statusCode, 200);
  const text = textOf(before.body);
  assert.match(text, /Revue des accès/);
  assert.match(text, /0 ligne décidée sur 3/);
  assert.match(text, /Hélène/);
  const [kept, removed] = w.holders;
  assert.ok(kept && removed);
  const keptLine = await lineOf(w.org, kept.id);
  const confirmed = await manager.post(`/revues/lignes/${keptLine.id}/confirmer`, {});
  assert.equal(confirmed.statusCode, 303);
  assert.equal(confirmed.headers.location, page(w));
  assert.match(textOf((await manager.follow(confirmed)).body), /L'accès de Hélène .* est confirmé/);
  const removedLine = await lineOf(w.org, removed.id);
  const removal = await manager.post(`/revues/lignes/${removedLine.id}/retirer`, {});
  assert.equal(removal.statusCode, 303);
  const after = textOf((await manager.follow(removal)).body);
  assert.match(after, /L'accès de Hugo .* est retiré/);
  assert.match(after, /2 lignes décidées sur 3/);
  assert.match(after, /Confirmé par Gabrielle/);
  const ended = await t.database.db
    .selectFrom("access_grant")
    .select(["ended_at", "ended_by"])
    .where("user_id", "=", removed.id)
    .executeTakeFirstOrThrow();
  assert.notEqual(ended.ended_at, null);
  assert.equal(ended.ended_by, w.manager.id);
  const mails = await t.database.db
    .selectFrom("mail_outbox")
    .select("subject")
    .where("to_address", "=", removed.email)
    .execute();
  assert.ok(mails.some((m) => m.subject.startsWith("Guichet — fin d'un droit d'accès")));
  const audits = await t.database.db
    .selectFrom("audit_event")
    .select("action")
    .where("organization_id", "=", w.org.id)
    .where("action", "in", ["review.confirm", "review.remove", "review.launch", "registry.revoke"])
    .execute();
  assert.deepEqual(audits.map((a) => a.action).sort(), [
    "registry.revoke",
    "review.confirm",
    "review.launch",
    "review.remove",
  ]);
});

test("bad input gets a clear French message and changes nothing", async () => {
  t.clock.set(START);
  const w = await world();
  await launch();
  const deputy = await t.signIn(w.deputy.userCode);
  await deputy.get(page(w));

  // One's own line.
  const own = await lineOf(w.org, w.deputy.id, "deputy");
  const ownAnswer = await deputy.post(`/revues/lignes/${own.id}/confirmer`, {});
  assert.equal(ownAnswer.statusCode, 403);
  assert.match(textOf(ownAnswer.body), /Vous ne pouvez pas confirmer ni retirer votre propre accès/);
  assert.equal((await lineOf(w.org, w.deputy.id, "deputy")).decision, null);

  // Twice.
  const [first] = w.holders;
  assert.ok(first);
  const line = await lineOf(w.org, first.id);
  assert.equal((await deputy.post(`/revues/lignes/${line.id}/confirmer`, {})).statusCode, 303);
  const twice = await deputy.post(`/revues/lignes/${line.id}/retirer`, {});
  assert.equal(twice.statusCode, 409);
  assert.match(textOf(twice.body), /Cette ligne a déjà été décidée : rien n'a été changé/);
  const grantRow = await t.database.db
    .selectFrom("access_grant")
    .select("ended_at")
    .where("user_id", "=", first.id)
    .executeTakeFirstOrThrow();
  assert.equal(grantRow.ended_at, null);

  // A forged line of another organization: refused, audited, unchanged.
  const other = await world();
  await launch();
  const otherManager = await t.signIn(other.manager.userCode);
  await otherManager.get(page(other));
  const [, second] = w.holders;
  assert.ok(second);
  const forged = await otherManager.post(`/revues/lignes/${(await lineOf(w.org, second.id)).id}/retirer`, {});
  assert.equal(forged.statusCode, 403);
  assert.match(textOf(forged.body), /Accès refusé|pas autorisé|n'avez pas/i);
  assert.equal((await lineOf(w.org, second.id)).decision, null);
  // An unknown line, and a line id that is no number.
  assert.equal((await otherManager.post("/revues/lignes/999999999/confirmer", {})).statusCode, 404);
  assert.equal((await otherManager.post("/revues/lignes/abc/confirmer", {})).statusCode, 404);

  // After the deadline (the campaign moved back in time, so that the second-factor grace period still runs).
  await t.database.db
    .updateTable("review_campaign")
    .set({ started_at: new Date(Date.parse(START) - 30 * DAY), deadline: new Date(Date.parse(START) - 1000) })
    .where("organization_id", "=", w.org.id)
    .execute();
  const late = await deputy.post(`/revues/lignes/${(await lineOf(w.org, second.id)).id}/confirmer`, {});
  assert.equal(late.statusCode, 409);
  assert.match(textOf(late.body), /Cette revue est terminée \(échéance passée\) : rien n'a été changé/);
  assert.equal((await lineOf(w.org, second.id)).decision, null);
  t.clock.set(START);
});

test("the services officer sees the history and downloads it as CSV; another organization's campaign is refused", async () => {
  t.clock.set(START);
  const w = await world();
  await launch();
  const officer = await t.signIn(w.manager.userCode);
  const history = await officer.get("/revues");
  assert.equal(history.statusCode, 200);
  assert.match(textOf(history.body), /Historique des revues/);
  assert.match(textOf(history.body), new RegExp(`${service.code}.*lancée par le ministère`));
  const csv = await officer.get("/revues.csv");
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers["content-type"]), /^text\/csv/);
  const [header, ...rows] = csv.body
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");
  assert.match(header ?? "", /^Revue;Service;Début;Échéance;Fin;Élément;Code d'utilisateur;Personne/);
  assert.equal(rows.filter((row) => row.includes(service.code)).length, 3, "two rights and a deputy");
  const campaign = await t.database.db
    .selectFrom("review_campaign")
    .select("id")
    .where("organization_id", "=", w.org.id)
    .executeTakeFirstOrThrow();
  assert.equal((await officer.get(`/revues/${campaign.id}`)).statusCode, 200);
  const stranger = await world();
  const strangerAgent = await t.signIn(stranger.manager.userCode);
  assert.equal((await strangerAgent.get(`/revues/${campaign.id}`)).statusCode, 403);
  // A plain holder is no services officer.
  const [holder] = w.holders;
  assert.ok(holder);
  assert.equal((await (await t.signIn(holder.userCode)).get("/revues")).statusCode, 403);
});

test("the ministry sees completion by organization; launching needs a service of its own", async () => {
  t.clock.set(START);
  const w = await world();
  await launch();
  const agent = await t.signIn(admin.userCode);
  const completion = await agent.get(`/ministere/revues?service=${service.id}`);
  assert.equal(completion.statusCode, 200);
  const row = new RegExp(`${w.org.name} 1 0 sur 3 \\(0 %\\)`);
  assert.match(textOf(completion.body), row);
  const empty = await agent.post("/ministere/revues", { lancement: "" });
  assert.equal(empty.statusCode, 400);
  assert.match(textOf(empty.body), /Choisissez le service à revoir/);
  const unknown = await agent.post("/ministere/revues", { lancement: "abc" });
  assert.equal(unknown.statusCode, 400);
  // Launching again while its campaigns are open: nothing new.
  const before = await t.database.db.selectFrom("review_campaign").select("id").execute();
  const again = await agent.post("/ministere/revues", { lancement: String(service.id) });
  assert.equal(again.statusCode, 303);
  assert.equal(
    (await t.database.db.selectFrom("review_campaign").select("id").execute()).length,
    before.length,
  );
  // Another ministry's administrator may not launch it.
  const other = await t.signIn((await otherMinistryAdmin(t)).userCode);
  assert.equal((await other.post("/ministere/revues", { lancement: String(service.id) })).statusCode, 403);
  // In English.
  await agent.post("/langue", { locale: "en", retour: "/ministere/revues" });
  const english = await agent.get(`/ministere/revues?service=${service.id}`);
  assert.match(textOf(english.body), /Access reviews/);
});

test("removing a line asks for the second factor again when the last is older than 10 minutes; confirming does not", async () => {
  t.clock.set(START);
  const w = await world();
  await launch();
  const manager = await t.signIn(w.manager.userCode);
  const { secret } = await addAuthenticatorApp(manager, t.clock());
  t.clock.advance(11 * 60_000);
  const [kept, removed] = w.holders;
  assert.ok(kept && removed);
  await manager.get(page(w));
  const confirmed = await manager.post(`/revues/lignes/${(await lineOf(w.org, kept.id)).id}/confirmer`, {});
  assert.equal(confirmed.headers.location, page(w), "a confirmation ends nothing: no step-up");
  const line = await lineOf(w.org, removed.id);
  const held = await manager.post(`/revues/lignes/${line.id}/retirer`, {});
  assert.equal(held.statusCode, 303);
  const token = /demande=([\w-]+)/.exec(String(held.headers.location))?.[1] ?? "";
  assert.ok(token, String(held.headers.location));
  const prompt = await manager.follow(held);
  assert.match(textOf(prompt.body), /Opération\s: retirer un accès lors d'une revue des accès/);
  assert.equal((await lineOf(w.org, removed.id)).decision, null, "nothing before the factor");
  const proved = await manager.post("/verification-identite", {
    demande: token,
    code: await totpCode(secret, t.clock()),
  });
  assert.equal(proved.statusCode, 303);
  const done = await manager.post("/verification-identite/confirmer", { demande: token });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, page(w));
  assert.equal((await lineOf(w.org, removed.id)).decision, "removed");
});
