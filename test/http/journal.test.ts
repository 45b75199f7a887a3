// « Journal des accès » and « Mon historique » over HTTP (issue #15, section 4): the RSE sees every event of the
// organization, a local manager or deputy only those of their services; who, what (a label, not a code), whom, which
// service, from where, the outcome with denials; filters with their French messages for bad input; keyset pages that
// hold still while events are added; the CSV file as safe as « Qui a accès »; never another organization's events.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { insertAuditEvents } from "../../src/features/audit/audit.queries.js";
import {
  historyPage,
  journalPage,
  openJournal,
  organizationKey,
  QUERY,
  readFilter,
} from "../../src/features/journal/journal.service.js";
import { LABELLED_ACTIONS } from "../../src/features/journal/journal.views.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import {
  giveRole,
  procurationFor,
  type RegistryService,
  register,
  serviceByCode,
  urls,
} from "../support/registry-pages.js";

let t: TestApp;
let service: RegistryService;
let otherService: RegistryService;

type Municipality = {
  org: MadeOrganization;
  rse: MadeUser;
  manager: MadeUser;
  deputy: MadeUser;
  /** Local manager of the other service only. */
  otherManager: MadeUser;
  staff: MadeUser;
  colleague: MadeUser;
};

let city: Municipality;
let otherCity: Municipality;

async function municipality(name: string): Promise<Municipality> {
  const f = t.factories;
  const org = await f.organization("municipality", name);
  const rse = await f.user(org, { servicesOfficer: true, firstName: "Rita", lastName: `RSE ${name}` });
  const manager = await f.user(org, { firstName: "Louise", lastName: `Gestionnaire ${name}` });
  const deputy = await f.user(org, { firstName: "Denis", lastName: `Adjoint ${name}` });
  const otherManager = await f.user(org, { firstName: "Omer", lastName: `Autre ${name}` });
  const staff = await f.user(org, { firstName: "Sylvie", lastName: `Employée ${name}` });
  // A name a spreadsheet would run as a formula: the CSV must neutralize it.
  const colleague = await f.user(org, { firstName: '=HYPERLINK("x")', lastName: `Collègue ${name}` });
  await procurationFor(t, org, [manager, deputy, otherManager], rse, { ministryId: service.ministry_id });
  await giveRole(t, { role: "local_manager", org, user: manager, service, by: null });
  await giveRole(t, { role: "deputy", org, user: deputy, service, by: manager });
  await giveRole(t, { role: "local_manager", org, user: otherManager, service: otherService, by: null });
  return { org, rse, manager, deputy, otherManager, staff, colleague };
}

before(async () => {
  t = await startTestApp({ countStatements: true });
  service = await serviceByCode(t, "D34-PIQM");
  otherService = await serviceByCode(t, "D35-TECQ 2014");
  city = await municipality("Val-des-Essais");
  otherCity = await municipality("Mont-Témoin");
  // Events: a grant in each service of each city, and a denial (a staff member at the registry's door).
  for (const c of [city, otherCity]) {
    const manager = await t.signIn(c.manager.userCode);
    assert.equal(
      (await register(manager, service, c.org.id, c.staff.userCode, "requester.write")).statusCode,
      303,
    );
    const other = await t.signIn(c.otherManager.userCode);
    assert.equal(
      (await register(other, otherService, c.org.id, c.colleague.userCode, "requester.read")).statusCode,
      303,
    );
    const staff = await t.signIn(c.staff.userCode);
    assert.equal((await staff.get(urls.registry(service, c.org.id))).statusCode, 403);
  }
});
after(() => t.close());

function text(response: Response): string {
  return textOf(response.body);
}

/** The rows of the page's events table, each as text. */
function rowsOf(response: Response): string[] {
  const table = /<table class="journal">([\s\S]*?)<\/table>/.exec(response.body)?.[1] ?? "";
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? "";
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1] ?? ""));
}

/** The address of « Événements plus anciens », or null on the last page. */
function olderLink(response: Response): string | null {
  const href = /<a href="([^"]+)" rel="next">/.exec(response.body)?.[1];
  return href ? href.replace(/&amp;/g, "&") : null;
}

