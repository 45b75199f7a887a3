// Procurations over HTTP: who may reach each page, both paths of seed 003 end to end, bad input, repeats, changes and ends.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createProcuration } from "../../src/features/procurations/procurations.service.js";
import type { ScopeForm } from "../../src/features/procurations/procurations.validation.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { decodeHtml, escapeHtml, escapeRegExp, randomKey } from "../support/text.js";

let t: TestApp;
let ministry: MadeOrganization;
/** Online service ids by code (D34-PIQM…). */
const services = new Map<string, number>();

before(async () => {
  t = await startTestApp();
  ministry = await t.factories.organization("ministry");
  for (const row of await t.database.db.selectFrom("online_service").select(["id", "code"]).execute()) {
    services.set(row.code, row.id);
  }
});
after(() => t.close());

// The test clock stands on 2026-11-22 in Montréal: tomorrow is the earliest end date, 2031-11-22 the latest.
const TODAY = "2026-11-22";
const END = "2027-06-30";
const END_FR = "30 juin 2027";

type Pairs = [string, string][];
type Fields = Record<string, string | string[]>;

function serviceId(code: string): number {
  const id = services.get(code);
  assert.ok(id, `service ${code} is in the catalogue`);
  return id;
}

function locationOf(response: Response): string {
  return String(response.headers.location);
}

// --- A browser's view of forms: what a form would send, and sending it with repeated fields.

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/\s([a-zA-Z_:][\w:.-]*)(?:="([^"]*)")?/g)) {
    const [, name, value] = match;
    if (name) attributes.set(name, decodeHtml(value ?? ""));
  }
  return attributes;
}

