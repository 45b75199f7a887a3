// The registry's pages over HTTP (issue #5): the service's space with only what the policy allows, the registry with
// « Nouvelle inscription » (« Chercher », « + », « Confirmer » with its one-time key), « Modifier » and « Retirer »,
// the deputies, « Qui a accès » and its CSV; every bad input of the issue with its French message and nothing
// written; forged URLs refused and audited; the grantee's email on grant, change and end.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runJobs } from "../../src/jobs.js";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import {
  giveRole,
  keyOf,
  locationOf,
  mailsTo,
  offeredRights,
  procurationFor,
  type RegistryService,
  type RegistryState,
  register,
  registryState,
  serviceByCode,
  servicePointOf,
  urls,
} from "../support/registry-pages.js";
import { escapeRegExp } from "../support/text.js";

/** One message for a code nobody has and for someone this registry cannot reach: existence never leaks. */
const UNKNOWN_CODE =
  /Aucun membre de votre organisation ni aucun mandataire associé à ce service ne porte ce code\./;
const UNKNOWN_MEMBER = /Aucun membre de votre organisation ne porte ce code\./;

let t: TestApp;
let service: RegistryService;
let otherService: RegistryService;
let admin: MadeUser;

/** A municipality with its local manager (by an approved request), a deputy, an RSE and staff. */
type Municipality = {
  org: MadeOrganization;
  rse: MadeUser;
  manager: MadeUser;
  deputy: MadeUser;
  staff: MadeUser[];
  managerRequestId: number;
};

let city: Municipality;
let otherCity: Municipality;
let firm: MadeOrganization;
let pointId: number;
let agentManager: MadeUser;
let consultant: MadeUser;
let notAssociated: MadeUser;

async function municipality(name: string, staffCount: number): Promise<Municipality> {
  const f = t.factories;
  const org = await f.organization("municipality", name);
  const rse = await f.user(org, { servicesOfficer: true, firstName: "Rita", lastName: `RSE ${name}` });
  const manager = await f.user(org, { firstName: "Louise", lastName: `Gestionnaire ${name}` });
  const deputy = await f.user(org, { firstName: "Denis", lastName: `Adjoint ${name}` });
  const staff: MadeUser[] = [];
  for (let i = 1; i <= staffCount; i++)
    staff.push(await f.user(org, { firstName: "Employé", lastName: `${i} ${name}` }));
  await procurationFor(t, org, [manager, deputy], rse, { ministryId: service.ministry_id });
  const { requestId } = await giveRole(t, {
    role: "local_manager",
    org,
    user: manager,
    service,
    by: null,
    approvedBy: admin,
  });
  await giveRole(t, { role: "deputy", org, user: deputy, service, by: manager });
  assert.ok(requestId);
  return { org, rse, manager, deputy, staff, managerRequestId: requestId };
}

before(async () => {
  t = await startTestApp();
  service = await serviceByCode(t, "D34-PIQM");
  otherService = await serviceByCode(t, "D35-TECQ 2014");
  const ministry = await t.factories.organization("ministry");
  admin = await t.factories.user(ministry, {
    serviceAdminUnit: "DGI",
    firstName: "Simon",
    lastName: "Ouellet",
  });
  city = await municipality("Val-des-Essais", 4);
  otherCity = await municipality("Mont-Témoin", 1);
  firm = await t.factories.organization("firm", "Génie Essai inc.");
  pointId = await servicePointOf(t, firm, "Bureau de Lévis");
  const firmRse = await t.factories.user(firm, {
    servicesOfficer: true,
    firstName: "Frédéric",
    lastName: "Firme",
  });
  agentManager = await t.factories.user(firm, { firstName: "Alain", lastName: "Gérant" });
  consultant = await t.factories.user(firm, { firstName: "Claire", lastName: "Consultante" });
  notAssociated = await t.factories.user(firm, { firstName: "Nina", lastName: "Nonassociée" });
  await procurationFor(t, firm, [agentManager, consultant], firmRse, { ministryId: service.ministry_id });
  await giveRole(t, {
    role: "agent_manager",
    org: firm,
    user: agentManager,
    service,
    by: null,
    servicePointId: pointId,
    approvedBy: admin,
  });
});
after(() => t.close());

async function assertNothingChanged(before: RegistryState): Promise<void> {
  assert.deepEqual(await registryState(t), before);
}

/** Nothing changed but the audit rows appended since, which are returned. */
async function auditedOnly(before: RegistryState) {
  const now = await registryState(t);
  assert.deepEqual({ ...now, audit: now.audit.slice(0, before.audit.length) }, before);
  return now.audit.slice(before.audit.length);
}

async function currentGrants(orgId: number, serviceId = service.id) {
  return t.database.db
    .selectFrom("access_grant")
    .selectAll()
    .where("organization_id", "=", orgId)
    .where("service_id", "=", serviceId)
    .where("ended_at", "is", null)
    .execute();
}

function text(response: Response): string {
  return textOf(response.body);
}

async function as(user: MadeUser): Promise<Agent> {
  return t.signIn(user.userCode);
}