async function journal(agent: Agent, query = ""): Promise<Response> {
  return agent.get(`/journal${query ? `?${query}` : ""}`);
}

const MANAGED_BY_OTHERS = (c: Municipality) => [
  c.manager.userCode,
  c.otherManager.userCode,
  c.staff.userCode,
];

test("the RSE sees the organization's events: when, who, what in words, whom, service, address, outcome, denials", async () => {
  // An online service's question about the staff member, refused: the decision API keeps it with its client.
  await insertAuditEvents(t.database.db, [
    {
      at: t.clock(),
      actorUserId: null,
      actorCode: null,
      action: "api.decision",
      outcome: "denied",
      reason: "not_mandated",
      organizationId: city.org.id,
      serviceId: service.id,
      subjectUserId: city.staff.id,
      targetType: "user",
      targetId: String(city.staff.id),
      details: { client: "pavl-essai" },
    },
  ]);
  const rse = await t.signIn(city.rse.userCode);
  const page = await journal(rse);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1>Journal des accès<\/h1>/);
  assert.match(page.body, /<caption id="journal-legende"[^>]*>Journal des accès<\/caption>/);
  const rows = rowsOf(page);
  const grant = rows.find(
    (row) => row.includes("Droit d'accès accordé") && row.includes(city.staff.userCode),
  );
  assert.ok(grant, "the grant to the staff member is listed in words");
  assert.match(grant, new RegExp(`Louise Gestionnaire Val-des-Essais \\(${city.manager.userCode}\\)`));
  assert.match(grant, new RegExp(`Sylvie Employée Val-des-Essais \\(${city.staff.userCode}\\)`));
  assert.match(grant, /D34-PIQM/);
  assert.match(grant, /Réussi/);
  assert.match(grant, /127\.0\.0\.1/);
  assert.match(grant, /2026/);
  const denial = rows.find((row) => row.includes("Consultation du registre"));
  assert.ok(denial, "the staff member's refused visit to the registry is listed");
  // Without a procuration covering the service, the staff member is refused at the enterprise layer.
  assert.match(denial, /Refusé \(no_procuration\)/);
  assert.match(denial, /D34-PIQM/);
  assert.ok(
    rows.some((row) => row.includes("Connexion")),
    "sign-ins are listed",
  );
  const asked = rows.find((row) => row.includes("Décision demandée par un service en ligne"));
  assert.ok(asked);
  assert.match(asked, /Service en ligne pavl-essai .*Sylvie Employée.*Refusé \(not_mandated\)/);
  assert.ok(!page.body.includes("registry.grant<"), "the raw code is not what a person reads");
  // Never another organization's events: none of the other city's people appears.
  for (const code of MANAGED_BY_OTHERS(otherCity)) assert.ok(!page.body.includes(code), code);
});

test("filters by person, service, action and days select in SQL, and a manager sees only their services", async () => {
  const rse = await t.signIn(city.rse.userCode);
  const byPerson = rowsOf(await journal(rse, `personne=${city.staff.userCode.toLowerCase()}`));
  assert.ok(byPerson.length > 0);
  assert.ok(
    byPerson.every((row) => row.includes(city.staff.userCode)),
    "the person acted or was acted on",
  );
  const byService = rowsOf(await journal(rse, `service=${encodeURIComponent(otherService.code)}`));
  assert.ok(byService.length > 0);
  assert.ok(byService.every((row) => row.includes(otherService.code)));
  const byAction = rowsOf(await journal(rse, "action=registry.grant"));
  assert.equal(byAction.length, 2, "one grant in each service");
  assert.ok(byAction.every((row) => row.includes("Droit d'accès accordé")));
  assert.equal(rowsOf(await journal(rse, "action=registry.grant&du=2026-11-22&au=2026-11-22")).length, 2);
  const later = await journal(rse, "du=2026-11-23");
  assert.equal(later.statusCode, 200);
  assert.match(text(later), /Aucun événement ne correspond à ces critères\./);

  // The local manager of D34-PIQM: its events only, never D35's; the deputy the same.
  for (const user of [city.manager, city.deputy]) {
    const manager = await t.signIn(user.userCode);
    const page = await journal(manager);
    assert.equal(page.statusCode, 200);
    const rows = rowsOf(page);
    assert.ok(rows.some((row) => row.includes("Droit d'accès accordé") && row.includes(city.staff.userCode)));
    assert.ok(
      rows.every((row) => row.includes(service.code)),
      "every event is of their service",
    );
    assert.ok(!page.body.includes(city.colleague.userCode), "nothing of the other service");
    const forged = await journal(manager, `service=${encodeURIComponent(otherService.code)}`);
    assert.equal(forged.statusCode, 400);
    assert.match(text(forged), /Choisissez un service de la liste\./);
    assert.deepEqual(rowsOf(forged), []);
  }
  const otherManager = await t.signIn(city.otherManager.userCode);
  const theirs = rowsOf(await journal(otherManager));
  assert.ok(theirs.length > 0 && theirs.every((row) => row.includes(otherService.code)));
});