/** The fields a browser would send from the page's form that posts to `action`, buttons aside. */
function formFields(html: string, action: string): Pairs {
  const form = new RegExp(`<form\\b[^>]*\\baction="${escapeRegExp(action)}"[^>]*>([\\s\\S]*?)</form>`).exec(
    html,
  );
  assert.ok(form?.[1] !== undefined, `the page has a form posting to ${action}`);
  const inner = form[1];
  const pairs: Pairs = [];
  // Attribute values may hold ">" (a name typed by someone), so a tag ends at the first ">" outside quotes.
  for (const match of inner.matchAll(/<(input|select)\b((?:[^>"]|"[^"]*")*)>([\s\S]*?<\/select>)?/g)) {
    const attributes = attributesOf(match[2] ?? "");
    const name = attributes.get("name");
    if (!name) continue;
    if (match[1] === "select") {
      const options = [...(match[3] ?? "").matchAll(/<option\b([^>]*)>/g)].map((o) =>
        attributesOf(o[1] ?? ""),
      );
      const chosen = options.find((o) => o.has("selected")) ?? options[0];
      if (chosen) pairs.push([name, chosen.get("value") ?? ""]);
      continue;
    }
    const type = attributes.get("type") ?? "text";
    if ((type === "checkbox" || type === "radio") && !attributes.has("checked")) continue;
    if (type === "submit" || type === "button") continue;
    pairs.push([name, attributes.get("value") ?? (type === "checkbox" || type === "radio" ? "on" : "")]);
  }
  return pairs;
}

/** The form's fields with some replaced, as a person filling it would (an empty array clears a field). */
function fill(pairs: Pairs, changes: Fields): Pairs {
  const kept = pairs.filter(([name]) => !Object.hasOwn(changes, name));
  for (const [name, value] of Object.entries(changes)) {
    for (const item of Array.isArray(value) ? value : [value]) kept.push([name, item]);
  }
  return kept;
}

/** Posts the fields (a field may repeat) as a browser would, with the agent's cookies and CSRF token. */
function send(agent: Agent, url: string, fields: Pairs | Fields): Promise<Response> {
  return agent.post(url, Array.isArray(fields) ? fields : fill([], fields));
}

/** Fills and sends the page's form that posts to `action`. */
function submit(agent: Agent, page: Response, action: string, changes: Fields = {}): Promise<Response> {
  return send(agent, action, fill(formFields(page.body, action), changes));
}

function hiddenValue(html: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${escapeRegExp(name)}" value="([^"]*)"`).exec(html);
  assert.ok(match?.[1] !== undefined, `the page carries a hidden ${name}`);
  return decodeHtml(match[1]);
}

/** The value of the box, button or option a person picks by what it says on the page. */
function valueLabelled(html: string, name: string, label: string): string {
  const box = new RegExp(
    `<input type="(?:checkbox|radio)" name="${escapeRegExp(name)}" value="([^"]*)"[^>]*/?>\\s*(?:<strong>)?${escapeRegExp(escapeHtml(label))}`,
  ).exec(html);
  const option = new RegExp(`<option value="([^"]*)"[^>]*>${escapeRegExp(escapeHtml(label))}`).exec(html);
  const value = box?.[1] ?? option?.[1];
  assert.ok(value !== undefined, `the page offers « ${label} » for ${name}`);
  return decodeHtml(value);
}

/** The scope as a person fills it on the page: the MAMH box, then all tasks or the services ticked by code. */
function scopeChosenOn(html: string, input: { endDate: string; name?: string; only?: string[] }): Fields {
  const m = valueLabelled(html, "ministeres", ministry.name);
  return {
    ...(input.name === undefined ? {} : { nom: input.name }),
    dateFin: input.endDate,
    ministeres: [m],
    [`portee_${m}`]: valueLabelled(
      html,
      `portee_${m}`,
      input.only ? "Accès avec restriction" : "Accès sans restriction",
    ),
    [`services_${m}`]: (input.only ?? []).map((code) => valueLabelled(html, `services_${m}`, `${code} — `)),
  };
}

function linkTo(html: string, href: string): void {
  assert.match(html, new RegExp(`href="${escapeRegExp(href)}"`), `a link to ${href}`);
}

// --- The people.

type Org = { org: MadeOrganization; rse: MadeUser; agent: Agent };

async function officerOf(): Promise<Org> {
  const org = await t.factories.organization();
  const rse = await t.factories.user(org, { servicesOfficer: true, firstName: "Rachel", lastName: "Savard" });
  const agent = await t.signIn(rse.userCode);
  return { org, rse, agent };
}

/** The scope fields for the MAMH: all tasks, or only the services named. */
function scopeFields(input: { endDate: string; name?: string; only?: string[] }): Fields {
  const m = ministry.id;
  return {
    ...(input.name === undefined ? {} : { nom: input.name }),
    dateFin: input.endDate,
    ministeres: [String(m)],
    [`portee_${m}`]: input.only ? "restreinte" : "toutes",
    [`services_${m}`]: (input.only ?? []).map((code) => String(serviceId(code))),
  };
}

function scopeForm(input: { name: string; endDate: string; only?: string[] }): ScopeForm {
  const m = ministry.id;
  return {
    name: input.name,
    endDate: input.endDate,
    ministryIds: [m],
    restricted: new Map([[m, input.only !== undefined]]),
    serviceIds: new Map([[m, (input.only ?? []).map(serviceId)]]),
  };
}

/** A procuration made through the service, as a fixture for tests about something else. */
async function procurationOf(
  rse: MadeUser,
  input: { name?: string; endDate?: string; only?: string[]; holders?: MadeUser[] } = {},
): Promise<number> {
  const result = await createProcuration(t.ctx(rse.actor), {
    form: scopeForm({ name: input.name ?? "Procuration d'essai", endDate: input.endDate ?? END, ...input }),
    holderIds: (input.holders ?? []).map((h) => h.id),
    submissionKey: randomKey(),
  });
  assert.ok(result.ok, "the fixture procuration is valid");
  return result.procurationId;
}

// --- What the database holds.

async function state() {
  const db = t.database.db;
  return {
    procurations: await db.selectFrom("procuration").selectAll().orderBy("id").execute(),
    ministries: await db
      .selectFrom("procuration_ministry")
      .selectAll()
      .orderBy("procuration_id")
      .orderBy("ministry_id")
      .execute(),
    services: await db
      .selectFrom("procuration_service")
      .selectAll()
      .orderBy("procuration_id")
      .orderBy("service_id")
      .execute(),
    holders: await db.selectFrom("procuration_holder").selectAll().orderBy("id").execute(),
    reminders: await db
      .selectFrom("procuration_reminder")
      .selectAll()
      .orderBy("procuration_id")
      .orderBy("days_before")
      .execute(),
    submissions: await db.selectFrom("form_submission").selectAll().orderBy("key").execute(),
    outbox: await db.selectFrom("mail_outbox").selectAll().orderBy("id").execute(),
    audit: await db.selectFrom("audit_event").selectAll().orderBy("id").execute(),
  };
}
type State = Awaited<ReturnType<typeof state>>;
type AuditRow = State["audit"][number];

/** Asserts that nothing changed since `before` except appended audit rows, and returns those rows. */
async function auditAddedSince(before: State): Promise<AuditRow[]> {
  const now = await state();
  assert.deepEqual({ ...now, audit: now.audit.slice(0, before.audit.length) }, before);
  return now.audit.slice(before.audit.length);
}

async function assertNothingChanged(before: State): Promise<void> {
  assert.deepEqual(await auditAddedSince(before), []);
}

async function procurationRow(id: number) {
  return t.database.db.selectFrom("procuration").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function currentHolders(id: number): Promise<number[]> {
  const rows = await t.database.db
    .selectFrom("procuration_holder")
    .select("user_id")
    .where("procuration_id", "=", id)
    .where("ended_at", "is", null)
    .orderBy("user_id")
    .execute();
  return rows.map((r) => r.user_id);
}

async function auditOf(id: number) {
  return t.database.db
    .selectFrom("audit_event")
    .select(["action", "outcome", "reason", "actor_user_id", "organization_id", "details"])
    .where("target_type", "=", "procuration")
    .where("target_id", "=", String(id))
    .where("outcome", "=", "success")
    .orderBy("id")
    .execute();
}

function procurationIdFrom(response: Response): number {
  assert.equal(response.statusCode, 303, response.body);
  const match = /^\/procurations\/(\d+)$/.exec(locationOf(response));
  assert.ok(match?.[1], `unexpected location ${locationOf(response)}`);
  return Number(match[1]);
}

/** The message is shown next to its field and, after the field's label, in the error summary on top. */
function assertFieldError(html: string, field: string, label: string, message: string): void {
  const escaped = escapeRegExp(escapeHtml(message));
  assert.match(html, /Le formulaire contient des erreurs/, `error summary for ${field}`);
  assert.match(
    html,
    new RegExp(
      `<a href="#champ-${escapeRegExp(field)}">${escapeRegExp(escapeHtml(label))}\\s: ${escaped}</a>`,
    ),
    `summary entry for ${field}: ${message}`,
  );
  // Next to the field: a text field's message is tied to it by id; a group's sits inside its fieldset.
  const tied = new RegExp(`<p class="error-message" id="champ-${escapeRegExp(field)}-erreur">${escaped}</p>`);
  const inside = new RegExp(
    `id="champ-${escapeRegExp(field)}"(?:(?!id="champ-)[\\s\\S])*?<p class="error-message"[^>]*>${escaped}</p>`,
  );
  assert.ok(tied.test(html) || inside.test(html), `message next to ${field}: ${message}`);
}

// 1. Who may reach each page

type Fixture = { id: number; holder: MadeUser; colleague: MadeUser };
type Actor = "rse" | "plain" | "otherRse" | "ministryStaff" | "anonymous";
const ACTORS: readonly Actor[] = ["rse", "plain", "otherRse", "ministryStaff", "anonymous"];

type Route = {
  name: string;
  /** The action a refusal is audited under: the one that was attempted. */
  action: string;
  /** Whether the route names a procuration (then an outsider's refusal names it too). */
  onId: boolean;
  request(agent: Agent, f: Fixture): Promise<Response>;
};

const NSO = "403 not_services_officer";
const OO = "403 other_organization";

// Written by hand: one row per route; RSE of the organization, plain user, RSE of another organization, MAMH
// service admin, anonymous. A GET without a session goes to the sign-in page, a POST without one gets 401.
const EXPECTED: Record<string, Record<Actor, string>> = {
  "GET /procurations": { rse: "200", plain: NSO, otherRse: "200", ministryStaff: NSO, anonymous: "303" },
  "GET /procurations/ajouter": {
    rse: "200",
    plain: NSO,
    otherRse: "200",
    ministryStaff: NSO,
    anonymous: "303",
  },
  "GET /procurations/nouvelle": {
    rse: "200",
    plain: NSO,
    otherRse: "200",
    ministryStaff: NSO,
    anonymous: "303",
  },
  "POST /procurations/nouvelle/resume": {
    rse: "200",
    plain: NSO,
    otherRse: "200",
    ministryStaff: NSO,
    anonymous: "401",
  },
  "POST /procurations": { rse: "303", plain: NSO, otherRse: "303", ministryStaff: NSO, anonymous: "401" },
  "GET /procurations/:id": { rse: "200", plain: NSO, otherRse: OO, ministryStaff: NSO, anonymous: "303" },
  "GET /procurations/:id/modifier": {
    rse: "200",
    plain: NSO,
    otherRse: OO,
    ministryStaff: NSO,
    anonymous: "303",
  },
  "POST /procurations/:id/modifier/resume": {
    rse: "200",
    plain: NSO,
    otherRse: OO,
    ministryStaff: NSO,
    anonymous: "401",
  },
  "POST /procurations/:id/modifier": {
    rse: "303",
    plain: NSO,
    otherRse: OO,
    ministryStaff: NSO,
    anonymous: "401",
  },
  "POST /procurations/:id/fin": {
    rse: "303",
    plain: NSO,
    otherRse: OO,
    ministryStaff: NSO,
    anonymous: "401",
  },
  "POST /procurations/:id/titulaires/:userId/retrait": {
    rse: "303",
    plain: NSO,
    otherRse: OO,
    ministryStaff: NSO,
    anonymous: "401",
  },
  "GET /procurations/:id/assigner": {
    rse: "200",
    plain: NSO,
    otherRse: OO,
    ministryStaff: NSO,
    anonymous: "303",
  },
  "GET /procurations/:id/assigner/utilisateurs": {
    rse: "200",
    plain: NSO,
    otherRse: OO,
    ministryStaff: NSO,
    anonymous: "303",
  },
  "POST /procurations/:id/assigner/resume": {
    rse: "200",
    plain: NSO,
    otherRse: OO,
    ministryStaff: NSO,
    anonymous: "401",
  },
  "POST /procurations/:id/assigner": {
    rse: "303",
    plain: NSO,
    otherRse: OO,
    ministryStaff: NSO,
    anonymous: "401",
  },
  // The other organization's officer may use these pages for their own people, never for this one's holder.
  "GET /droits-acces": { rse: "200", plain: NSO, otherRse: "200", ministryStaff: NSO, anonymous: "303" },
  "GET /droits-acces/procuration": {
    rse: "200",
    plain: NSO,
    otherRse: "400",
    ministryStaff: NSO,
    anonymous: "303",
  },
  "POST /droits-acces/resume": {
    rse: "200",
    plain: NSO,
    otherRse: "400",
    ministryStaff: NSO,
    anonymous: "401",
  },
  "POST /droits-acces": { rse: "303", plain: NSO, otherRse: "400", ministryStaff: NSO, anonymous: "401" },
};

const validScope = (name?: string): Fields => scopeFields({ endDate: END, ...(name ? { name } : {}) });

const ROUTES: Route[] = [
  {
    name: "GET /procurations",
    action: "procuration.list",
    onId: false,
    request: (a) => a.get("/procurations"),
  },
  {
    name: "GET /procurations/ajouter",
    action: "procuration.create",
    onId: false,
    request: (a) => a.get("/procurations/ajouter"),
  },
  {
    name: "GET /procurations/nouvelle",
    action: "procuration.create",
    onId: false,
    request: (a) => a.get("/procurations/nouvelle"),
  },
  {
    name: "POST /procurations/nouvelle/resume",
    action: "procuration.create",
    onId: false,
    request: (a) => send(a, "/procurations/nouvelle/resume", { ...validScope("Table"), cle: randomKey() }),
  },
  {
    name: "POST /procurations",
    action: "procuration.create",
    onId: false,
    request: (a) => send(a, "/procurations", { ...validScope("Table"), cle: randomKey() }),
  },
  {
    name: "GET /procurations/:id",
    action: "procuration.view",
    onId: true,
    request: (a, f) => a.get(`/procurations/${f.id}`),
  },
  {
    name: "GET /procurations/:id/modifier",
    action: "procuration.change",
    onId: true,
    request: (a, f) => a.get(`/procurations/${f.id}/modifier`),
  },
  {
    name: "POST /procurations/:id/modifier/resume",
    action: "procuration.change",
    onId: true,
    request: (a, f) =>
      send(a, `/procurations/${f.id}/modifier/resume`, { ...validScope("Table"), cle: randomKey() }),
  },
  {
    name: "POST /procurations/:id/modifier",
    action: "procuration.change",
    onId: true,
    request: (a, f) =>
      send(a, `/procurations/${f.id}/modifier`, { ...validScope("Table"), cle: randomKey() }),
  },
  {
    name: "POST /procurations/:id/fin",
    action: "procuration.end",
    onId: true,
    request: (a, f) => send(a, `/procurations/${f.id}/fin`, { dateFin: "", immediatement: "1" }),
  },
  {
    name: "POST /procurations/:id/titulaires/:userId/retrait",
    action: "procuration.assign",
    onId: true,
    request: (a, f) => send(a, `/procurations/${f.id}/titulaires/${f.holder.id}/retrait`, {}),
  },
  {
    name: "GET /procurations/:id/assigner",
    action: "procuration.assign",
    onId: true,
    request: (a, f) => a.get(`/procurations/${f.id}/assigner`),
  },
  {
    name: "GET /procurations/:id/assigner/utilisateurs",
    action: "procuration.assign",
    onId: true,
    request: (a, f) => a.get(`/procurations/${f.id}/assigner/utilisateurs`),
  },
  {
    name: "POST /procurations/:id/assigner/resume",
    action: "procuration.assign",
    onId: true,
    request: (a, f) =>
      send(a, `/procurations/${f.id}/assigner/resume`, {
        utilisateurs: String(f.colleague.id),
        cle: randomKey(),
      }),
  },
  {
    name: "POST /procurations/:id/assigner",
    action: "procuration.assign",
    onId: true,
    request: (a, f) =>
      send(a, `/procurations/${f.id}/assigner`, { utilisateurs: String(f.colleague.id), cle: randomKey() }),
  },
  {
    name: "GET /droits-acces",
    action: "procuration.assign",
    onId: false,
    request: (a) => a.get("/droits-acces"),
  },
  {
    name: "GET /droits-acces/procuration",
    action: "procuration.assign",
    onId: false,
    request: (a, f) => a.get(`/droits-acces/procuration?utilisateur=${f.colleague.userCode}`),
  },
  {
    name: "POST /droits-acces/resume",
    action: "procuration.assign",
    onId: false,
    request: (a, f) =>
      send(a, "/droits-acces/resume", {
        ...validScope(),
        utilisateur: f.colleague.userCode,
        cle: randomKey(),
      }),
  },
  {
    name: "POST /droits-acces",
    action: "procuration.assign",
    onId: false,
    request: (a, f) =>
      send(a, "/droits-acces", { ...validScope(), utilisateur: f.colleague.userCode, cle: randomKey() }),
  },
];

test("each procuration page and action is open to its organization's services officer only (truth table)", async () => {
  const { org, rse, agent: rseAgent } = await officerOf();
  const plain = await t.factories.user(org);
  const holder = await t.factories.user(org, { firstName: "Hugo", lastName: "Titulaire" });
  const colleague = await t.factories.user(org, { firstName: "Chloé", lastName: "Collègue" });
  const { rse: otherRse, agent: otherAgent } = await officerOf();
  const staff = await t.factories.user(ministry, { serviceAdminUnit: "DGI" });
  const anonymous = t.agent();
  await anonymous.get("/connexion");
  const agents: Record<Actor, Agent> = {
    rse: rseAgent,
    plain: await t.signIn(plain.userCode),
    otherRse: otherAgent,
    ministryStaff: await t.signIn(staff.userCode),
    anonymous,
  };
  const people: Record<Actor, MadeUser | null> = {
    rse,
    plain,
    otherRse,
    ministryStaff: staff,
    anonymous: null,
  };
  assert.deepEqual(Object.keys(EXPECTED).sort(), ROUTES.map((r) => r.name).sort());

  const mismatches: string[] = [];
  let checked = 0;
  for (const route of ROUTES) {
    for (const actor of ACTORS) {
      const expected = EXPECTED[route.name]?.[actor];
      assert.ok(expected, `${route.name} × ${actor} is in the table`);
      // A fresh procuration per case, so that an allowed change never changes what the next case sees.
      const id = await procurationOf(rse, { holders: [holder] });
      const fixture: Fixture = { id, holder, colleague };
      const before = await state();
      const response = await route.request(agents[actor], fixture);
      checked += 1;
      const added = (await state()).audit.slice(before.audit.length);
      const denial = added.find((row) => row.outcome === "denied");
      const got = `${response.statusCode}${response.statusCode === 403 ? ` ${denial?.reason ?? "(no audit)"}` : ""}`;
      const label = `${route.name} as ${actor}`;
      if (got !== expected) {
        mismatches.push(`${label}: expected ${expected}, got ${got}`);
        continue;
      }
      if (expected === "303" && actor === "anonymous") {
        if (!locationOf(response).startsWith("/connexion?retour=")) {
          mismatches.push(`${label}: sent to ${locationOf(response)}`);
        }
      }
      if (actor !== "anonymous" && (expected === "200" || expected === "303")) {
        if (denial) mismatches.push(`${label}: allowed, yet a denial was audited`);
        continue;
      }
      // Refused: nothing written but the audit row of the refusal (none for a visitor who is not signed in).
      try {
        const rows = await auditAddedSince(before);
        const person = people[actor];
        const wanted =
          response.statusCode === 403 && person
            ? [
                {
                  action: route.action,
                  outcome: "denied",
                  reason: expected.slice(4),
                  actor: person.id,
                  // A refusal on a procuration names it and its organization, whoever tried.
                  organization: route.onId ? org.id : person.organizationId,
                  target: route.onId ? String(id) : null,
                },
              ]
            : [];
        assert.deepEqual(
          rows.map((row) => ({
            action: row.action,
            outcome: row.outcome,
            reason: row.reason,
            actor: row.actor_user_id,
            organization: row.organization_id,
            target: row.target_type === "procuration" ? row.target_id : null,
          })),
          wanted,
        );
      } catch (error) {
        mismatches.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  console.log(`procuration truth table: ${checked} cases checked, ${mismatches.length} mismatches`);
  assert.equal(checked, ROUTES.length * ACTORS.length);
  assert.deepEqual(mismatches, []);
});

// 2. The two paths of seed 003

test("« Gestion des droits d'accès » creates and assigns a procuration in one « Transmettre », shown in the holder's profile", async () => {
  const { org, rse, agent } = await officerOf();
  const user = await t.factories.user(org, { firstName: "Léa", lastName: "Bergeron" });
  await t.factories.user(await t.factories.organization(), { firstName: "Zoé", lastName: "Ailleurs" });

  const home = await agent.get("/");
  linkTo(home.body, "/droits-acces");
  const choose = await agent.get("/droits-acces");
  assert.equal(choose.statusCode, 200);
  assert.match(textOf(choose.body), /Bergeron, Léa/);
  assert.doesNotMatch(textOf(choose.body), /Ailleurs/);
  // « Continuer » after picking the user: a GET form, as the browser sends it.
  const picked = valueLabelled(choose.body, "utilisateur", `Bergeron, Léa (${user.userCode})`);
  assert.equal(picked, user.userCode);
  const form = await agent.get(`/droits-acces/procuration?utilisateur=${encodeURIComponent(picked)}`);
  assert.equal(form.statusCode, 200);
  assert.match(textOf(form.body), new RegExp(`Procuration pour Léa Bergeron \\(${user.userCode}\\)`));
  const cle = hiddenValue(form.body, "cle");

  const summary = await submit(
    agent,
    form,
    "/droits-acces/resume",
    scopeChosenOn(form.body, { endDate: END }),
  );
  assert.equal(summary.statusCode, 200, summary.body);
  const summaryText = textOf(summary.body);
  assert.match(summaryText, /Résumé/);
  assert.match(summaryText, new RegExp(escapeRegExp(`${ministry.name} — Accès sans restriction`)));
  assert.match(summaryText, new RegExp(END_FR));
  assert.equal(hiddenValue(summary.body, "cle"), cle);
  assert.equal(
    await t.database.db
      .selectFrom("procuration")
      .select("id")
      .where("organization_id", "=", org.id)
      .executeTakeFirst(),
    undefined,
  );

  const done = await submit(agent, summary, "/droits-acces");
  const id = procurationIdFrom(done);
  const shown = await agent.follow(done);
  assert.equal(shown.statusCode, 200);
  const text = textOf(shown.body);
  assert.match(text, /La procuration a été créée et assignée à Léa Bergeron\./);
  assert.match(text, new RegExp(`Léa Bergeron \\(${user.userCode}\\)`));

  const row = await procurationRow(id);
  assert.equal(row.organization_id, org.id);
  assert.equal(row.name, "Procuration — Léa Bergeron");
  assert.equal(row.start_date, TODAY);
  assert.equal(row.end_date, END);
  assert.equal(row.created_by, rse.id);
  assert.deepEqual(await currentHolders(id), [user.id]);
  assert.deepEqual(
    (await auditOf(id)).map((a) => ({
      action: a.action,
      actor: a.actor_user_id,
      org: a.organization_id,
      details: a.details,
    })),
    [
      {
        action: "procuration.create",
        actor: rse.id,
        org: org.id,
        details: { endDate: END, scope: [{ ministryId: ministry.id, restricted: false, serviceIds: [] }] },
      },
      { action: "procuration.assign", actor: rse.id, org: org.id, details: { userIds: [user.id] } },
    ],
  );

  const holderAgent = await t.signIn(user.userCode);
  const profile = await holderAgent.get("/profil");
  assert.equal(profile.statusCode, 200);
  const profileText = textOf(profile.body);
  assert.match(profileText, /Mes procurations/);
  assert.match(
    profileText,
    new RegExp(escapeRegExp(`${ministry.name} Accès sans restriction (toutes les tâches) ${END_FR}`)),
  );
});

test("« Gestion des procurations » creates a named procuration without holder, then assigns it to two users", async () => {
  const { org, rse, agent } = await officerOf();
  const first = await t.factories.user(org, { firstName: "Marc", lastName: "Gagnon" });
  const second = await t.factories.user(org, { firstName: "Sophie", lastName: "Lavoie" });

  const list = await agent.get("/procurations");
  assert.equal(list.statusCode, 200);
  assert.match(textOf(list.body), /Aucune procuration\./);
  linkTo(list.body, "/procurations/ajouter");
  const add = await agent.get("/procurations/ajouter");
  assert.equal(add.statusCode, 200);
  assert.match(add.body, /<a class="button" href="\/procurations\/nouvelle">Interne<\/a>/);
  const form = await agent.get("/procurations/nouvelle");
  assert.equal(form.statusCode, 200);

  const fields = scopeChosenOn(form.body, {
    name: "Infrastructures PIQM",
    endDate: END,
    only: ["D34-PIQM", "D41-TECQ 2019"],
  });
  const summary = await submit(agent, form, "/procurations/nouvelle/resume", fields);
  assert.equal(summary.statusCode, 200, summary.body);
  const summaryText = textOf(summary.body);
  assert.match(summaryText, /Infrastructures PIQM/);
  assert.match(
    summaryText,
    /Accès avec restriction D34-PIQM — Programme d'infrastructures Québec-Municipalités/,
  );
  assert.match(summaryText, /D41-TECQ 2019/);

  // « Modifier » on the summary brings the form back as it was filled.
  const back = await send(
    agent,
    "/procurations/nouvelle/resume?modifier=1",
    formFields(summary.body, "/procurations"),
  );
  assert.equal(back.statusCode, 200);
  assert.match(back.body, /name="nom" type="text" value="Infrastructures PIQM"/);
  assert.match(
    back.body,
    new RegExp(`name="services_${ministry.id}" value="${serviceId("D34-PIQM")}" checked`),
  );

  const created = await submit(agent, summary, "/procurations");
  const id = procurationIdFrom(created);
  const detail = await agent.follow(created);
  const detailText = textOf(detail.body);
  assert.match(detailText, /La procuration a été créée\. Vous pouvez maintenant l'assigner\./);
  assert.match(detailText, /Personne ne détient cette procuration\./);
  assert.match(detailText, /En vigueur/);
  assert.deepEqual(await currentHolders(id), []);
  const scope = await t.database.db
    .selectFrom("procuration_service")
    .select("service_id")
    .where("procuration_id", "=", id)
    .orderBy("service_id")
    .execute();
  assert.deepEqual(
    scope.map((s) => s.service_id),
    [serviceId("D34-PIQM"), serviceId("D41-TECQ 2019")].sort((a, b) => a - b),
  );

  // « Assigner » → details → « Continuer » → « Utilisateurs » → « Continuer » → summary → « Transmettre ».
  const listed = await agent.get("/procurations");
  linkTo(listed.body, `/procurations/${id}/assigner`);
  const start = await agent.get(`/procurations/${id}/assigner`);
  assert.equal(start.statusCode, 200);
  assert.match(textOf(start.body), /Assigner la procuration\s: Infrastructures PIQM/);
  linkTo(start.body, `/procurations/${id}/assigner/utilisateurs`);
  const users = await agent.get(`/procurations/${id}/assigner/utilisateurs`);
  assert.equal(users.statusCode, 200);
  assert.match(textOf(users.body), /Gagnon, Marc/);
  const chosen = await submit(agent, users, `/procurations/${id}/assigner/resume`, {
    utilisateurs: [
      valueLabelled(users.body, "utilisateurs", `Gagnon, Marc (${first.userCode})`),
      valueLabelled(users.body, "utilisateurs", `Lavoie, Sophie (${second.userCode})`),
    ],
  });
  assert.equal(chosen.statusCode, 200, chosen.body);
  const chosenText = textOf(chosen.body);
  assert.match(
    chosenText,
    /Les utilisateurs ci-dessous détiendront la procuration « Infrastructures PIQM »\./,
  );
  assert.match(chosenText, new RegExp(`Marc Gagnon \\(${first.userCode}\\)`));
  assert.match(chosenText, new RegExp(`Sophie Lavoie \\(${second.userCode}\\)`));
  assert.deepEqual(await currentHolders(id), []);

  const assigned = await submit(agent, chosen, `/procurations/${id}/assigner`);
  assert.equal(procurationIdFrom(assigned), id);
  const after = textOf((await agent.follow(assigned)).body);
  assert.match(after, /La procuration a été assignée \(2 nouveaux titulaires\)\./);
  assert.match(after, new RegExp(`Marc Gagnon \\(${first.userCode}\\)`));
  assert.match(after, new RegExp(`Sophie Lavoie \\(${second.userCode}\\)`));
  assert.deepEqual(
    await currentHolders(id),
    [first.id, second.id].sort((a, b) => a - b),
  );
  assert.match(
    textOf((await agent.get("/procurations")).body),
    /Infrastructures PIQM .* 30 juin 2027 2 En vigueur/,
  );

  const audit = await auditOf(id);
  assert.deepEqual(
    audit.map((a) => [a.action, a.actor_user_id, a.organization_id]),
    [
      ["procuration.create", rse.id, org.id],
      ["procuration.assign", rse.id, org.id],
    ],
  );
  const assignDetails = audit[1]?.details;
  assert.ok(assignDetails && typeof assignDetails === "object" && "userIds" in assignDetails);
  assert.deepEqual(
    [...(Array.isArray(assignDetails.userIds) ? assignDetails.userIds : [])].sort(),
    [first.id, second.id].sort(),
  );

  for (const holder of [first, second]) {
    const profile = textOf((await (await t.signIn(holder.userCode)).get("/profil")).body);
    assert.match(
      profile,
      new RegExp(escapeRegExp(`${ministry.name} Accès avec restriction : D34-PIQM, D41-TECQ 2019 ${END_FR}`)),
    );
  }
  // The services officer holds it implicitly, not by assignment: their own profile lists nothing.
  assert.match(textOf((await agent.get("/profil")).body), /Vous ne détenez aucune procuration en vigueur\./);
});

// 3. Bad input

type ScopeCase = { name: string; fields: Fields; errors: [string, string, string][] };

function scopeCases(): ScopeCase[] {
  const m = ministry.id;
  const servicesLabel = "Services en ligne visés";
  return [
    {
      name: "an end date in the past",
      fields: scopeFields({ name: "P", endDate: "2026-11-21" }),
      errors: [
        [
          "dateFin",
          "Date de fin",
          "La date de fin doit être dans le futur\u00a0: le 23 novembre 2026 au plus tôt.",
        ],
      ],
    },
    {
      name: "an end date of today",
      fields: scopeFields({ name: "P", endDate: TODAY }),
      errors: [
        [
          "dateFin",
          "Date de fin",
          "La date de fin doit être dans le futur\u00a0: le 23 novembre 2026 au plus tôt.",
        ],
      ],
    },
    {
      name: "an end date a day beyond five years",
      fields: scopeFields({ name: "P", endDate: "2031-11-23" }),
      errors: [["dateFin", "Date de fin", "La date de fin ne peut dépasser le 22 novembre 2031 (5 ans)."]],
    },
    {
      name: "no end date",
      fields: scopeFields({ name: "P", endDate: "" }),
      errors: [["dateFin", "Date de fin", "Indiquez la date de fin."]],
    },
    {
      name: "a day that does not exist",
      fields: scopeFields({ name: "P", endDate: "2027-02-30" }),
      errors: [
        ["dateFin", "Date de fin", "Entrez une date valide au format AAAA-MM-JJ, par exemple 2027-03-31."],
      ],
    },
    {
      name: "no ministry",
      fields: { ...scopeFields({ name: "P", endDate: END }), ministeres: [] },
      errors: [
        ["ministeres", "Ministères et organismes", "Sélectionnez au moins un ministère ou organisme."],
      ],
    },
    {
      name: "a ministry that is not one (forged)",
      fields: { ...scopeFields({ name: "P", endDate: END }), ministeres: ["999999"] },
      errors: [
        ["ministeres", "Ministères et organismes", "Sélectionnez au moins un ministère ou organisme."],
      ],
    },
    {
      name: "« avec restriction » without any task",
      fields: { ...scopeFields({ name: "P", endDate: END, only: [] }) },
      errors: [
        [
          `services_${m}`,
          servicesLabel,
          `Avec restriction, sélectionnez au moins un service en ligne de ${ministry.name}.`,
        ],
      ],
    },
    {
      name: "« avec restriction » naming only a service id that does not exist (forged)",
      fields: { ...scopeFields({ name: "P", endDate: END, only: [] }), [`services_${m}`]: ["999999"] },
      errors: [
        [
          `services_${m}`,
          servicesLabel,
          `Avec restriction, sélectionnez au moins un service en ligne de ${ministry.name}.`,
        ],
      ],
    },
  ];
}

test("a scope form with a bad date, no ministry or a restriction without task is refused on every path, nothing written", async () => {
  const { org, rse, agent } = await officerOf();
  const user = await t.factories.user(org);
  const existing = await procurationOf(rse, { name: "Existante" });
  const flows: { name: string; url: string; extra: Fields; named: boolean }[] = [
    { name: "new: summary", url: "/procurations/nouvelle/resume", extra: {}, named: true },
    { name: "new: « Transmettre »", url: "/procurations", extra: {}, named: true },
    {
      name: "access rights: summary",
      url: "/droits-acces/resume",
      extra: { utilisateur: user.userCode },
      named: false,
    },
    {
      name: "access rights: « Transmettre »",
      url: "/droits-acces",
      extra: { utilisateur: user.userCode },
      named: false,
    },
    { name: "change: summary", url: `/procurations/${existing}/modifier/resume`, extra: {}, named: true },
    { name: "change: « Transmettre »", url: `/procurations/${existing}/modifier`, extra: {}, named: true },
  ];
  let checked = 0;
  for (const flow of flows) {
    for (const scopeCase of scopeCases()) {
      const cle = randomKey();
      const before = await state();
      const response = await send(agent, flow.url, { ...scopeCase.fields, ...flow.extra, cle });
      const label = `${flow.name}, ${scopeCase.name}`;
      assert.equal(response.statusCode, 400, label);
      assert.match(
        textOf(response.body),
        new RegExp(
          `Veuillez corriger ${scopeCase.errors.length} ${scopeCase.errors.length > 1 ? "erreurs" : "erreur"} ci-dessous`,
        ),
        label,
      );
      for (const [field, fieldLabel, message] of scopeCase.errors)
        assertFieldError(response.body, field, fieldLabel, message);
      // The form comes back with the same one-time key, so that once corrected it still goes through once.
      assert.equal(hiddenValue(response.body, "cle"), cle, label);
      await assertNothingChanged(before);
      checked += 1;
    }
    if (flow.named) {
      const before = await state();
      const response = await send(agent, flow.url, {
        ...scopeFields({ name: "", endDate: END }),
        cle: randomKey(),
      });
      assert.equal(response.statusCode, 400, `${flow.name}, no name`);
      assertFieldError(response.body, "nom", "Nom de la procuration", "Entrez le nom de la procuration.");
      await assertNothingChanged(before);
      checked += 1;
    }
  }
  console.log(`bad scope input: ${checked} cases checked`);
  assert.equal((await procurationRow(existing)).name, "Existante");
});

test("« Annuler » on « Gestion des droits d'accès » leads back where the person came from, never to another site", async () => {
  const { org, agent } = await officerOf();
  const colleague = await t.factories.user(org, { firstName: "Chloé", lastName: "Collègue" });
  const cancelOf = (html: string) =>
    /<a href="([^"]*)">Annuler<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? "(no « Annuler »)";
  const formPath = `/droits-acces/procuration?utilisateur=${colleague.userCode}`;
  const fromChooser = await agent.get(formPath, {
    headers: { referer: `${t.config.publicUrl}/droits-acces` },
  });
  assert.equal(cancelOf(fromChooser.body), "/droits-acces");
  const fromUser = await agent.get(
    `${formPath}&retour=${encodeURIComponent(`/utilisateurs/${colleague.userCode}`)}`,
  );
  assert.equal(cancelOf(fromUser.body), `/utilisateurs/${colleague.userCode}`);
  // Kept through a refused « Continuer »: the form carries it.
  const refused = await send(agent, "/droits-acces/resume", {
    ...scopeFields({ endDate: "pas-une-date" }),
    utilisateur: colleague.userCode,
    cle: hiddenValue(fromUser.body, "cle"),
    // As the form sends it (the language switch has a field of the same name in another form).
    retour:
      /action="\/droits-acces\/resume"[\s\S]*?name="retour" value="([^"]*)"/.exec(fromUser.body)?.[1] ?? "",
  });
  assert.equal(refused.statusCode, 400);
  assert.equal(cancelOf(refused.body), `/utilisateurs/${colleague.userCode}`);
  // Another site, a path that is no page, or none at all: the procurations' list.
  for (const [retour, referer] of [
    ["//ailleurs.example/piege", "https://ailleurs.example/droits-acces"],
    ["/pas-une-page", ""],
    ["", ""],
  ] as const) {
    const page = await agent.get(`${formPath}&retour=${encodeURIComponent(retour)}`, {
      headers: referer ? { referer } : {},
    });
    assert.equal(cancelOf(page.body), "/procurations", `${retour} ${referer}`);
  }
});

test("the end date may be exactly five years ahead, and a form corrected after an error goes through with its key", async () => {
  const { agent } = await officerOf();
  const form = await agent.get("/procurations/nouvelle");
  const cle = hiddenValue(form.body, "cle");
  const refused = await send(agent, "/procurations", {
    ...scopeFields({ name: "Cinq ans", endDate: "2031-11-23" }),
    cle,
  });
  assert.equal(refused.statusCode, 400);
  const id = procurationIdFrom(
    await submit(agent, refused, "/procurations/nouvelle/resume", { dateFin: "2031-11-22" }).then((summary) =>
      submit(agent, summary, "/procurations"),
    ),
  );
  assert.equal((await procurationRow(id)).end_date, "2031-11-22");
});

test("assigning nobody, a user of another organization or a disabled user is refused with its message, nothing written", async () => {
  const { org, rse, agent } = await officerOf();
  const colleague = await t.factories.user(org);
  const disabled = await t.factories.user(org, { disabled: true, lastName: "Désactivé" });
  const stranger = await t.factories.user(await t.factories.organization(), { lastName: "Ailleurs" });
  const id = await procurationOf(rse);
  const users = await agent.get(`/procurations/${id}/assigner/utilisateurs`);
  assert.equal(users.statusCode, 200);
  assert.doesNotMatch(textOf(users.body), /Désactivé|Ailleurs/);

  const invalid = "Un utilisateur choisi n'appartient pas à votre organisation ou son compte est désactivé.";
  const cases: [string, string[], string][] = [
    ["nobody", [], "Sélectionnez au moins un utilisateur."],
    ["a user of another organization", [String(stranger.id)], invalid],
    ["a disabled user", [String(disabled.id)], invalid],
    ["a colleague and a user of another organization", [String(colleague.id), String(stranger.id)], invalid],
    ["an id that names nobody", ["999999"], invalid],
  ];
  for (const [name, chosen, message] of cases) {
    for (const url of [`/procurations/${id}/assigner/resume`, `/procurations/${id}/assigner`]) {
      const cle = randomKey();
      const before = await state();
      const response = await send(agent, url, { utilisateurs: chosen, cle });
      assert.equal(response.statusCode, 400, `${url}: ${name}`);
      assertFieldError(response.body, "utilisateurs", "Utilisateurs", message);
      assert.equal(hiddenValue(response.body, "cle"), cle);
      await assertNothingChanged(before);
    }
  }
  assert.deepEqual(await currentHolders(id), []);
});

test("« Gestion des droits d'accès » for a user of another organization or a disabled user is refused, nothing written", async () => {
  const { org, agent } = await officerOf();
  const disabled = await t.factories.user(org, { disabled: true });
  const stranger = await t.factories.user(await t.factories.organization());
  const message = "Un utilisateur choisi n'appartient pas à votre organisation ou son compte est désactivé.";
  for (const user of [disabled, stranger]) {
    const before = await state();
    const page = await agent.get(`/droits-acces/procuration?utilisateur=${user.userCode}`);
    assert.equal(page.statusCode, 400);
    assertFieldError(page.body, "utilisateur", "Utilisateur", message);
    for (const url of ["/droits-acces/resume", "/droits-acces"]) {
      const response = await send(agent, url, {
        ...scopeFields({ endDate: END }),
        utilisateur: user.userCode,
        cle: randomKey(),
      });
      assert.equal(response.statusCode, 400, url);
      assertFieldError(response.body, "utilisateur", "Utilisateur", message);
    }
    await assertNothingChanged(before);
  }
});

// 4. The same form twice

test("the same « Transmettre » sent twice creates one procuration and one holder, and the second answer says so", async () => {
  const { org, agent } = await officerOf();
  const user = await t.factories.user(org, { firstName: "Éric", lastName: "Deux-Fois" });
  const form = await agent.get(`/droits-acces/procuration?utilisateur=${user.userCode}`);
  const summary = await submit(agent, form, "/droits-acces/resume", scopeFields({ endDate: END }));
  const first = await submit(agent, summary, "/droits-acces");
  const id = procurationIdFrom(first);
  await agent.follow(first);
  const before = await state();

  const second = await submit(agent, summary, "/droits-acces");
  assert.equal(procurationIdFrom(second), id);
  assert.match(
    textOf((await agent.follow(second)).body),
    /Ce formulaire avait déjà été transmis\. Rien n'a été enregistré de nouveau\./,
  );
  await assertNothingChanged(before);
  const rows = await t.database.db
    .selectFrom("procuration")
    .select("id")
    .where("organization_id", "=", org.id)
    .execute();
  assert.deepEqual(rows, [{ id }]);
  assert.deepEqual(await currentHolders(id), [user.id]);

  // The two-step path: the same creation twice, then the same assignment twice.
  const newForm = await agent.get("/procurations/nouvelle");
  const newSummary = await submit(
    agent,
    newForm,
    "/procurations/nouvelle/resume",
    scopeFields({ name: "Deux fois", endDate: END }),
  );
  const created = procurationIdFrom(await submit(agent, newSummary, "/procurations"));
  assert.equal(procurationIdFrom(await submit(agent, newSummary, "/procurations")), created);
  const users = await agent.get(`/procurations/${created}/assigner/utilisateurs`);
  const assignSummary = await submit(agent, users, `/procurations/${created}/assigner/resume`, {
    utilisateurs: [String(user.id)],
  });
  const assigned = await submit(agent, assignSummary, `/procurations/${created}/assigner`);
  assert.equal(procurationIdFrom(assigned), created);
  await agent.follow(assigned);
  const again = await submit(agent, assignSummary, `/procurations/${created}/assigner`);
  assert.equal(procurationIdFrom(again), created);
  assert.match(textOf((await agent.follow(again)).body), /Ce formulaire avait déjà été transmis/);
  const holderRows = await t.database.db
    .selectFrom("procuration_holder")
    .select("user_id")
    .where("procuration_id", "=", created)
    .execute();
  assert.deepEqual(holderRows, [{ user_id: user.id }]);
  const actions = (await auditOf(created)).map((a) => a.action);
  assert.deepEqual(actions, ["procuration.create", "procuration.assign"]);
  assert.equal(
    (
      await t.database.db
        .selectFrom("procuration")
        .select("id")
        .where("organization_id", "=", org.id)
        .execute()
    ).length,
    2,
  );
});

test("two concurrent « Transmettre » of the same form create one procuration with one holder", async () => {
  const { org, agent } = await officerOf();
  const user = await t.factories.user(org);
  const form = await agent.get(`/droits-acces/procuration?utilisateur=${user.userCode}`);
  const summary = await submit(
    agent,
    form,
    "/droits-acces/resume",
    scopeFields({ endDate: END, only: ["D34-PIQM"] }),
  );
  const pairs = formFields(summary.body, "/droits-acces");
  const responses = await Promise.all([
    send(agent, "/droits-acces", pairs),
    send(agent, "/droits-acces", pairs),
  ]);
  const ids = responses.map(procurationIdFrom);
  assert.equal(ids[0], ids[1]);
  const rows = await t.database.db
    .selectFrom("procuration")
    .select("id")
    .where("organization_id", "=", org.id)
    .execute();
  assert.equal(rows.length, 1);
  const holderRows = await t.database.db
    .selectFrom("procuration_holder")
    .select("user_id")
    .where("procuration_id", "=", ids[0] ?? 0)
    .execute();
  assert.deepEqual(holderRows, [{ user_id: user.id }]);
  assert.deepEqual(
    (await auditOf(ids[0] ?? 0)).map((a) => a.action),
    ["procuration.create", "procuration.assign"],
  );

  // Two concurrent assignments of the same person, each with its own form, still make one current holder.
  const other = await t.factories.user(org);
  const id = ids[0] ?? 0;
  await Promise.all([
    send(agent, `/procurations/${id}/assigner`, { utilisateurs: String(other.id), cle: randomKey() }),
    send(agent, `/procurations/${id}/assigner`, { utilisateurs: String(other.id), cle: randomKey() }),
  ]);
  assert.deepEqual(
    await currentHolders(id),
    [user.id, other.id].sort((a, b) => a - b),
  );
});

// 5. Forged requests

test("a forged request naming another organization's procuration is refused, audited, and changes nothing", async () => {
  const { org: victimOrg, rse: victim } = await officerOf();
  const victimHolder = await t.factories.user(victimOrg);
  const id = await procurationOf(victim, { name: "Chez l'autre", holders: [victimHolder] });
  const { org, rse, agent } = await officerOf();
  const mine = await t.factories.user(org);
  await agent.get("/procurations");

  const attempts: [string, string, Fields][] = [
    [
      "procuration.assign",
      `/procurations/${id}/assigner`,
      { utilisateurs: String(mine.id), cle: randomKey() },
    ],
    [
      "procuration.assign",
      `/procurations/${id}/assigner/resume`,
      { utilisateurs: String(mine.id), cle: randomKey() },
    ],
    [
      "procuration.change",
      `/procurations/${id}/modifier`,
      { ...scopeFields({ name: "Volée", endDate: "2031-11-22" }), cle: randomKey() },
    ],
    ["procuration.end", `/procurations/${id}/fin`, { dateFin: "", immediatement: "1" }],
    ["procuration.end", `/procurations/${id}/fin`, { dateFin: "2026-12-01" }],
    ["procuration.assign", `/procurations/${id}/titulaires/${victimHolder.id}/retrait`, {}],
  ];
  for (const [action, url, fields] of attempts) {
    const before = await state();
    const response = await send(agent, url, fields);
    assert.equal(response.statusCode, 403, url);
    const text = textOf(response.body);
    assert.match(text, /Vous n'avez pas accès à cette ressource\./);
    assert.doesNotMatch(text, /Chez l'autre/);
    assert.deepEqual(
      (await auditAddedSince(before)).map((row) => ({
        action: row.action,
        outcome: row.outcome,
        reason: row.reason,
        actor: row.actor_user_id,
        organization: row.organization_id,
        target: `${row.target_type}:${row.target_id}`,
      })),
      [
        {
          action,
          outcome: "denied",
          reason: "other_organization",
          actor: rse.id,
          organization: victimOrg.id,
          target: `procuration:${id}`,
        },
      ],
    );
  }
  const row = await procurationRow(id);
  assert.equal(row.name, "Chez l'autre");
  assert.equal(row.end_date, END);
  assert.equal(row.ended_at, null);
  assert.deepEqual(await currentHolders(id), [victimHolder.id]);
  // Their list never shows it.
  assert.doesNotMatch(textOf((await agent.get("/procurations")).body), /Chez l'autre/);
});

test("an unknown procuration id is answered with 404", async () => {
  const { agent } = await officerOf();
  for (const url of [
    "/procurations/999999",
    "/procurations/999999/modifier",
    "/procurations/abc",
    "/procurations/999999/assigner",
  ]) {
    const response = await agent.get(url);
    assert.equal(response.statusCode, 404, url);
    assert.match(textOf(response.body), /La page demandée n'existe pas\./);
  }
  const before = await state();
  const response = await send(agent, "/procurations/999999/fin", { dateFin: "", immediatement: "1" });
  assert.equal(response.statusCode, 404);
  await assertNothingChanged(before);
});

// 6. Changing, ending, removing a holder

test("changing a procuration's scope and end date goes through its summary and audits before and after", async () => {
  const { org, rse, agent } = await officerOf();
  const holder = await t.factories.user(org);
  const id = await procurationOf(rse, { name: "À changer", holders: [holder] });
  const detail = await agent.get(`/procurations/${id}`);
  linkTo(detail.body, `/procurations/${id}/modifier`);
  const form = await agent.get(`/procurations/${id}/modifier`);
  assert.equal(form.statusCode, 200);
  // The form opens filled with the procuration as it stands.
  assert.match(form.body, /name="nom" type="text" value="À changer"/);
  assert.match(form.body, new RegExp(`name="dateFin" type="date" value="${END}"`));
  assert.match(form.body, new RegExp(`name="ministeres" value="${ministry.id}" checked`));

  const summary = await submit(agent, form, `/procurations/${id}/modifier/resume`, {
    nom: "Changée",
    dateFin: "2027-12-31",
    [`portee_${ministry.id}`]: "restreinte",
    [`services_${ministry.id}`]: [String(serviceId("D34-PIQM"))],
  });
  assert.equal(summary.statusCode, 200, summary.body);
  assert.match(textOf(summary.body), /31 décembre 2027/);
  assert.equal((await procurationRow(id)).name, "À changer");
  const done = await submit(agent, summary, `/procurations/${id}/modifier`);
  assert.equal(procurationIdFrom(done), id);
  const shown = textOf((await agent.follow(done)).body);
  assert.match(shown, /La procuration a été modifiée\./);
  assert.match(shown, /Accès avec restriction D34-PIQM/);
  const row = await procurationRow(id);
  assert.equal(row.name, "Changée");
  assert.equal(row.end_date, "2027-12-31");
  assert.deepEqual(await currentHolders(id), [holder.id]);

  const changes = (await auditOf(id)).filter((a) => a.action === "procuration.change");
  assert.equal(changes.length, 1);
  assert.equal(changes[0]?.actor_user_id, rse.id);
  assert.equal(changes[0]?.organization_id, org.id);
  assert.deepEqual(changes[0]?.details, {
    before: {
      name: "À changer",
      endDate: END,
      scope: [{ ministryId: ministry.id, restricted: false, serviceIds: [] }],
    },
    after: {
      name: "Changée",
      endDate: "2027-12-31",
      scope: [{ ministryId: ministry.id, restricted: true, serviceIds: [serviceId("D34-PIQM")] }],
    },
  });
  const profile = textOf((await (await t.signIn(holder.userCode)).get("/profil")).body);
  assert.match(profile, /Accès avec restriction\s: D34-PIQM 31 décembre 2027/);

  // The same change form sent again writes nothing more.
  const before = await state();
  const again = await submit(agent, summary, `/procurations/${id}/modifier`);
  assert.equal(procurationIdFrom(again), id);
  assert.match(textOf((await agent.follow(again)).body), /Ce formulaire avait déjà été transmis/);
  await assertNothingChanged(before);
});

test("ending a procuration at a date moves its end, ending it now stops it at once, and ending it again changes nothing", async () => {
  const { org, rse, agent } = await officerOf();
  const holder = await t.factories.user(org);
  const id = await procurationOf(rse, { name: "À terminer", holders: [holder] });
  const holderAgent = await t.signIn(holder.userCode);
  assert.match(textOf((await holderAgent.get("/profil")).body), new RegExp(END_FR));

  const errors: [Fields, string][] = [
    [{ dateFin: "2026-11-21" }, "Le dernier jour de validité ne peut être dans le passé."],
    [
      { dateFin: "2027-07-01" },
      `Pour prolonger la procuration, modifiez-la. Le dernier jour doit précéder ou égaler le ${END_FR}.`,
    ],
    [{ dateFin: "2027-02-30" }, "Entrez une date valide au format AAAA-MM-JJ, par exemple 2027-03-31."],
    [{ dateFin: "" }, "Indiquez la date de fin."],
  ];
  for (const [fields, message] of errors) {
    const before = await state();
    const response = await send(agent, `/procurations/${id}/fin`, fields);
    assert.equal(response.statusCode, 400, message);
    assertFieldError(response.body, "dateFin", "Dernier jour de validité", message);
    await assertNothingChanged(before);
  }

  const detail = await agent.get(`/procurations/${id}`);
  const atDate = await submit(agent, detail, `/procurations/${id}/fin`, { dateFin: "2026-12-15" });
  assert.equal(atDate.statusCode, 303);
  assert.match(textOf((await agent.follow(atDate)).body), /La procuration prend fin le 15 décembre 2026\./);
  let row = await procurationRow(id);
  assert.equal(row.end_date, "2026-12-15");
  assert.equal(row.ended_at, null);
  assert.match(textOf((await holderAgent.get("/profil")).body), /15 décembre 2026/);

  // The same end at the same date again: told so, nothing written.
  let before = await state();
  const sameDate = await send(agent, `/procurations/${id}/fin`, { dateFin: "2026-12-15" });
  assert.equal(sameDate.statusCode, 303);
  // Told as information, not as a new success.
  assert.match(
    (await agent.follow(sameDate)).body,
    /<div class="notice notice-info" role="status">La procuration prend fin le 15 décembre 2026\.<\/div>/,
  );
  await assertNothingChanged(before);

  const now = await submit(agent, await agent.get(`/procurations/${id}`), `/procurations/${id}/fin`, {
    immediatement: "1",
  });
  assert.equal(now.statusCode, 303);
  const nowText = textOf((await agent.follow(now)).body);
  assert.match(nowText, /La procuration prend fin le 22 novembre 2026\./);
  assert.match(nowText, /Terminée/);
  row = await procurationRow(id);
  assert.equal(row.end_date, TODAY);
  assert.notEqual(row.ended_at, null);
  assert.equal(row.ended_by, rse.id);
  assert.match(
    textOf((await holderAgent.get("/profil")).body),
    /Vous ne détenez aucune procuration en vigueur\./,
  );

  before = await state();
  const again = await send(agent, `/procurations/${id}/fin`, { dateFin: "", immediatement: "1" });
  assert.equal(again.statusCode, 303);
  assert.match(
    textOf((await agent.follow(again)).body),
    /Cette procuration avait déjà pris fin\. Rien n'a été changé\./,
  );
  await assertNothingChanged(before);

  const ends = (await auditOf(id)).filter((a) => a.action === "procuration.end");
  assert.deepEqual(
    ends.map((a) => [a.actor_user_id, a.organization_id, a.details]),
    [
      [rse.id, org.id, { endDate: "2026-12-15", immediately: false, previousEndDate: END }],
      [rse.id, org.id, { endDate: TODAY, immediately: true, previousEndDate: "2026-12-15" }],
    ],
  );

  // An ended procuration can no longer be changed or assigned, by page or by forged form.
  for (const url of [`/procurations/${id}/modifier`, `/procurations/${id}/assigner`]) {
    const response = await agent.get(url);
    assert.equal(response.statusCode, 409, url);
    assert.match(textOf(response.body), /Cette procuration a pris fin ou est expirée/);
  }
  before = await state();
  const forged = [
    await send(agent, `/procurations/${id}/modifier`, {
      ...scopeFields({ name: "Relancée", endDate: "2027-12-31" }),
      cle: randomKey(),
    }),
    await send(agent, `/procurations/${id}/assigner`, { utilisateurs: String(holder.id), cle: randomKey() }),
  ];
  assert.deepEqual(
    forged.map((r) => r.statusCode),
    [409, 409],
  );
  await assertNothingChanged(before);
});

test("an expired procuration cannot be revived by a change sent after its end date", async () => {
  const { rse, agent } = await officerOf();
  const id = await procurationOf(rse, { name: "Expirera", endDate: "2026-11-23" });
  const form = await agent.get(`/procurations/${id}/modifier`);
  const summary = await submit(agent, form, `/procurations/${id}/modifier/resume`, { dateFin: "2027-06-30" });
  assert.equal(summary.statusCode, 200);
  // Two days later the procuration has expired; the summary left open is sent anyway.
  t.clock.set("2026-11-24T15:00:00Z");
  try {
    await agent.signIn(rse.userCode, TEST_PASSWORD);
    const before = await state();
    const page = await agent.get(`/procurations/${id}/modifier`);
    assert.equal(page.statusCode, 409);
    assert.match(textOf(page.body), /Cette procuration a pris fin ou est expirée/);
    const response = await submit(agent, summary, `/procurations/${id}/modifier`);
    assert.equal(response.statusCode, 409);
    await assertNothingChanged(before);
    assert.equal((await procurationRow(id)).end_date, "2026-11-23");
  } finally {
    t.clock.set("2026-11-22T15:00:00Z");
  }
});

test("removing a holder ends their holding, is audited, and removing them again changes nothing", async () => {
  const { org, rse, agent } = await officerOf();
  const kept = await t.factories.user(org, { firstName: "Reste", lastName: "Ici" });
  const removed = await t.factories.user(org, { firstName: "Part", lastName: "Ailleurs" });
  const id = await procurationOf(rse, { holders: [kept, removed] });
  const detail = await agent.get(`/procurations/${id}`);
  assert.match(textOf(detail.body), new RegExp(`Part Ailleurs \\(${removed.userCode}\\) Retirer`));
  const response = await submit(agent, detail, `/procurations/${id}/titulaires/${removed.id}/retrait`);
  assert.equal(response.statusCode, 303);
  const shown = textOf((await agent.follow(response)).body);
  assert.match(shown, /Le titulaire a été retiré de la procuration\./);
  assert.doesNotMatch(shown, /Part Ailleurs/);
  assert.deepEqual(await currentHolders(id), [kept.id]);
  const ended = await t.database.db
    .selectFrom("procuration_holder")
    .select(["ended_by"])
    .where("procuration_id", "=", id)
    .where("user_id", "=", removed.id)
    .executeTakeFirstOrThrow();
  assert.equal(ended.ended_by, rse.id);
  assert.match(
    textOf((await (await t.signIn(removed.userCode)).get("/profil")).body),
    /Vous ne détenez aucune procuration/,
  );

  const before = await state();
  const again = await send(agent, `/procurations/${id}/titulaires/${removed.id}/retrait`, {});
  assert.equal(again.statusCode, 303);
  assert.match(
    textOf((await agent.follow(again)).body),
    /Cette personne ne détenait déjà plus la procuration\./,
  );
  await assertNothingChanged(before);
  const removals = (await auditOf(id)).filter((a) => a.action === "procuration.removeHolder");
  assert.deepEqual(
    removals.map((a) => [a.actor_user_id, a.organization_id, a.details]),
    [[rse.id, org.id, { userId: removed.id }]],
  );

  // Assigned again later, they hold it again: a new row, the old one kept as history.
  const users = await agent.get(`/procurations/${id}/assigner/utilisateurs`);
  const summary = await submit(agent, users, `/procurations/${id}/assigner/resume`, {
    utilisateurs: [String(removed.id)],
  });
  procurationIdFrom(await submit(agent, summary, `/procurations/${id}/assigner`));
  assert.deepEqual(
    await currentHolders(id),
    [kept.id, removed.id].sort((a, b) => a - b),
  );
  const rows = await t.database.db
    .selectFrom("procuration_holder")
    .select("id")
    .where("procuration_id", "=", id)
    .where("user_id", "=", removed.id)
    .execute();
  assert.equal(rows.length, 2);
});

test("names typed into a procuration are shown as text, never as markup", async () => {
  const { agent } = await officerOf();
  const form = await agent.get("/procurations/nouvelle");
  const summary = await submit(
    agent,
    form,
    "/procurations/nouvelle/resume",
    scopeFields({ name: '<img src=x onerror="alert(1)">', endDate: END }),
  );
  assert.equal(summary.statusCode, 200);
  assert.doesNotMatch(summary.body, /<img src=x/);
  const id = procurationIdFrom(await submit(agent, summary, "/procurations"));
  const page = await agent.get(`/procurations/${id}`);
  assert.doesNotMatch(page.body, /<img src=x/);
  assert.match(page.body, /&lt;img src=x/);
});

test("the maximum end date follows the PROCURATION_MAX_YEARS setting", async () => {
  const app = await startTestApp({ env: { PROCURATION_MAX_YEARS: "2" } });
  try {
    const org = await app.factories.organization();
    const rse = await app.factories.user(org, { servicesOfficer: true });
    const agent = await app.signIn(rse.userCode);
    const own = await app.factories.organization("ministry");
    const form = await agent.get("/procurations/nouvelle");
    const body = new URLSearchParams(
      fill(formFields(form.body, "/procurations/nouvelle/resume"), {
        nom: "Trois ans",
        dateFin: "2029-11-22",
        ministeres: [String(own.id)],
        [`portee_${own.id}`]: "toutes",
      }),
    );
    const refused = await app.app.inject({
      method: "POST",
      url: "/procurations/nouvelle/resume",
      headers: {
        cookie: [...agent.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
        "content-type": "application/x-www-form-urlencoded",
      },
      payload: body.toString(),
    });
    assert.equal(refused.statusCode, 400);
    assertFieldError(
      refused.body,
      "dateFin",
      "Date de fin",
      "La date de fin ne peut dépasser le 22 novembre 2028 (2 ans).",
    );
  } finally {
    await app.close();
  }
});