function assertForbiddenPage(response: Response): void {
  assert.equal(response.statusCode, 403);
  assert.match(text(response), /Vous n'avez pas accès à cette ressource\./);
  assert.doesNotMatch(response.body, /at .+\.ts:\d+/);
}

// --- The service's space

test("« Mes services en ligne » links each service to its space, which shows each person only what the policy allows", async () => {
  const manager = await as(city.manager);
  const home = await manager.get("/");
  assert.match(home.body, new RegExp(`href="${urls.space(service).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`));

  const space = await manager.get(urls.space(service));
  assert.equal(space.statusCode, 200);
  const seen = text(space);
  assert.match(seen, /Utilitaires/);
  assert.match(seen, /Droits d'accès — Val-des-Essais/);
  assert.match(seen, /Votre fonction\s: Gestionnaire local des droits d'accès\./);
  assert.match(space.body, new RegExp(`href="${urls.registry(service, city.org.id)}"`));
  assert.match(space.body, new RegExp(`href="${urls.whoHasAccess(service, city.org.id)}"`));
  assert.match(seen, /Gestion des adjoints/);
  assert.doesNotMatch(seen, /Association des mandataires/);

  const deputy = await (await as(city.deputy)).get(urls.space(service));
  assert.match(text(deputy), /Votre fonction\s: Gestionnaire local adjoint\./);
  assert.match(deputy.body, new RegExp(`href="${urls.registry(service, city.org.id)}"`));
  assert.doesNotMatch(text(deputy), /Gestion des adjoints/);
  assert.match(text(deputy), /Gestionnaires locaux adjoints/);

  const am = await (await as(agentManager)).get(urls.space(service));
  assert.match(text(am), /Génie Essai inc\., point de service Bureau de Lévis/);
  assert.match(am.body, new RegExp(`href="${urls.association(service, pointId)}"`));
  assert.doesNotMatch(am.body, /\/registre"/);
});

test("someone with no role or right in a service gets a clear message, not an error; an unknown service is a 404", async () => {
  const plain = await as(city.staff[3] as MadeUser);
  const space = await plain.get(urls.space(otherService));
  assert.equal(space.statusCode, 200);
  assert.match(text(space), /Vous ne détenez aucun rôle ni droit d'accès dans ce service\./);
  assert.doesNotMatch(space.body, /registre|adjoints|association/);
  const unknown = await plain.get("/services/INCONNU-99");
  assert.equal(unknown.statusCode, 404);
  assert.match(text(unknown), /La page demandée n'existe pas\./);
  const anonymous = await t.agent().get(urls.space(service));
  assert.equal(anonymous.statusCode, 303);
  assert.match(locationOf(anonymous), /^\/connexion\?retour=/);
});

test("a local manager without a procuration for the ministry sees why the registry is closed, and cannot open it", async () => {
  const org = await t.factories.organization("municipality", "Sans-Procuration");
  const manager = await t.factories.user(org, { firstName: "Paul", lastName: "Sansprocuration" });
  await giveRole(t, { role: "local_manager", org, user: manager, service, by: null, approvedBy: admin });
  const agent = await as(manager);
  const space = await agent.get(urls.space(service));
  assert.equal(space.statusCode, 200);
  assert.match(text(space), /procuration valide de votre organisation pour MAMH/);
  assert.doesNotMatch(space.body, /\/registre"/);
  const before = await registryState(t);
  const registry = await agent.get(urls.registry(service, org.id));
  assertForbiddenPage(registry);
  const [denial] = await auditedOnly(before);
  assert.equal(denial?.reason, "no_procuration");
  assert.equal(denial?.action, "registry.view");
});

// --- Registry: « Nouvelle inscription »

test("the local manager registers a staff member: « Chercher » shows the person and only requester rights, « + », an end date, « Confirmer »; the registry lists it and the grantee is mailed", async () => {
  const agent = await as(city.manager);
  const grantee = city.staff[0] as MadeUser;
  const base = urls.registry(service, city.org.id);
  const empty = await agent.get(base);
  assert.equal(empty.statusCode, 200);
  assert.match(text(empty), /Registre des droits d'accès/);
  assert.match(text(empty), /Nouvelle inscription/);

  const found = await agent.get(`${base}/inscription?utilisateur=${grantee.userCode.toLowerCase()}`);
  assert.equal(found.statusCode, 200);
  assert.match(text(found), new RegExp(`Nom Employé 1 Val-des-Essais \\(${grantee.userCode}\\)`));
  assert.match(text(found), /Organisation Val-des-Essais Association au service Non associée/);
  assert.deepEqual(offeredRights(found), ["requester.write", "requester.read"]);
  assert.match(found.body, /<span class="visually-hidden">Ajouter le droit Requérant – Rédaction<\/span>/);

  const sent = await register(agent, service, city.org.id, grantee.userCode, "requester.write", "2027-03-01");
  assert.equal(sent.statusCode, 303, text(sent));
  assert.equal(locationOf(sent), base);
  const page = await agent.follow(sent);
  assert.match(text(page), /Le droit « Requérant – Rédaction » a été accordé à Employé 1 Val-des-Essais\./);
  const row = page.body.match(/<tr data-grant="\d+">[\s\S]*?<\/tr>/)?.[0] ?? "";
  assert.match(
    textOf(row),
    new RegExp(
      `Employé 1 Val-des-Essais \\(${grantee.userCode}\\) Requérant – Rédaction Louise Gestionnaire Val-des-Essais 22 novembre 2026 1 mars 2027 Modifier`,
    ),
  );

  const [grant] = await currentGrants(city.org.id);
  assert.equal(grant?.user_id, grantee.id);
  assert.equal(grant?.access_right, "requester.write");
  assert.equal(grant?.valid_until, "2027-03-01");
  assert.equal(grant?.granted_by, city.manager.id);
  const mails = await mailsTo(t, grantee);
  assert.equal(mails.length, 1);
  assert.equal(mails[0]?.subject, "Guichet — droit d'accès accordé (D34-PIQM)");
  assert.match(
    mails[0]?.text_body ?? "",
    /«\u00a0Requérant – Rédaction\u00a0» vous a été accordé[\s\S]*Fin\s: 1 mars 2027\./,
  );
});

test("« Confirmer » sent twice writes one grant and one mail, and the second answer says the form had been sent", async () => {
  const agent = await as(city.manager);
  const grantee = city.staff[1] as MadeUser;
  const base = urls.registry(service, city.org.id);
  const confirm = await agent.get(
    `${base}/inscription/confirmation?utilisateur=${grantee.userCode}&droit=requester.read`,
  );
  const fields = { utilisateur: grantee.userCode, droit: "requester.read", fin: "", cle: keyOf(confirm) };
  const first = await agent.post(`${base}/inscription`, fields);
  assert.equal(first.statusCode, 303);
  const second = await agent.post(`${base}/inscription`, fields);
  assert.equal(second.statusCode, 303);
  assert.match(
    text(await agent.follow(second)),
    /Ce formulaire avait déjà été transmis\. Rien n'a été enregistré de nouveau\./,
  );
  const grants = (await currentGrants(city.org.id)).filter((g) => g.user_id === grantee.id);
  assert.equal(grants.length, 1);
  assert.equal((await mailsTo(t, grantee)).length, 1);

  // Two at once: the key is claimed in the grant's transaction, so one of them writes.
  const racer = city.staff[2] as MadeUser;
  const page = await agent.get(
    `${base}/inscription/confirmation?utilisateur=${racer.userCode}&droit=requester.read`,
  );
  const raced = { utilisateur: racer.userCode, droit: "requester.read", fin: "", cle: keyOf(page) };
  const answers = await Promise.all([
    agent.post(`${base}/inscription`, raced),
    agent.post(`${base}/inscription`, raced),
  ]);
  assert.deepEqual(
    answers.map((a) => a.statusCode),
    [303, 303],
  );
  assert.equal((await currentGrants(city.org.id)).filter((g) => g.user_id === racer.id).length, 1);
  assert.equal((await mailsTo(t, racer)).length, 1);
});

test("« Chercher » answers a code of another organization exactly as a code nobody has: same page, no one shown", async () => {
  const agent = await as(city.manager);
  const base = urls.registry(service, city.org.id);
  const answerFor = async (code: string) => {
    const page = await agent.get(`${base}/inscription?utilisateur=${code}`);
    return { status: page.statusCode, text: text(page).replaceAll(code, "CODE") };
  };
  const unknown = await answerFor("ZZZ9999");
  assert.equal(unknown.status, 400);
  assert.match(unknown.text, UNKNOWN_CODE);
  for (const foreign of [otherCity.staff[0] as MadeUser, otherCity.manager, notAssociated]) {
    const answer = await answerFor(foreign.userCode);
    // The same page as for nobody, the code aside: neither the person nor their organization is shown.
    assert.deepEqual(answer, unknown, foreign.userCode);
  }
});

test("bad input on « Nouvelle inscription » gets its French message and writes nothing", async () => {
  const agent = await as(city.manager);
  const base = urls.registry(service, city.org.id);
  const stranger = otherCity.staff[0] as MadeUser;
  const before = await registryState(t);

  const cases: { url: string; status: number; message: RegExp; offered?: string[] }[] = [
    {
      url: `${base}/inscription?utilisateur=`,
      status: 400,
      message: /Entrez le code d'utilisateur de la personne\./,
    },
    {
      url: `${base}/inscription?utilisateur=AB%3C1`,
      status: 400,
      message: /Le code d'utilisateur contient 7 lettres et chiffres/,
    },
    {
      url: `${base}/inscription?utilisateur=ZZZ9999`,
      status: 400,
      message: UNKNOWN_CODE,
    },
    // Someone of another organization, or a firm's staff not associated with the service: not found either.
    {
      url: `${base}/inscription?utilisateur=${stranger.userCode}`,
      status: 400,
      message: UNKNOWN_CODE,
    },
    {
      url: `${base}/inscription?utilisateur=${notAssociated.userCode}`,
      status: 400,
      message: UNKNOWN_CODE,
    },
    {
      url: `${base}/inscription/confirmation?utilisateur=${(city.staff[3] as MadeUser).userCode}&droit=agent.write`,
      status: 400,
      message: /Cette personne n'est pas associée à ce service/,
      // The refused right is not kept, and the rights this person may receive are offered again.
      offered: ["requester.write", "requester.read"],
    },
    {
      url: `${base}/inscription/confirmation?utilisateur=${(city.staff[3] as MadeUser).userCode}&droit=tout`,
      status: 400,
      message: /Choisissez un droit d'accès\./,
      offered: ["requester.write", "requester.read"],
    },
  ];
  for (const c of cases) {
    const page = await agent.get(c.url);
    assert.equal(page.statusCode, c.status, c.url);
    assert.match(text(page), /Le formulaire contient des erreurs/, c.url);
    assert.match(text(page), c.message, c.url);
    assert.deepEqual(offeredRights(page), c.offered ?? [], c.url);
  }
  // Someone who already holds a right is sent to « Modifier ».
  const holder = await agent.get(`${base}/inscription?utilisateur=${(city.staff[0] as MadeUser).userCode}`);
  assert.equal(holder.statusCode, 409);
  assert.match(text(holder), /Cette personne détient déjà un droit dans ce registre\./);

  // The same refusals when « Confirmer » is forged past the look-up.
  const confirm = await agent.get(
    `${base}/inscription/confirmation?utilisateur=${(city.staff[3] as MadeUser).userCode}&droit=requester.read`,
  );
  const cle = keyOf(confirm);
  const forged: { fields: Record<string, string>; message: RegExp }[] = [
    {
      fields: { utilisateur: "ZZZ9999", droit: "requester.read", fin: "" },
      message: UNKNOWN_CODE,
    },
    {
      fields: { utilisateur: stranger.userCode, droit: "requester.write", fin: "" },
      message: UNKNOWN_CODE,
    },
    {
      fields: { utilisateur: notAssociated.userCode, droit: "agent.write", fin: "" },
      message: UNKNOWN_CODE,
    },
    {
      fields: { utilisateur: (city.staff[3] as MadeUser).userCode, droit: "agent.read", fin: "" },
      message: /Cette personne n'est pas associée à ce service/,
    },
    {
      fields: { utilisateur: (city.staff[3] as MadeUser).userCode, droit: "administrateur", fin: "" },
      message: /Choisissez un droit d'accès\./,
    },
    {
      fields: {
        utilisateur: (city.staff[3] as MadeUser).userCode,
        droit: "requester.read",
        fin: "2026-02-30",
      },
      message: /Entrez une date de fin valide, au format AAAA-MM-JJ\./,
    },
    {
      fields: {
        utilisateur: (city.staff[3] as MadeUser).userCode,
        droit: "requester.read",
        fin: "2026-11-21",
      },
      message: /La date de fin ne peut pas être passée\./,
    },
  ];
  for (const f of forged) {
    const answer = await agent.post(`${base}/inscription`, { ...f.fields, cle });
    assert.equal(answer.statusCode, 400, JSON.stringify(f.fields));
    assert.match(text(answer), /Le formulaire contient des erreurs/);
    assert.match(text(answer), f.message, JSON.stringify(f.fields));
  }
  const holderAgain = await agent.post(`${base}/inscription`, {
    utilisateur: (city.staff[0] as MadeUser).userCode,
    droit: "requester.read",
    fin: "",
    cle,
  });
  assert.equal(holderAgain.statusCode, 409);
  assert.match(text(holderAgain), /détient déjà un droit dans ce registre/);
  await assertNothingChanged(before);

  // A form corrected after an error goes through with its key.
  const corrected = await agent.post(`${base}/inscription`, {
    utilisateur: (city.staff[3] as MadeUser).userCode,
    droit: "requester.read",
    fin: "2027-01-31",
    cle,
  });
  assert.equal(corrected.statusCode, 303, text(corrected));
});

test("a forged URL naming another organization's registry is refused with a French 403, audited, and changes nothing", async () => {
  const agent = await as(city.manager);
  const foreign = urls.registry(service, otherCity.org.id);
  const newcomer = await t.factories.user(city.org, { firstName: "Nouvelle", lastName: "Venue" });
  const ownConfirm = await agent.get(
    `${urls.registry(service, city.org.id)}/inscription/confirmation?utilisateur=${newcomer.userCode}&droit=requester.write`,
  );
  const cle = keyOf(ownConfirm);
  const before = await registryState(t);
  const [otherGrant] = await currentGrants(otherCity.org.id);
  const attempts: Response[] = [
    await agent.get(foreign),
    await agent.get(`${foreign}/inscription?utilisateur=${(otherCity.staff[0] as MadeUser).userCode}`),
    await agent.post(`${foreign}/inscription`, {
      utilisateur: (otherCity.staff[0] as MadeUser).userCode,
      droit: "requester.write",
      fin: "",
      cle,
    }),
    await agent.get(urls.whoHasAccess(service, otherCity.org.id)),
    await agent.get(`${urls.whoHasAccess(service, otherCity.org.id)}.csv`),
    await agent.get(urls.deputies(service, otherCity.org.id)),
    await agent.post(urls.deputies(service, otherCity.org.id), {
      adjoint: (otherCity.staff[0] as MadeUser).userCode,
    }),
  ];
  if (otherGrant) attempts.push(await agent.post(`${foreign}/droits/${otherGrant.id}/retrait`, {}));
  for (const response of attempts) assertForbiddenPage(response);
  const audit = await auditedOnly(before);
  assert.equal(audit.length, attempts.length);
  for (const row of audit) {
    assert.equal(row.outcome, "denied");
    assert.equal(row.reason, "other_organization");
    assert.equal(row.actor_user_id, city.manager.id);
    assert.equal(row.organization_id, otherCity.org.id);
    assert.equal(row.target_id, `${otherCity.org.id}/${service.id}`);
  }
  assert.deepEqual(
    audit.map((row) => row.action),
    [
      "registry.view",
      "registry.grant",
      "registry.grant",
      "registry.whoHasAccess",
      "registry.whoHasAccess",
      "registry.view",
      "deputy.name",
      ...(otherGrant ? ["registry.revoke"] : []),
    ],
  );
  // An organization that does not exist is simply not found.
  assert.equal((await agent.get(urls.registry(service, 999_999_999))).statusCode, 404);
});

test("staff with a requester right, an agent manager and a manager of another service cannot open the registry", async () => {
  const holder = await as(city.staff[0] as MadeUser);
  assertForbiddenPage(await holder.get(urls.registry(service, city.org.id)));
  assertForbiddenPage(await holder.get(urls.whoHasAccess(service, city.org.id)));
  const am = await as(agentManager);
  assertForbiddenPage(await am.get(urls.registry(service, firm.id)));
  const manager = await as(city.manager);
  assertForbiddenPage(await manager.get(urls.registry(otherService, city.org.id)));
});

// --- « Modifier » and « Retirer »

test("« Modifier » changes the right within its pair and the end date, mails the grantee, and the same form again changes nothing", async () => {
  const agent = await as(city.deputy);
  const grantee = city.staff[0] as MadeUser;
  const [grant] = (await currentGrants(city.org.id)).filter((g) => g.user_id === grantee.id);
  assert.ok(grant);
  const url = `${urls.registry(service, city.org.id)}/droits/${grant.id}/modifier`;
  const form = await agent.get(url);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<option value="requester.write" selected>Requérant – Rédaction<\/option>/);
  assert.match(form.body, /<option value="requester.read">Requérant – Consultation<\/option>/);
  assert.doesNotMatch(form.body, /value="agent\./);
  assert.match(form.body, /value="2027-03-01"/);

  const before = await registryState(t);
  for (const [fields, message] of [
    [{ droit: "agent.write", fin: "" }, /Un droit de requérant ne peut devenir un droit de mandataire/],
    [{ droit: "requester.read", fin: "hier" }, /Entrez une date de fin valide/],
    [{ droit: "", fin: "" }, /Choisissez un droit d'accès\./],
  ] as const) {
    const refused = await agent.post(url, fields);
    assert.equal(refused.statusCode, 400);
    assert.match(text(refused), message);
  }
  await assertNothingChanged(before);

  const changed = await agent.post(url, { droit: "requester.read", fin: "2027-06-30" });
  assert.equal(changed.statusCode, 303);
  assert.match(
    text(await agent.follow(changed)),
    /Le droit d'accès de Employé 1 Val-des-Essais a été modifié\./,
  );
  const row = await t.database.db
    .selectFrom("access_grant")
    .selectAll()
    .where("id", "=", grant.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.access_right, "requester.read");
  assert.equal(row.valid_until, "2027-06-30");
  assert.equal(row.changed_by, city.deputy.id);
  const mails = await mailsTo(t, grantee);
  assert.equal(mails.at(-1)?.subject, "Guichet — droit d'accès modifié (D34-PIQM)");
  assert.match(
    mails.at(-1)?.text_body ?? "",
    /est maintenant «\u00a0Requérant – Consultation\u00a0»\.\nFin\s: 30 juin 2027\./,
  );

  const sameAgain = await registryState(t);
  const again = await agent.post(url, { droit: "requester.read", fin: "2027-06-30" });
  assert.equal(again.statusCode, 303);
  assert.match(text(await agent.follow(again)), /rien n'a été modifié/);
  await assertNothingChanged(sameAgain);
});

test("« Retirer » ends a right and mails the grantee; revoking it twice is refused with a French message and changes nothing", async () => {
  const agent = await as(city.manager);
  const grantee = city.staff[1] as MadeUser;
  const [grant] = (await currentGrants(city.org.id)).filter((g) => g.user_id === grantee.id);
  assert.ok(grant);
  const url = `${urls.registry(service, city.org.id)}/droits/${grant.id}/retrait`;
  const first = await agent.post(url, {});
  assert.equal(first.statusCode, 303);
  const registry = await agent.follow(first);
  assert.match(text(registry), /Le droit d'accès de Employé 2 Val-des-Essais a pris fin\./);
  assert.doesNotMatch(registry.body, new RegExp(`data-grant="${grant.id}"`));
  const ended = await t.database.db
    .selectFrom("access_grant")
    .selectAll()
    .where("id", "=", grant.id)
    .executeTakeFirstOrThrow();
  assert.equal(ended.end_reason, "revoked");
  assert.equal(ended.ended_by, city.manager.id);
  assert.equal((await mailsTo(t, grantee)).at(-1)?.subject, "Guichet — fin d'un droit d'accès (D34-PIQM)");

  const before = await registryState(t);
  const second = await agent.post(url, {});
  assert.equal(second.statusCode, 409);
  assert.match(text(second), /Ce droit a déjà pris fin\. Rien n'a été modifié\./);
  await assertNothingChanged(before);
  // A grant of another registry is not found through this one.
  const foreignGrant = await register(
    await as(otherCity.manager),
    service,
    otherCity.org.id,
    (otherCity.staff[0] as MadeUser).userCode,
    "requester.write",
  );
  assert.equal(foreignGrant.statusCode, 303);
  const [other] = await currentGrants(otherCity.org.id);
  assert.ok(other);
  const notHere = await agent.post(`${urls.registry(service, city.org.id)}/droits/${other.id}/retrait`, {});
  assert.equal(notHere.statusCode, 404);
});

// --- Deputies

test("the local manager names and removes a deputy; a deputy sees the list without buttons and may not name or remove one", async () => {
  const manager = await as(city.manager);
  const url = urls.deputies(service, city.org.id);
  const list = await manager.get(url);
  assert.equal(list.statusCode, 200);
  assert.match(text(list), /Denis Adjoint Val-des-Essais/);
  assert.match(text(list), /Nommer un adjoint/);

  const newDeputy = city.staff[2] as MadeUser;
  const named = await manager.post(url, { adjoint: newDeputy.userCode });
  assert.equal(named.statusCode, 303);
  const after = await manager.follow(named);
  assert.match(text(after), /Employé 3 Val-des-Essais est maintenant gestionnaire local adjoint\./);
  assert.equal(
    (await mailsTo(t, newDeputy)).at(-1)?.subject,
    "Guichet — nomination comme gestionnaire local adjoint (D34-PIQM)",
  );

  const deputy = await as(city.deputy);
  const seen = await deputy.get(url);
  assert.equal(seen.statusCode, 200);
  assert.match(text(seen), /Employé 3 Val-des-Essais/);
  assert.doesNotMatch(seen.body, /\/retrait"/);
  assert.doesNotMatch(seen.body, /name="adjoint"/);
  assert.match(text(seen), /Seul le gestionnaire local nomme et retire les adjoints\./);

  const before = await registryState(t);
  const role = await t.database.db
    .selectFrom("service_role")
    .select("id")
    .where("user_id", "=", newDeputy.id)
    .where("role", "=", "deputy")
    .where("ended_at", "is", null)
    .executeTakeFirstOrThrow();
  assertForbiddenPage(await deputy.post(url, { adjoint: (city.staff[3] as MadeUser).userCode }));
  assertForbiddenPage(await deputy.post(`${url}/${role.id}/retrait`, {}));
  const audit = await auditedOnly(before);
  assert.deepEqual(
    audit.map((row) => [row.action, row.reason]),
    [
      ["deputy.name", "not_local_manager"],
      ["deputy.remove", "not_local_manager"],
    ],
  );

  const removed = await manager.post(`${url}/${role.id}/retrait`, {});
  assert.equal(removed.statusCode, 303);
  assert.match(
    text(await manager.follow(removed)),
    /Employé 3 Val-des-Essais n'est plus gestionnaire local adjoint\./,
  );
  assert.equal(
    (await mailsTo(t, newDeputy)).at(-1)?.subject,
    "Guichet — fin de votre fonction de gestionnaire local adjoint (D34-PIQM)",
  );
  const twice = await manager.post(`${url}/${role.id}/retrait`, {});
  assert.equal(twice.statusCode, 409);
  assert.match(text(twice), /Cette personne n'est plus gestionnaire local adjoint\. Rien n'a été modifié\./);
});

test("naming a deputy: an unknown code, someone of another organization, the manager or a deputy already named get their French message and nothing is written", async () => {
  const manager = await as(city.manager);
  const url = urls.deputies(service, city.org.id);
  const before = await registryState(t);
  for (const [code, status, message] of [
    ["", 400, /Entrez le code d'utilisateur de la personne\./],
    ["ZZZ9999", 400, UNKNOWN_MEMBER],
    [(otherCity.staff[0] as MadeUser).userCode, 400, UNKNOWN_MEMBER],
    [consultant.userCode, 400, UNKNOWN_MEMBER],
    [
      city.manager.userCode,
      409,
      /Cette personne est le gestionnaire local\s: elle ne peut pas être aussi son adjoint\./,
    ],
    [city.deputy.userCode, 409, /Cette personne est déjà gestionnaire local adjoint de ce service\./],
  ] as const) {
    const answer = await manager.post(url, { adjoint: code });
    assert.equal(answer.statusCode, status, code);
    assert.match(text(answer), /Le formulaire contient des erreurs/);
    assert.match(text(answer), message, code);
  }
  await assertNothingChanged(before);
});

test("naming a deputy without a procuration covering the service: the summary warns and names the RSE; confirmed anyway, the deputy is told by email what is missing", async () => {
  const f = t.factories;
  const bare = await f.user(city.org, { firstName: "Bruno", lastName: "Sansprocuration" });
  const restricted = await f.user(city.org, { firstName: "Rachel", lastName: "Restreinte" });
  const covered = await f.user(city.org, { firstName: "Colette", lastName: "Couverte" });
  await procurationFor(t, city.org, [restricted], city.rse, {
    ministryId: service.ministry_id,
    restrictedTo: [otherService.id],
  });
  await procurationFor(t, city.org, [covered], city.rse, { ministryId: service.ministry_id });
  const manager = await as(city.manager);
  const url = urls.deputies(service, city.org.id);
  const officer = `Rita RSE Val-des-Essais (${city.rse.email})`;

  // « Continuer » leads to the summary; nothing is written before « Confirmer ».
  const list = await manager.get(url);
  assert.match(list.body, new RegExp(`<form method="get" action="${escapeRegExp(url)}/confirmation"`));
  const before = await registryState(t);
  const summary = await manager.get(`${url}/confirmation?adjoint=${bare.userCode.toLowerCase()}`);
  assert.equal(summary.statusCode, 200);
  const shown = text(summary);
  assert.match(shown, /Confirmer la nomination d'un adjoint/);
  assert.match(shown, /Bruno Sansprocuration .* deviendra gestionnaire local adjoint/);
  assert.match(shown, /Cette personne ne pourra pas encore agir comme adjoint/);
  assert.match(
    shown,
    new RegExp(
      `Bruno Sansprocuration ne détient aucune procuration de ${escapeRegExp(city.org.name)} en vigueur couvrant le service D34-PIQM`,
    ),
  );
  assert.match(
    shown,
    /Le responsable des services électroniques \(RSE\) de l'organisation peut la lui donner/,
  );
  assert.match(shown, new RegExp(escapeRegExp(officer)));
  assert.match(summary.body, new RegExp(`<form method="post" action="${escapeRegExp(url)}"`));
  assert.match(summary.body, new RegExp(`name="adjoint" value="${bare.userCode}"`));
  assert.match(shown, /Confirmer/);

  const partial = text(await manager.get(`${url}/confirmation?adjoint=${restricted.userCode}`));
  assert.match(partial, /La procuration de Rachel Restreinte ne couvre pas le service D34-PIQM/);
  assert.match(partial, new RegExp(escapeRegExp(officer)));
  const fine = text(await manager.get(`${url}/confirmation?adjoint=${covered.userCode}`));
  assert.match(fine, /Colette Couverte .* deviendra gestionnaire local adjoint/);
  assert.doesNotMatch(fine, /ne pourra pas encore agir|procuration/);

  // The summary refuses what « Confirmer » would, next to the field.
  for (const [code, status, message] of [
    ["", 400, /Entrez le code d'utilisateur de la personne\./],
    [city.manager.userCode, 409, /Cette personne est le gestionnaire local/],
    [city.deputy.userCode, 409, /Cette personne est déjà gestionnaire local adjoint de ce service\./],
  ] as const) {
    const refused = await manager.get(`${url}/confirmation?adjoint=${code}`);
    assert.equal(refused.statusCode, status, code);
    assert.match(text(refused), message, code);
  }
  await assertNothingChanged(before);

  // Confirmed anyway: named, and the mail says what is missing and who can give it.
  assert.equal((await manager.post(url, { adjoint: bare.userCode })).statusCode, 303);
  const [named] = await mailsTo(t, bare);
  assert.equal(named?.subject, "Guichet — nomination comme gestionnaire local adjoint (D34-PIQM)");
  assert.match(
    named?.text_body ?? "",
    /Votre nomination comme gestionnaire local adjoint .* est en vigueur\./,
  );
  // One wording with the designation's mails: no gendered « nommé » nor « nommé(e) ».
  assert.doesNotMatch(named?.text_body ?? "", /Vous avez été nommé|nommé\(e\)/);
  assert.match(
    named?.text_body ?? "",
    new RegExp(
      `Attention\u00a0: vous ne détenez aucune procuration de ${escapeRegExp(city.org.name)} en vigueur couvrant le service D34-PIQM`,
    ),
  );
  assert.match(named?.text_body ?? "", new RegExp(escapeRegExp(officer)));
  assert.equal((await manager.post(url, { adjoint: restricted.userCode })).statusCode, 303);
  assert.match(
    (await mailsTo(t, restricted))[0]?.text_body ?? "",
    /votre procuration de .* ne couvre pas le service D34-PIQM/,
  );
  assert.equal((await manager.post(url, { adjoint: covered.userCode })).statusCode, 303);
  const [plain] = await mailsTo(t, covered);
  assert.doesNotMatch(plain?.text_body ?? "", /Attention|procuration/);

  // In English too.
  const other = await f.user(city.org, { firstName: "Eddie", lastName: "English" });
  await manager.post("/langue", { locale: "en", retour: url });
  const english = text(await manager.get(`${url}/confirmation?adjoint=${other.userCode}`));
  assert.match(english, /This person cannot act as a deputy yet/);
  assert.match(english, /Eddie English holds no procuration of .* in force covering the service D34-PIQM/);
  assert.match(english, new RegExp(escapeRegExp(officer)));
  await manager.post("/langue", { locale: "fr", retour: url });
});

// --- « Qui a accès » and its CSV

test("« Qui a accès » lists the local manager, deputies, requesters and agents with their chain, and exports the same as a safe CSV", async () => {
  // An agent: associated by the agent manager, then granted « Mandataire – Rédaction » by the local manager.
  const am = await as(agentManager);
  const associated = await am.post(urls.association(service, pointId), { utilisateur: consultant.userCode });
  assert.equal(associated.statusCode, 303, text(associated));
  const manager = await as(city.manager);
  const granted = await register(
    manager,
    service,
    city.org.id,
    consultant.userCode,
    "agent.write",
    "2027-03-01",
  );
  assert.equal(granted.statusCode, 303, text(granted));

  // A name a spreadsheet would run as a formula, and one with the separator and a quote.
  const tricky = await t.factories.user(city.org, {
    firstName: '=HYPERLINK("x")',
    lastName: 'Piège; "guillemets"',
  });
  assert.equal(
    (await register(manager, service, city.org.id, tricky.userCode, "requester.read")).statusCode,
    303,
  );

  const page = await manager.get(urls.whoHasAccess(service, city.org.id));
  assert.equal(page.statusCode, 200);
  const seen = text(page);
  assert.match(
    seen,
    new RegExp(
      `Louise Gestionnaire Val-des-Essais \\(${city.manager.userCode}\\) Val-des-Essais Gestionnaire local des droits d'accès Désignation par la demande d'accès no ${city.managerRequestId}, approuvée par Simon Ouellet \\(MAMH\\) le 2026-11-22, sans date de fin`,
    ),
  );
  assert.match(
    seen,
    /Denis Adjoint Val-des-Essais .* Gestionnaire local adjoint Nomination par Louise Gestionnaire Val-des-Essais le 2026-11-22, sans date de fin/,
  );
  assert.match(
    seen,
    /Requérant – Consultation accordé par Denis Adjoint Val-des-Essais|Requérant – Consultation accordé par Louise Gestionnaire Val-des-Essais/,
  );
  assert.match(
    seen,
    /Claire Consultante \(\w+\) Génie Essai inc\. Mandataire – Rédaction Firme Génie Essai inc\., point de service Bureau de Lévis, associé par Alain Gérant → Mandataire – Rédaction accordé par Louise Gestionnaire Val-des-Essais le 2026-11-22 jusqu'au 2027-03-01/,
  );
  // Revoked rights and other organizations' people are not there.
  assert.doesNotMatch(seen, /Employé 2 Val-des-Essais/);
  assert.doesNotMatch(seen, /Mont-Témoin/);

  const csv = await manager.get(`${urls.whoHasAccess(service, city.org.id)}.csv`);
  assert.equal(csv.statusCode, 200);
  assert.equal(csv.headers["content-type"], "text/csv; charset=utf-8");
  assert.match(
    String(csv.headers["content-disposition"]),
    /^attachment; filename="qui-a-acces-D34-PIQM-\d+\.csv"; filename\*=UTF-8''/,
  );
  assert.equal(csv.headers["cache-control"], "no-store");
  const raw = csv.rawPayload;
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = raw.subarray(3).toString("utf8").split("\r\n");
  assert.equal(lines.at(-1), "");
  assert.equal(lines[0], "Personne;Code d'utilisateur;Organisation;Accès;Chaîne;Depuis;Jusqu'au");
  assert.match(
    lines[1] ?? "",
    new RegExp(
      `^Louise Gestionnaire Val-des-Essais;${city.manager.userCode};Val-des-Essais;Gestionnaire local des droits d'accès;"Désignation par la demande d'accès no \\d+, approuvée par Simon Ouellet \\(MAMH\\) le 2026-11-22, sans date de fin";2026-11-22;$`,
    ),
  );
  assert.ok(
    lines.includes(
      `Claire Consultante;${consultant.userCode};Génie Essai inc.;Mandataire – Rédaction;"Firme Génie Essai inc., point de service Bureau de Lévis, associé par Alain Gérant → Mandataire – Rédaction accordé par Louise Gestionnaire Val-des-Essais le 2026-11-22 jusqu'au 2027-03-01";2026-11-22;2027-03-01`,
    ),
    lines.join("\n"),
  );
  const trickyLine = lines.find((line) => line.includes(tricky.userCode)) ?? "";
  assert.ok(
    trickyLine.startsWith(`"'=HYPERLINK(""x"") Piège; ""guillemets""";${tricky.userCode};`),
    trickyLine,
  );
  // Each data line has as many cells as the header, once quoted cells are read as such.
  for (const line of lines.slice(1, -1)) assert.equal(cellsOf(line).length, 7, line);

  // A deputy sees the same; staff with a right does not.
  const deputyCsv = await (await as(city.deputy)).get(`${urls.whoHasAccess(service, city.org.id)}.csv`);
  assert.equal(deputyCsv.statusCode, 200);
  assert.equal(deputyCsv.body, csv.body);
});

/** Splits one CSV line on « ; » outside quotes. */
function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ";") {
      cells.push(current);
      current = "";
    } else current += c;
  }
  cells.push(current);
  return cells;
}

test("a right past its last day leaves the registry, « Qui a accès » and the holder's space, then ends by itself with an email", async () => {
  const manager = await as(city.manager);
  const grantee = await t.factories.user(city.org, { firstName: "Éphémère", lastName: "Expirée" });
  assert.equal(
    (await register(manager, service, city.org.id, grantee.userCode, "requester.read", "2026-11-23"))
      .statusCode,
    303,
  );
  const holder = await as(grantee);
  assert.match(
    text(await holder.get(urls.space(service))),
    /Val-des-Essais\s: Requérant – Consultation \(fin\s: 23 novembre 2026\)/,
  );
  const start = t.clock();
  t.clock.set("2026-11-24T15:00:00Z");
  try {
    // Two days later: the sessions have ended, so both sign in again.
    const managerLater = await as(city.manager);
    assert.doesNotMatch(
      text(await managerLater.get(urls.registry(service, city.org.id))),
      /Éphémère Expirée/,
    );
    assert.doesNotMatch(
      text(await managerLater.get(urls.whoHasAccess(service, city.org.id))),
      /Éphémère Expirée/,
    );
    const holderLater = await as(grantee);
    assert.match(
      text(await holderLater.get(urls.space(service))),
      /Vous ne détenez aucun rôle ni droit d'accès/,
    );
    // Until the hourly jobs end it, the row still holds the registry's one current right for that person.
    const base = urls.registry(service, city.org.id);
    assert.equal(
      (await managerLater.get(`${base}/inscription?utilisateur=${grantee.userCode}`)).statusCode,
      409,
    );
    await runJobs(t.app);
    const [ended] = await t.database.db
      .selectFrom("access_grant")
      .selectAll()
      .where("user_id", "=", grantee.id)
      .execute();
    assert.equal(ended?.end_reason, "expired");
    assert.equal((await mailsTo(t, grantee)).at(-1)?.subject, "Guichet — fin d'un droit d'accès (D34-PIQM)");
    // Ended by itself, the right can be given again.
    const again = await register(managerLater, service, city.org.id, grantee.userCode, "requester.read");
    assert.equal(again.statusCode, 303);
  } finally {
    t.clock.set(start);
  }
});
