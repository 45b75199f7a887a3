// The services officer's (RSE) user management, driven over HTTP: who may see and change which accounts, and what each change writes.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ProfileInput } from "../../src/features/accounts/accounts.validation.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, TEST_PASSWORD, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import { linkIn, readMailbox } from "../support/mailbox.js";
import { escapeRegExp, randomKey } from "../support/text.js";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const NEW_PASSWORD = "Une-phrase-de-passe-solide-7";
let sequence = 0;

type Fields = Record<string, string>;

/** A valid create/edit form, with an address nobody else in this file uses. */
function profile(overrides: Partial<ProfileInput> = {}): ProfileInput {
  sequence += 1;
  return {
    civility: "Mme",
    firstName: "Julie",
    lastName: "Perreault",
    jobTitle: "Greffière",
    phone: "418 691-2005",
    phoneExtension: "",
    email: `julie.perreault.${sequence}@exemple.qc.ca`,
    ...overrides,
  };
}

/** An organization with its services officer, signed in. */
async function officerOf(organization?: MadeOrganization): Promise<{
  org: MadeOrganization;
  rse: MadeUser;
  agent: Agent;
}> {
  const org = organization ?? (await t.factories.organization());
  const rse = await t.factories.user(org, { servicesOfficer: true, firstName: "Rachel", lastName: "Savard" });
  const agent = await t.signIn(rse.userCode);
  return { org, rse, agent };
}

/** Everything a refused request must leave as it was. */
async function state() {
  const db = t.database.db;
  return {
    users: await db.selectFrom("app_user").selectAll().orderBy("id").execute(),
    outbox: await db.selectFrom("mail_outbox").selectAll().orderBy("id").execute(),
    tokens: await db.selectFrom("account_token").selectAll().orderBy("token_hash").execute(),
    sessions: await db.selectFrom("session").selectAll().orderBy("token_hash").execute(),
    submissions: await db.selectFrom("form_submission").selectAll().orderBy("key").execute(),
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

function summary(rows: AuditRow[]) {
  return rows.map((row) => ({
    action: row.action,
    outcome: row.outcome,
    reason: row.reason,
    actor: row.actor_user_id,
    organization: row.organization_id,
  }));
}

function submissionKeyIn(html: string): string {
  const match = /name="cle" value="([^"]+)"/.exec(html);
  assert.ok(match?.[1], "the create form carries a one-time key");
  return match[1];
}

async function openCreateForm(agent: Agent): Promise<string> {
  const form = await agent.get("/utilisateurs/nouveau");
  assert.equal(form.statusCode, 200);
  return submissionKeyIn(form.body);
}

function locationOf(response: Response): string {
  return String(response.headers.location);
}

function codeFrom(response: Response): string {
  assert.equal(response.statusCode, 303, response.body);
  const match = /^\/utilisateurs\/([A-Z0-9]{7})$/.exec(locationOf(response));
  assert.ok(match?.[1], `unexpected location ${locationOf(response)}`);
  return match[1];
}

async function createThroughForm(agent: Agent, fields: Fields): Promise<string> {
  const cle = await openCreateForm(agent);
  return codeFrom(await agent.post("/utilisateurs", { ...fields, cle }));
}

async function userRow(code: string) {
  return t.database.db
    .selectFrom("app_user")
    .selectAll()
    .where("user_code", "=", code)
    .executeTakeFirstOrThrow();
}

/** Delivers the outbox, then returns the links mailed to one address, oldest first. */
async function linksMailedTo(email: string): Promise<string[]> {
  await t.app.guichet.outbox.deliverDue();
  const mails = (await readMailbox(t.config.mailDir)).filter((mail) => mail.to.includes(email));
  return mails.map((mail) => new URL(linkIn(mail.text)).pathname);
}

/** The user codes listed in the table of /utilisateurs. */
function listedCodes(html: string): string[] {
  return [...html.matchAll(/<tr><td>([A-Z0-9]{7})<\/td>/g)].map((match) => match[1] ?? "");
}

/** The message is shown under the field and, with the field's label, in the error summary. */
function assertFieldError(html: string, field: string, label: string, message: string): void {
  const escaped = message.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  assert.match(
    html,
    new RegExp(`<p class="error-message" id="champ-${field}-erreur">${escapeRegExp(escaped)}</p>`),
    `message next to ${field}`,
  );
  assert.match(
    html,
    new RegExp(`<a href="#champ-${field}">${escapeRegExp(label)}\\s: ${escapeRegExp(escaped)}</a>`),
    `summary entry for ${field}`,
  );
}

// 1. The list