test("bad filters get a clear French message, no events and no 500", async () => {
  const rse = await t.signIn(city.rse.userCode);
  const cases: [string, RegExp][] = [
    ["personne=abc", /Le code d'utilisateur contient 7 lettres et chiffres/],
    ["du=2026-02-30", /Entrez une date valide, au format AAAA-MM-JJ\./],
    ["au=hier", /Entrez une date valide, au format AAAA-MM-JJ\./],
    ["du=2026-11-22&au=2026-11-01", /La date de fin ne peut pas précéder la date de début\./],
    ["service=INCONNU", /Choisissez un service de la liste\./],
    ["action=registry.drop", /Choisissez une action de la liste\./],
    ["action=registry.drop&personne[]=x", /Choisissez une action de la liste\./],
  ];
  for (const [query, message] of cases) {
    const page = await journal(rse, query);
    assert.equal(page.statusCode, 400, query);
    assert.match(text(page), message, query);
    assert.match(page.body, /class="error-summary"/, query);
    assert.deepEqual(rowsOf(page), [], query);
    const csv = await rse.get(`/journal.csv?${query}`);
    assert.equal(csv.statusCode, 400, `csv ${query}`);
    assert.match(text(csv), message, `csv ${query}`);
  }
});

test("whatever the query string holds, never a 5xx: the page, the CSV and the history", async () => {
  const rse = await t.signIn(city.rse.userCode);
  const nasty = [
    "x".repeat(5000),
    "'; drop table audit_event; --",
    "2026-11-22T00:00",
    "99999-01-01",
    "0000-00-00",
    "Ｔ６２１００６",
    "%E2%80%AE",
    "%FF%FE",
    Buffer.from("o1|2026-11-22T00:00:00.000000Z|1").toString("base64url"),
    Buffer.from("o1|not a date|1").toString("base64url"),
    Buffer.from(`o${city.org.id}|2026-99-99T99:99:99.999999Z|1`).toString("base64url"),
    Buffer.from(`o${city.org.id}|2026-11-22T00:00:00.000000Z|99999999999999999`).toString("base64url"),
  ];
  for (const value of nasty) {
    for (const name of ["personne", "service", "action", "du", "au", "page"]) {
      for (const path of ["/journal", "/journal.csv", "/profil/historique"]) {
        const response = await rse.get(
          `${path}?${name}=${value.startsWith("%") ? value : encodeURIComponent(value)}`,
        );
        assert.ok(response.statusCode < 500, `${path} ${name}=${value.slice(0, 40)}: ${response.statusCode}`);
      }
    }
  }
});

test("anyone without the role is refused, audited, and the history is one's own", async () => {
  const staff = await t.signIn(city.staff.userCode);
  assert.equal((await journal(staff)).statusCode, 403);
  const refusal = await t.database.db
    .selectFrom("audit_event")
    .select(["outcome", "reason", "organization_id"])
    .where("action", "=", "journal.viewOrganization")
    .where("actor_user_id", "=", city.staff.id)
    .executeTakeFirst();
  assert.deepEqual(refusal, {
    outcome: "denied",
    reason: "not_services_officer",
    organization_id: city.org.id,
  });

  // Someone tries a wrong password with the staff member's code: their history shows it, with the address.
  const stranger = t.agent();
  await stranger.get("/connexion");
  assert.equal(
    (await stranger.post("/connexion", { userCode: city.staff.userCode, password: "mauvais" })).statusCode,
    401,
  );
  const history = await staff.get("/profil/historique");
  assert.equal(history.statusCode, 200);
  assert.match(history.body, /<h1>Mon historique<\/h1>/);
  const rows = rowsOf(history);
  assert.ok(
    rows.some((row) => row.includes("Connexion")),
    "their sign-ins",
  );
  assert.ok(
    rows.some((row) => row.includes("Droit d'accès accordé") && row.includes("D34-PIQM")),
    "rights received",
  );
  assert.ok(
    rows.every((row) => row.includes(city.staff.userCode)),
    "only events about them",
  );
  assert.ok(!rows.some((row) => row.includes("Décision demandée")), "not the online services' questions");
  assert.ok(
    rows.some((row) => row.includes("Connexion") && row.includes("Échoué (wrong_password)")),
    "a failed sign-in with their code",
  );
  assert.ok(!history.body.includes(city.colleague.userCode));
  assert.match((await staff.get("/profil")).body, /href="\/profil\/historique"/);
});

test("pages by cursor: 50 a page, each event once, still while new events arrive; a cursor of another organization is refused", async () => {
  const base = Date.parse("2026-11-20T12:00:00Z");
  const entry = (i: number, organizationId: number) => ({
    at: new Date(base + Math.floor(i / 3) * 1000), // three events per second: the id breaks the ties
    actorUserId: city.rse.id,
    actorCode: city.rse.userCode,
    action: "account.view",
    outcome: "success" as const,
    organizationId,
    ip: "192.0.2.7",
    details: { n: i },
  });
  await insertAuditEvents(
    t.database.db,
    Array.from({ length: 120 }, (_, i) => entry(i, city.org.id)),
  );
  const rse = await t.signIn(city.rse.userCode);
  const query = "action=account.view";
  const first = await journal(rse, query);
  assert.equal(rowsOf(first).length, 50);
  assert.match(first.body, /Événements plus anciens/);
  // New events arrive meanwhile: they are newer, so they never shift the pages that follow.
  await insertAuditEvents(t.database.db, [entry(500, city.org.id), entry(501, city.org.id)]);
  const ids = (response: Response) => [...response.body.matchAll(/data-action="account.view"/g)].length;
  let page = first;
  let pages = 1;
  let total = ids(first);
  let next = olderLink(page);
  while (next) {
    page = await rse.get(next);
    assert.equal(page.statusCode, 200);
    pages++;
    total += ids(page);
    next = olderLink(page);
  }
  assert.equal(pages, 3);
  assert.equal(total, 120, "every event once, none of those added meanwhile");
  assert.match(page.body, /Revenir aux plus récents/);

  // The other city's RSE, with this city's cursor: refused with a message, and only their own events.
  const cursor = new URL(olderLink(first) ?? "", "http://x").searchParams.get("page") ?? "";
  const other = await t.signIn(otherCity.rse.userCode);
  const refused = await journal(other, `page=${cursor}`);
  assert.equal(refused.statusCode, 400);
  assert.match(text(refused), /Ce lien vers une page du journal n'est pas valide ici\./);
  for (const code of MANAGED_BY_OTHERS(city)) assert.ok(!refused.body.includes(code), code);
  assert.deepEqual(rowsOf(await journal(other, query)), [], "no account.view event in the other city");
  // Every filter and a forged cursor of their own journal still give nothing of this city.
  const forged = Buffer.from(`o${otherCity.org.id}|2099-01-01T00:00:00.000000Z|999999999`).toString(
    "base64url",
  );
  for (const q of [
    `personne=${city.staff.userCode}`,
    `page=${forged}`,
    `service=${encodeURIComponent(service.code)}`,
  ]) {
    const response = await journal(other, q);
    assert.equal(response.statusCode, 200, q);
    const rows = rowsOf(response).join("\n");
    assert.ok(rows.length > 0 || q.startsWith("personne"), q);
    for (const code of MANAGED_BY_OTHERS(city)) assert.ok(!rows.includes(code), `${q}: ${code}`);
  }
  const history = await (await t.signIn(city.staff.userCode)).get(`/profil/historique?page=${cursor}`);
  assert.equal(history.statusCode, 400, "an organization's cursor is not a person's");
});

test("the CSV file: the filtered events, one per line, safe in a spreadsheet", async () => {
  const rse = await t.signIn(city.rse.userCode);
  const response = await rse.get("/journal.csv?action=registry.grant");
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers["content-type"]), /^text\/csv; charset=utf-8/);
  assert.match(
    String(response.headers["content-disposition"]),
    /attachment; filename="journal-des-acces-2026-11-22\.csv"/,
  );
  assert.equal(response.headers["cache-control"], "no-store");
  assert.ok(response.body.startsWith("\uFEFF"));
  const lines = response.body.slice(1).trimEnd().split("\r\n");
  assert.equal(lines.length, 3, "the header and the two grants");
  assert.match(lines[0] ?? "", /^Date et heure;Qui;Code d'utilisateur;Quoi;Code de l'action;À qui;Service;/);
  assert.ok(lines.slice(1).every((line) => line.includes(";Droit d'accès accordé;registry.grant;")));
  assert.ok(
    lines.some((line) => /^2026-11-22 \d\d:\d\d:\d\d;/.test(line)),
    "Québec time, sortable",
  );
  const formula = lines.find((line) => line.includes("HYPERLINK"));
  assert.ok(formula);
  assert.match(formula, /;"'=HYPERLINK\(""x""\) Collègue Val-des-Essais \(/, "a formula is neutralized");
  for (const code of MANAGED_BY_OTHERS(otherCity)) assert.ok(!response.body.includes(code), code);
  const manager = await t.signIn(city.manager.userCode);
  const managed = await manager.get("/journal.csv?action=registry.grant");
  assert.equal(managed.body.slice(1).trimEnd().split("\r\n").length, 2, "the manager's one service");
});

test("in English: the page, its labels and its messages", async () => {
  const rse = await t.signIn(city.rse.userCode);
  assert.equal((await rse.post("/langue", { locale: "en", retour: "/journal" })).statusCode, 303);
  const page = await journal(rse, "action=registry.grant");
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<html lang="en-CA">/);
  assert.match(page.body, /<h1>Access journal<\/h1>/);
  assert.ok(rowsOf(page).every((row) => row.includes("Access right granted") && row.includes("Succeeded")));
  const bad = await journal(rse, "du=2026-13-01");
  assert.equal(bad.statusCode, 400);
  assert.match(text(bad), /Enter a valid date, as YYYY-MM-DD\./);
  const csv = await rse.get("/journal.csv?action=registry.grant");
  assert.match(csv.body, /^\uFEFFDate and time;Who;User code;What;/);
});

test("the tools are linked: the RSE's home, the manager's « Utilitaires », « Mon profil »", async () => {
  const rse = await t.signIn(city.rse.userCode);
  assert.match((await rse.get("/")).body, /<a href="\/journal">Journal des accès<\/a>/);
  const manager = await t.signIn(city.manager.userCode);
  const space = await manager.get(urls.space(service));
  assert.match(space.body, new RegExp(`<a href="/journal\\?service=${encodeURIComponent(service.code)}">`));
});

test("one statement reads a page of events, whatever the filters; one a page of the history", async () => {
  const empty = Object.fromEntries(QUERY.map((name) => [name, ""])) as Record<(typeof QUERY)[number], string>;
  const queries = [
    empty,
    { ...empty, personne: city.staff.userCode, service: service.code, action: "registry.grant" },
    { ...empty, du: "2026-11-01", au: "2026-11-30" },
  ];
  for (const user of [city.rse, city.manager]) {
    const ctx = t.ctx(user.actor);
    const reader = await openJournal(ctx);
    for (const query of queries) {
      const read = readFilter(query, reader.services, LABELLED_ACTIONS, organizationKey(reader));
      const before = t.statements();
      const events = await journalPage(ctx, reader, read);
      assert.equal(t.statements() - before, 1, JSON.stringify(query));
      assert.ok(events && events.rows.length > 0, JSON.stringify(query));
    }
  }
  const before = t.statements();
  const history = await historyPage(t.ctx(city.staff.actor), "");
  assert.equal(t.statements() - before, 1);
  assert.ok(history.rows.length > 0);
});