test("the user list shows exactly the officer's own organization, with each user code", async () => {
  const { org, rse, agent } = await officerOf();
  const colleague = await t.factories.user(org, { firstName: "Marc", lastName: "Gagnon" });
  const pending = await t.factories.user(org, { activated: false });
  const otherOrg = await t.factories.organization();
  const stranger = await t.factories.user(otherOrg, { firstName: "Zoé", lastName: "Étranger" });

  const page = await agent.get("/utilisateurs");
  assert.equal(page.statusCode, 200);
  const text = textOf(page.body);
  assert.match(text, new RegExp(`Utilisateurs de ${escapeRegExp(org.name)}`));
  assert.deepEqual(
    listedCodes(page.body).sort(),
    [rse.userCode, colleague.userCode, pending.userCode].sort(),
  );
  assert.doesNotMatch(page.body, new RegExp(stranger.userCode));
  assert.doesNotMatch(text, /Étranger/);
  assert.match(text, /Gagnon, Marc/);
  assert.match(text, /En attente d'activation/);
});

test("names in the user list are shown as text, never as markup", async () => {
  const { org, agent } = await officerOf();
  await t.factories.user(org, { firstName: "Eve", lastName: '<img src=x onerror="alert(1)">' });
  const page = await agent.get("/utilisateurs");
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /<img src=x/);
  assert.match(page.body, /&lt;img src=x onerror=&quot;alert\(1\)&quot;(>|&gt;), Eve/);
});

// 2. Who may open these pages

test("a user who is not the services officer is refused every page and action, and nothing changes", async () => {
  const org = await t.factories.organization();
  const plain = await t.factories.user(org);
  const colleague = await t.factories.user(org);
  const agent = await t.signIn(plain.userCode);
  const before = await state();

  for (const url of ["/utilisateurs", "/utilisateurs/nouveau", `/utilisateurs/${colleague.userCode}`]) {
    const response = await agent.get(url);
    assert.equal(response.statusCode, 403, url);
    assert.match(textOf(response.body), /Vous n'avez pas accès à cette ressource\./);
  }
  const posts: [string, Fields][] = [
    ["/utilisateurs", { ...profile(), cle: randomKey() }],
    [`/utilisateurs/${colleague.userCode}`, profile()],
    [`/utilisateurs/${colleague.userCode}/desactivation`, {}],
    [`/utilisateurs/${colleague.userCode}/reactivation`, {}],
    [`/utilisateurs/${colleague.userCode}/reinitialisation`, {}],
  ];
  for (const [url, fields] of posts) {
    const response = await agent.post(url, fields);
    assert.equal(response.statusCode, 403, url);
  }

  // Each refusal is audited under the action that was attempted, the create page included.
  assert.deepEqual(
    summary(await auditAddedSince(before)),
    [
      "account.list",
      "account.create",
      "account.view",
      "account.create",
      "account.edit",
      "account.disable",
      "account.enable",
      "account.resetPassword",
    ].map((action) => ({
      action,
      outcome: "denied",
      reason: "not_services_officer",
      actor: plain.id,
      organization: org.id,
    })),
  );
});

test("an anonymous visitor is sent to the sign-in page with the way back, and cannot post", async () => {
  const org = await t.factories.organization();
  const user = await t.factories.user(org);
  const agent = t.agent();
  for (const url of ["/utilisateurs", "/utilisateurs/nouveau", `/utilisateurs/${user.userCode}`]) {
    const response = await agent.get(url);
    assert.equal(response.statusCode, 303, url);
    assert.equal(locationOf(response), `/connexion?retour=${encodeURIComponent(url)}`);
  }
  const before = await state();
  const response = await agent.post("/utilisateurs", { ...profile(), cle: randomKey() });
  assert.equal(response.statusCode, 401);
  await assertNothingChanged(before);
});

// 3. Creating an account

test("creating a user draws a fresh 7-character code, queues the activation mail and audits the creation", async () => {
  const { org, rse, agent } = await officerOf();
  const fields = profile({ firstName: "Émilie", lastName: "Côté-Lévesque" });
  const cle = await openCreateForm(agent);
  const outboxBefore = await t.database.db.selectFrom("mail_outbox").select("id").execute();

  const response = await agent.post("/utilisateurs", { ...fields, cle });
  const code = codeFrom(response);
  assert.match(code, /^[A-Z0-9]{7}$/);
  assert.notEqual(code, rse.userCode);
  const shown = await agent.follow(response);
  assert.equal(shown.statusCode, 200);
  assert.match(
    textOf(shown.body),
    new RegExp(
      escapeRegExp(`Le compte ${code} a été créé. Un lien d'activation a été envoyé à ${fields.email}.`),
    ),
  );

  const user = await userRow(code);
  assert.equal(user.organization_id, org.id);
  assert.equal(user.first_name, "Émilie");
  assert.equal(user.last_name, "Côté-Lévesque");
  assert.equal(user.email, fields.email);
  assert.equal(user.password_hash, null);
  assert.equal(user.is_services_officer, false);
  const sameCode = await t.database.db
    .selectFrom("app_user")
    .select("id")
    .where("user_code", "=", code)
    .execute();
  assert.equal(sameCode.length, 1);

  const outbox = await t.database.db
    .selectFrom("mail_outbox")
    .selectAll()
    .where("to_address", "=", fields.email)
    .execute();
  assert.equal(outbox.length, 1);
  assert.equal(
    (await t.database.db.selectFrom("mail_outbox").select("id").execute()).length,
    outboxBefore.length + 1,
  );
  assert.match(outbox[0]?.subject ?? "", new RegExp(code));

  const links = await linksMailedTo(fields.email);
  assert.equal(links.length, 1);
  assert.match(links[0] ?? "", /^\/activation\/[A-Za-z0-9_-]{43}$/);
  const mail = (await readMailbox(t.config.mailDir)).find((m) => m.to.includes(fields.email));
  assert.match(mail?.text ?? "", new RegExp(`Votre code d'utilisateur\u00a0: ${code}`));
  assert.match(mail?.text ?? "", new RegExp(escapeRegExp(org.name)));

  const audit = await t.database.db
    .selectFrom("audit_event")
    .selectAll()
    .where("action", "=", "account.create")
    .where("target_id", "=", String(user.id))
    .execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.outcome, "success");
  assert.equal(audit[0]?.actor_user_id, rse.id);
  assert.equal(audit[0]?.actor_code, rse.userCode);
  assert.equal(audit[0]?.organization_id, org.id);
  assert.deepEqual(audit[0]?.details, { userCode: code });
});

test("each created account gets its own code", async () => {
  const { agent } = await officerOf();
  const codes = new Set<string>();
  for (let i = 0; i < 5; i++) codes.add(await createThroughForm(agent, profile()));
  assert.equal(codes.size, 5);
});

// 4. The activation link

test("the activation link sets a password once, after refusing weak or mismatched ones", async () => {
  const { agent: rseAgent } = await officerOf();
  const fields = profile({ firstName: "Hélène", lastName: "Bouchard" });
  const code = await createThroughForm(rseAgent, fields);
  const [link] = await linksMailedTo(fields.email);
  assert.ok(link);

  const visitor = t.agent();
  const form = await visitor.get(link);
  assert.equal(form.statusCode, 200);
  assert.match(textOf(form.body), /Activation de votre compte/);
  assert.match(textOf(form.body), new RegExp(`Votre code d'utilisateur est ${code}`));

  const refusals: [Fields, string][] = [
    [{ password: "court", confirmation: "court" }, "Le mot de passe doit contenir au moins 8 caractères."],
    [{ password: "motdepasse123", confirmation: "motdepasse123" }, "Ce mot de passe est trop courant"],
    [
      { password: NEW_PASSWORD, confirmation: `${NEW_PASSWORD}x` },
      "Les deux mots de passe ne sont pas identiques.",
    ],
  ];
  for (const [passwords, message] of refusals) {
    const before = await state();
    const response = await visitor.post(link, passwords);
    assert.equal(response.statusCode, 400, message);
    assert.match(textOf(response.body), new RegExp(escapeRegExp(message)));
    assert.match(textOf(response.body), /Le formulaire contient des erreurs/);
    await assertNothingChanged(before);
    assert.equal((await userRow(code)).password_hash, null);
  }

  const done = await visitor.post(link, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
  assert.equal(done.statusCode, 303);
  assert.equal(locationOf(done), "/connexion");
  const user = await userRow(code);
  assert.notEqual(user.password_hash, null);
  const activation = await t.database.db
    .selectFrom("audit_event")
    .select(["outcome", "organization_id"])
    .where("action", "=", "account.activate")
    .where("target_id", "=", String(user.id))
    .execute();
  assert.deepEqual(activation, [{ outcome: "success", organization_id: user.organization_id }]);

  const signedIn = await t.signIn(code, NEW_PASSWORD);
  const home = await signedIn.get("/");
  assert.equal(home.statusCode, 200);
  assert.match(textOf(home.body), new RegExp(`Bonjour Hélène Bouchard \\(${code}\\)`));

  const before = await state();
  for (const response of [
    await t.agent().get(link),
    await t
      .agent()
      .post(link, { password: "Autre-phrase-de-passe-9", confirmation: "Autre-phrase-de-passe-9" }),
  ]) {
    assert.equal(response.statusCode, 410);
    assert.match(textOf(response.body), /Ce lien n'est plus valide/);
  }
  await assertNothingChanged(before);
});

test("an activation link no longer works after 72 hours", async () => {
  const { agent: rseAgent } = await officerOf();
  const fields = profile();
  const code = await createThroughForm(rseAgent, fields);
  const [link] = await linksMailedTo(fields.email);
  assert.ok(link);

  t.clock.advance(72 * 3600 * 1000 + 1000);
  const before = await state();
  const visitor = t.agent();
  const shown = await visitor.get(link);
  assert.equal(shown.statusCode, 410);
  assert.match(textOf(shown.body), /Ce lien n'est plus valide/);
  const posted = await visitor.post(link, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
  assert.equal(posted.statusCode, 410);
  await assertNothingChanged(before);
  assert.equal((await userRow(code)).password_hash, null);
});

// 5. Bad input

test("a create form with bad fields is shown again with each message next to its field, and nothing is written", async () => {
  const { agent } = await officerOf();
  const cases: { fields: Fields; errors: [string, string, string][] }[] = [
    {
      fields: profile({ firstName: "", lastName: "" }),
      errors: [
        ["firstName", "Prénom", "Entrez le prénom."],
        ["lastName", "Nom", "Entrez le nom."],
      ],
    },
    {
      fields: profile({ email: "pas-un-courriel" }),
      errors: [["email", "Courriel", "Entrez une adresse courriel valide, par exemple nom@exemple.qc.ca."]],
    },
    {
      fields: profile({ email: "" }),
      errors: [["email", "Courriel", "Entrez l'adresse courriel."]],
    },
    {
      fields: profile({ phone: "12345" }),
      errors: [
        ["phone", "Téléphone", "Entrez un numéro de téléphone à 10 chiffres, par exemple 418 691-2005."],
      ],
    },
    {
      fields: profile({ phoneExtension: "12a" }),
      errors: [["phoneExtension", "Poste", "Le poste contient au plus 6 chiffres."]],
    },
    {
      fields: profile({ lastName: "Per\u0007reault", jobTitle: "Greffi\u202eère" }),
      errors: [
        ["lastName", "Nom", "Ce champ contient des caractères non permis."],
        ["jobTitle", "Fonction", "Ce champ contient des caractères non permis."],
      ],
    },
    {
      // NUL would otherwise reach PostgreSQL, which refuses it in text.
      fields: profile({ firstName: "Ju\u0000lie" }),
      errors: [["firstName", "Prénom", "Ce champ contient des caractères non permis."]],
    },
    {
      // C1 controls (U+0080–U+009F) are control characters too; U+009B opens a terminal escape sequence.
      fields: profile({ firstName: "Ju\u009blie", lastName: "Per\u0085reault" }),
      errors: [
        ["firstName", "Prénom", "Ce champ contient des caractères non permis."],
        ["lastName", "Nom", "Ce champ contient des caractères non permis."],
      ],
    },
    {
      // A line separator would break the one-line name in the activation mail.
      fields: profile({ jobTitle: "Greffière\u2028adjointe" }),
      errors: [["jobTitle", "Fonction", "Ce champ contient des caractères non permis."]],
    },
    {
      fields: profile({ civility: "Dr" }),
      errors: [["civility", "Civilité", "Choisissez M. ou Mme."]],
    },
    {
      fields: profile({ firstName: "x".repeat(101) }),
      errors: [["firstName", "Prénom", "Ce champ ne peut dépasser 100 caractères."]],
    },
  ];
  for (const { fields, errors } of cases) {
    const cle = await openCreateForm(agent);
    const before = await state();
    const response = await agent.post("/utilisateurs", { ...fields, cle });
    assert.equal(response.statusCode, 400, JSON.stringify(fields));
    assert.match(response.body, /Le formulaire contient des erreurs/);
    assert.match(
      textOf(response.body),
      new RegExp(`Veuillez corriger ${errors.length} ${errors.length > 1 ? "erreurs" : "erreur"} ci-dessous`),
    );
    for (const [field, label, message] of errors) assertFieldError(response.body, field, label, message);
    // The form comes back with what was typed and the same one-time key.
    assert.equal(submissionKeyIn(response.body), cle);
    await assertNothingChanged(before);
  }
});

test("an empty create form asks for each required field by name, in French and English, under the one required-field note", async () => {
  const { agent } = await officerOf();
  const empty = Object.fromEntries(Object.keys(profile()).map((name) => [name, ""]));
  const form = textOf((await agent.get("/utilisateurs/nouveau")).body);
  assert.match(form, /Les champs marqués d'un astérisque \(\*\) sont obligatoires\./);
  const french = await agent.post("/utilisateurs", { ...empty, cle: await openCreateForm(agent) });
  assert.equal(french.statusCode, 400);
  assertFieldError(french.body, "firstName", "Prénom", "Entrez le prénom.");
  assertFieldError(french.body, "lastName", "Nom", "Entrez le nom.");
  assertFieldError(french.body, "email", "Courriel", "Entrez l'adresse courriel.");
  assert.doesNotMatch(textOf(french.body), /Ce champ est obligatoire/);

  await agent.post("/langue", { locale: "en", retour: "/utilisateurs/nouveau" });
  assert.match(
    textOf((await agent.get("/utilisateurs/nouveau")).body),
    /Fields marked with an asterisk \(\*\) are required\./,
  );
  const english = textOf(
    (await agent.post("/utilisateurs", { ...empty, cle: await openCreateForm(agent) })).body,
  );
  assert.match(english, /First name: Enter the first name\./);
  assert.match(english, /Last name: Enter the last name\./);
  assert.match(english, /Email: Enter the email address\./);
  assert.doesNotMatch(english, /This field is required/);
  await agent.post("/langue", { locale: "fr", retour: "/utilisateurs" });
});

test("a create form corrected after an error still creates the account with the same key", async () => {
  const { agent } = await officerOf();
  const cle = await openCreateForm(agent);
  const fields = profile();
  const refused = await agent.post("/utilisateurs", { ...fields, phone: "12345", cle });
  assert.equal(refused.statusCode, 400);
  const code = codeFrom(await agent.post("/utilisateurs", { ...fields, cle }));
  assert.equal((await userRow(code)).phone, "418 691-2005");
});

test("a create form without its CSRF token is refused as expired, and nothing is written", async () => {
  const { agent } = await officerOf();
  const cle = await openCreateForm(agent);
  const before = await state();
  const response = await agent.post("/utilisateurs", { ...profile(), cle }, { csrf: false });
  assert.equal(response.statusCode, 403);
  assert.match(textOf(response.body), /Le formulaire a expiré/);
  await assertNothingChanged(before);
});

test("a create form without its one-time key is refused, and nothing is written", async () => {
  const { agent } = await officerOf();
  await openCreateForm(agent);
  const before = await state();
  const response = await agent.post("/utilisateurs", profile());
  assert.equal(response.statusCode, 400);
  await assertNothingChanged(before);
});

// 6. The same form twice

test("the same create form sent twice creates one account, and the second answer points to it", async () => {
  const { org, agent } = await officerOf();
  const fields = profile();
  const cle = await openCreateForm(agent);
  const first = await agent.post("/utilisateurs", { ...fields, cle });
  const code = codeFrom(first);
  await agent.follow(first);
  const before = await state();

  const second = await agent.post("/utilisateurs", { ...fields, cle });
  assert.equal(codeFrom(second), code);
  const shown = await agent.follow(second);
  assert.match(textOf(shown.body), /déjà été transmis/);
  assert.match(textOf(shown.body), new RegExp(`le compte ${code} existe déjà`));
  await assertNothingChanged(before);

  const users = await t.database.db
    .selectFrom("app_user")
    .select("user_code")
    .where("organization_id", "=", org.id)
    .where("email", "=", fields.email)
    .execute();
  assert.deepEqual(users, [{ user_code: code }]);
});

test("two concurrent submissions of the same create form create one account", async () => {
  const { org, agent } = await officerOf();
  const fields = profile();
  const cle = await openCreateForm(agent);
  const auditBefore = await t.database.db
    .selectFrom("audit_event")
    .select("id")
    .where("action", "=", "account.create")
    .execute();

  const responses = await Promise.all([
    agent.post("/utilisateurs", { ...fields, cle }),
    agent.post("/utilisateurs", { ...fields, cle }),
  ]);
  const codes = responses.map(codeFrom);
  assert.equal(codes[0], codes[1]);

  const users = await t.database.db
    .selectFrom("app_user")
    .select("user_code")
    .where("organization_id", "=", org.id)
    .where("email", "=", fields.email)
    .execute();
  assert.deepEqual(users, [{ user_code: codes[0] }]);
  const outbox = await t.database.db
    .selectFrom("mail_outbox")
    .select("id")
    .where("to_address", "=", fields.email)
    .execute();
  assert.equal(outbox.length, 1);
  const auditAfter = await t.database.db
    .selectFrom("audit_event")
    .select("id")
    .where("action", "=", "account.create")
    .execute();
  assert.equal(auditAfter.length, auditBefore.length + 1);
});

// 7. Editing a profile

test("editing a profile saves the normalised fields and audits the names of the fields that changed", async () => {
  const { org, rse, agent } = await officerOf();
  const user = await t.factories.user(org, { firstName: "Luc", lastName: "Tremblay" });
  const page = await agent.get(`/utilisateurs/${user.userCode}`);
  assert.equal(page.statusCode, 200);
  assert.match(textOf(page.body), new RegExp(`Profil de Luc Tremblay \\(${user.userCode}\\)`));

  const response = await agent.post(`/utilisateurs/${user.userCode.toLowerCase()}`, {
    civility: "Mme",
    firstName: "Lucie",
    lastName: "Tremblay-Roy",
    jobTitle: "Directrice générale",
    phone: "1 (418) 691-2005",
    phoneExtension: "2401",
    email: "Lucie.Tremblay@Exemple.QC.ca",
  });
  assert.equal(response.statusCode, 303);
  assert.equal(locationOf(response), `/utilisateurs/${user.userCode}`);
  const shown = await agent.follow(response);
  assert.match(textOf(shown.body), /Le profil a été mis à jour\./);

  const row = await userRow(user.userCode);
  assert.deepEqual(
    {
      civility: row.civility,
      first_name: row.first_name,
      last_name: row.last_name,
      job_title: row.job_title,
      phone: row.phone,
      phone_extension: row.phone_extension,
      email: row.email,
    },
    {
      civility: "Mme",
      first_name: "Lucie",
      last_name: "Tremblay-Roy",
      job_title: "Directrice générale",
      phone: "418 691-2005",
      phone_extension: "2401",
      email: "lucie.tremblay@exemple.qc.ca",
    },
  );

  const audit = await t.database.db
    .selectFrom("audit_event")
    .selectAll()
    .where("action", "=", "account.edit")
    .where("target_id", "=", String(user.id))
    .execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.actor_user_id, rse.id);
  assert.equal(audit[0]?.organization_id, org.id);
  // The civility was already "Mme": only the fields that changed are named.
  assert.deepEqual(audit[0]?.details, {
    fields: ["firstName", "lastName", "jobTitle", "phone", "phoneExtension", "email"],
  });
});

test("an edit with bad fields is shown again with its messages, and the profile is unchanged", async () => {
  const { org, agent } = await officerOf();
  const user = await t.factories.user(org);
  await agent.get(`/utilisateurs/${user.userCode}`);
  const before = await state();
  const response = await agent.post(
    `/utilisateurs/${user.userCode}`,
    profile({ phone: "12345", email: "x@" }),
  );
  assert.equal(response.statusCode, 400);
  assert.match(response.body, /Le formulaire contient des erreurs/);
  assertFieldError(
    response.body,
    "phone",
    "Téléphone",
    "Entrez un numéro de téléphone à 10 chiffres, par exemple 418 691-2005.",
  );
  assertFieldError(
    response.body,
    "email",
    "Courriel",
    "Entrez une adresse courriel valide, par exemple nom@exemple.qc.ca.",
  );
  await assertNothingChanged(before);
});

// 8. Disabling and re-enabling

test("disabling a user ends all their sessions at once and keeps them out until re-enabled", async () => {
  const { org, rse, agent } = await officerOf();
  const user = await t.factories.user(org, { firstName: "Paul", lastName: "Roy" });
  const userAgent = await t.signIn(user.userCode);
  const secondDevice = await t.signIn(user.userCode);
  assert.equal((await userAgent.get("/")).statusCode, 200);
  const sessionsOf = () =>
    t.database.db.selectFrom("session").select("user_id").where("user_id", "=", user.id).execute();
  assert.equal((await sessionsOf()).length, 2);

  const page = await agent.get(`/utilisateurs/${user.userCode}`);
  assert.match(page.body, new RegExp(`action="/utilisateurs/${user.userCode}/desactivation"`));
  const disabled = await agent.post(`/utilisateurs/${user.userCode}/desactivation`, {});
  assert.equal(disabled.statusCode, 303);
  assert.equal(locationOf(disabled), `/utilisateurs/${user.userCode}`);
  const shown = await agent.follow(disabled);
  assert.match(
    textOf(shown.body),
    new RegExp(`Le compte ${user.userCode} est désactivé\\. Ses sessions ont pris fin\\.`),
  );
  assert.notEqual((await userRow(user.userCode)).disabled_at, null);
  assert.deepEqual(await sessionsOf(), []);

  for (const client of [userAgent, secondDevice]) {
    const home = await client.get("/");
    assert.equal(home.statusCode, 303);
    assert.match(locationOf(home), /^\/connexion/);
  }
  const refused = await t.agent().post("/connexion", { userCode: user.userCode, password: TEST_PASSWORD });
  assert.equal(refused.statusCode, 401);
  assert.match(textOf(refused.body), /Le code d'utilisateur ou le mot de passe est incorrect\./);
  assert.deepEqual(await sessionsOf(), []);

  const audit = () =>
    t.database.db
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "in", ["account.disable", "account.enable"])
      .where("target_id", "=", String(user.id))
      .orderBy("id")
      .execute();
  const [disableRow] = await audit();
  assert.equal(disableRow?.action, "account.disable");
  assert.equal(disableRow?.actor_user_id, rse.id);
  assert.deepEqual(disableRow?.details, { sessionsEnded: 2 });

  const before = await state();
  const again = await agent.post(`/utilisateurs/${user.userCode}/desactivation`, {});
  assert.equal(again.statusCode, 303);
  assert.match(textOf((await agent.follow(again)).body), /était déjà désactivé/);
  await assertNothingChanged(before);
  assert.equal((await audit()).length, 1);

  const enabled = await agent.post(`/utilisateurs/${user.userCode}/reactivation`, {});
  assert.equal(enabled.statusCode, 303);
  assert.match(
    textOf((await agent.follow(enabled)).body),
    new RegExp(`Le compte ${user.userCode} est réactivé\\.`),
  );
  assert.equal((await userRow(user.userCode)).disabled_at, null);
  assert.deepEqual(
    (await audit()).map((row) => row.action),
    ["account.disable", "account.enable"],
  );
  const back = await t.signIn(user.userCode);
  assert.match(textOf((await back.get("/")).body), new RegExp(`Bonjour Paul Roy \\(${user.userCode}\\)`));

  const enabledAgain = await agent.post(`/utilisateurs/${user.userCode}/reactivation`, {});
  assert.match(textOf((await agent.follow(enabledAgain)).body), /était déjà actif/);
  assert.equal((await audit()).length, 2);
});

test("a services officer cannot disable their own account: no button, and a forged request is refused", async () => {
  const { org, rse, agent } = await officerOf();
  const page = await agent.get(`/utilisateurs/${rse.userCode}`);
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /\/desactivation"/);
  assert.match(textOf(page.body), /Vous ne pouvez pas désactiver votre propre compte\./);

  const before = await state();
  const response = await agent.post(`/utilisateurs/${rse.userCode}/desactivation`, {});
  assert.equal(response.statusCode, 403);
  assert.match(textOf(response.body), /Vous n'avez pas accès à cette ressource\./);
  assert.deepEqual(summary(await auditAddedSince(before)), [
    {
      action: "account.disable",
      outcome: "denied",
      reason: "own_account",
      actor: rse.id,
      organization: org.id,
    },
  ]);
  assert.equal((await agent.get("/")).statusCode, 200);
});

// 9. Resetting a password

test("a password reset mails a new link that replaces the unused activation link", async () => {
  const { rse, agent } = await officerOf();
  const fields = profile({ firstName: "Anne", lastName: "Morin" });
  const code = await createThroughForm(agent, fields);
  const [activationLink] = await linksMailedTo(fields.email);
  assert.ok(activationLink);

  const response = await agent.post(`/utilisateurs/${code}/reinitialisation`, {});
  assert.equal(response.statusCode, 303);
  assert.equal(locationOf(response), `/utilisateurs/${code}`);
  assert.match(
    textOf((await agent.follow(response)).body),
    new RegExp(escapeRegExp(`Un lien de réinitialisation a été envoyé à ${fields.email}.`)),
  );
  const links = await linksMailedTo(fields.email);
  assert.equal(links.length, 2);
  const resetLink = links[1];
  assert.ok(resetLink);
  assert.notEqual(resetLink, activationLink);
  const user = await userRow(code);
  const audit = await t.database.db
    .selectFrom("audit_event")
    .select(["actor_user_id", "outcome"])
    .where("action", "=", "account.resetPassword")
    .where("target_id", "=", String(user.id))
    .execute();
  assert.deepEqual(audit, [{ actor_user_id: rse.id, outcome: "success" }]);

  const old = await t.agent().get(activationLink);
  assert.equal(old.statusCode, 410);
  assert.match(textOf(old.body), /Ce lien n'est plus valide/);

  const visitor = t.agent();
  const form = await visitor.get(resetLink);
  assert.equal(form.statusCode, 200);
  assert.match(textOf(form.body), /Réinitialisation de votre mot de passe/);
  const done = await visitor.post(resetLink, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
  assert.equal(done.statusCode, 303);
  const signedIn = await t.signIn(code, NEW_PASSWORD);
  assert.match(textOf((await signedIn.get("/")).body), new RegExp(`Bonjour Anne Morin \\(${code}\\)`));
});

test("a password reset ends the user's sessions once the new password is set, and the old password stops working", async () => {
  const { org, agent } = await officerOf();
  const user = await t.factories.user(org);
  const userAgent = await t.signIn(user.userCode);
  await agent.get(`/utilisateurs/${user.userCode}`);
  assert.equal((await agent.post(`/utilisateurs/${user.userCode}/reinitialisation`, {})).statusCode, 303);
  const [link] = await linksMailedTo(user.email);
  assert.ok(link);
  assert.equal(
    (await t.agent().post(link, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD })).statusCode,
    303,
  );
  assert.match(locationOf(await userAgent.get("/")), /^\/connexion/);
  const old = await t.agent().post("/connexion", { userCode: user.userCode, password: TEST_PASSWORD });
  assert.equal(old.statusCode, 401);
  await t.signIn(user.userCode, NEW_PASSWORD);
});

test("a disabled user's password cannot be reset, and nothing is sent", async () => {
  const { org, agent } = await officerOf();
  const user = await t.factories.user(org, { disabled: true });
  const page = await agent.get(`/utilisateurs/${user.userCode}`);
  assert.doesNotMatch(page.body, /\/reinitialisation"/);
  const before = await state();
  const response = await agent.post(`/utilisateurs/${user.userCode}/reinitialisation`, {});
  assert.equal(response.statusCode, 409);
  assert.match(
    textOf(response.body),
    /Ce compte est désactivé\. Réactivez-le avant de réinitialiser son mot de passe\./,
  );
  await assertNothingChanged(before);
});

// 10. Another organization's users

test("a services officer is refused every action on another organization's user, and each refusal is audited", async () => {
  const { rse, agent } = await officerOf();
  const otherOrg = await t.factories.organization();
  await t.factories.user(otherOrg, { servicesOfficer: true });
  const active = await t.factories.user(otherOrg, { firstName: "Nadia", lastName: "Ailleurs" });
  const disabled = await t.factories.user(otherOrg, { disabled: true });
  await agent.get("/utilisateurs");
  const before = await state();

  const attempts: { send: () => Promise<Response>; action: string; target: MadeUser }[] = [
    { send: () => agent.get(`/utilisateurs/${active.userCode}`), action: "account.view", target: active },
    {
      send: () => agent.post(`/utilisateurs/${active.userCode}`, profile()),
      action: "account.edit",
      target: active,
    },
    {
      send: () => agent.post(`/utilisateurs/${active.userCode}/desactivation`, {}),
      action: "account.disable",
      target: active,
    },
    {
      send: () => agent.post(`/utilisateurs/${disabled.userCode}/reactivation`, {}),
      action: "account.enable",
      target: disabled,
    },
    {
      send: () => agent.post(`/utilisateurs/${active.userCode}/reinitialisation`, {}),
      action: "account.resetPassword",
      target: active,
    },
  ];
  for (const attempt of attempts) {
    const response = await attempt.send();
    assert.equal(response.statusCode, 403, attempt.action);
    const text = textOf(response.body);
    assert.match(text, /Vous n'avez pas accès à cette ressource\./);
    assert.doesNotMatch(text, /Ailleurs/);
  }

  const denials = await auditAddedSince(before);
  assert.deepEqual(
    denials.map((row) => ({
      action: row.action,
      outcome: row.outcome,
      reason: row.reason,
      actor: row.actor_user_id,
      organization: row.organization_id,
      target: row.target_id,
    })),
    attempts.map((attempt) => ({
      action: attempt.action,
      outcome: "denied",
      reason: "other_organization",
      actor: rse.id,
      organization: otherOrg.id,
      target: String(attempt.target.id),
    })),
  );
});

// 11. Unknown codes

test("an unknown user code is answered with 404 and its message", async () => {
  const { agent } = await officerOf();
  for (const url of ["/utilisateurs/ZZZZZZ9", "/utilisateurs/pas-un-code"]) {
    const response = await agent.get(url);
    assert.equal(response.statusCode, 404, url);
    assert.match(textOf(response.body), /Aucun utilisateur ne correspond à ce code\./);
  }
  const before = await state();
  for (const path of ["", "/desactivation", "/reactivation", "/reinitialisation"]) {
    const response = await agent.post(`/utilisateurs/ZZZZZZ9${path}`, path === "" ? profile() : {});
    assert.equal(response.statusCode, 404, path);
  }
  await assertNothingChanged(before);
});

// 12. English

test("the profile names the person in the page's language: « Nom » and « Mme », or Name and Ms.", async () => {
  const { rse, agent } = await officerOf();
  const french = textOf((await agent.get("/profil")).body);
  assert.match(french, /Nom\s+Mme Rachel Savard/);
  await agent.post("/langue", { locale: "en", retour: "/profil" });
  const english = textOf((await agent.get("/profil")).body);
  assert.match(english, /Name\s+Ms\. Rachel Savard/);
  assert.doesNotMatch(english, /Last name|Mme /);
  // The forms offer the civilities in English, and still store the French value.
  const form = (await agent.get(`/utilisateurs/${rse.userCode}`)).body;
  assert.match(form, /<option value="Mme"[^>]*>Ms\.<\/option>/);
  assert.match(form, /<option value="M\."[^>]*>Mr\.<\/option>/);
});

test("after switching to English, the user pages speak English", async () => {
  const { org, agent } = await officerOf();
  await agent.get("/utilisateurs");
  const switched = await agent.post("/langue", { locale: "en", retour: "/utilisateurs" });
  assert.equal(switched.statusCode, 303);
  assert.equal(locationOf(switched), "/utilisateurs");
  const page = await agent.follow(switched);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<html lang="en-CA"/);
  const text = textOf(page.body);
  assert.match(text, new RegExp(`Users of ${escapeRegExp(org.name)}`));
  assert.match(text, /Create a user/);
  assert.doesNotMatch(text, /Utilisateurs de/);

  const cle = await openCreateForm(agent);
  const refused = await agent.post("/utilisateurs", { ...profile({ phone: "12345" }), cle });
  assert.equal(refused.statusCode, 400);
  assert.match(textOf(refused.body), /The form has errors/);
  assert.match(textOf(refused.body), /Enter a 10-digit phone number/);
});
