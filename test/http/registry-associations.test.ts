// The agent manager's pages over HTTP: associating the firm's staff (user code, the person shown, « OK »,
// « Confirmer »), the refusals with their French messages, agent rights granted by two clients, and the dissociation
// cascade as the pages show it — every client's right gone at once, each client's managers mailed — plus the
// ministry's « Retirer » on a deputy in the managers' search.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Agent, type Response, textOf } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import type { MadeOrganization, MadeUser } from "../support/factories.js";
import {
  associateThroughPages,
  giveRole,
  locationOf,
  mailsTo,
  offeredRights,
  procurationFor,
  type RegistryService,
  register,
  registryState,
  serviceByCode,
  servicePointOf,
  urls,
} from "../support/registry-pages.js";

let t: TestApp;
let service: RegistryService;
let admin: MadeUser;
let firm: MadeOrganization;
let quebecPoint: number;
let otherPoint: number;
let agentManager: MadeUser;
let otherPointManager: MadeUser;
let consultants: MadeUser[];
let otherFirmStaff: MadeUser;
type Client = { org: MadeOrganization; manager: MadeUser; deputy: MadeUser; staff: MadeUser };
let clients: Client[];

async function client(name: string): Promise<Client> {
  const org = await t.factories.organization("municipality", name);
  const rse = await t.factories.user(org, { servicesOfficer: true, lastName: `RSE ${name}` });
  const manager = await t.factories.user(org, { firstName: "Gérard", lastName: `Gestionnaire ${name}` });
  const deputy = await t.factories.user(org, { firstName: "Diane", lastName: `Adjointe ${name}` });
  const staff = await t.factories.user(org, { firstName: "Sam", lastName: `Employé ${name}` });
  await procurationFor(t, org, [manager, deputy], rse, { ministryId: service.ministry_id });
  await giveRole(t, { role: "local_manager", org, user: manager, service, by: null, approvedBy: admin });
  await giveRole(t, { role: "deputy", org, user: deputy, service, by: manager });
  return { org, manager, deputy, staff };
}

before(async () => {
  t = await startTestApp();
  service = await serviceByCode(t, "D34-PIQM");
  const ministry = await t.factories.organization("ministry");
  admin = await t.factories.user(ministry, {
    serviceAdminUnit: "DGI",
    firstName: "Simon",
    lastName: "Ouellet",
  });
  firm = await t.factories.organization("firm", "Fleurant Essai inc.");
  quebecPoint = await servicePointOf(t, firm, "Bureau de Québec");
  otherPoint = await servicePointOf(t, firm, "Bureau de Trois-Rivières");
  const rse = await t.factories.user(firm, { servicesOfficer: true, lastName: "RSE Fleurant" });
  agentManager = await t.factories.user(firm, { firstName: "Alexandre", lastName: "Roy" });
  otherPointManager = await t.factories.user(firm, { firstName: "Maude", lastName: "Trifluvienne" });
  consultants = [
    await t.factories.user(firm, { firstName: "Amélie", lastName: "Côté" }),
    await t.factories.user(firm, { firstName: "Maxime", lastName: "Dubé" }),
  ];
  await procurationFor(t, firm, [agentManager, otherPointManager, ...consultants], rse, {
    ministryId: service.ministry_id,
  });
  await giveRole(t, {
    role: "agent_manager",
    org: firm,
    user: agentManager,
    service,
    by: null,
    servicePointId: quebecPoint,
    approvedBy: admin,
  });
  await giveRole(t, {
    role: "agent_manager",
    org: firm,
    user: otherPointManager,
    service,
    by: null,
    servicePointId: otherPoint,
    approvedBy: admin,
  });
  const otherFirm = await t.factories.organization("firm", "Autre Firme inc.");
  otherFirmStaff = await t.factories.user(otherFirm, { firstName: "Olga", lastName: "Autrefirme" });
  clients = [await client("Saint-Essai"), await client("Lac-Témoin")];
});
after(() => t.close());

function text(response: Response): string {
  return textOf(response.body);
}

async function as(user: MadeUser): Promise<Agent> {
  return t.signIn(user.userCode);
}

function first<T>(items: readonly T[]): T {
  const [item] = items;
  assert.ok(item !== undefined);
  return item;
}

test("the agent manager associates a consultant: user code, the person shown, « OK », « Confirmer »; the list shows them", async () => {
  const am = await as(agentManager);
  const url = urls.association(service, quebecPoint);
  const empty = await am.get(url);
  assert.equal(empty.statusCode, 200);
  assert.match(
    text(empty),
    /Association des mandataires Fleurant Essai inc\., point de service Bureau de Québec — D34-PIQM/,
  );
  assert.match(text(empty), /Personne n'est associé à ce service pour ce point de service\./);

  const amélie = first(consultants);
  const found = await am.get(`${url}/nouvelle?utilisateur=${amélie.userCode}`);
  assert.match(
    text(found),
    /Personne trouvée Nom Amélie Côté \(\w+\) Organisation Fleurant Essai inc\. Association au service Non associée/,
  );
  assert.match(text(found), /Associer Amélie Côté au service pour le point de service Bureau de Québec \?/);
  const done = await associateThroughPages(am, service, quebecPoint, amélie.userCode);
  assert.equal(done.statusCode, 303);
  assert.equal(locationOf(done), url);
  const list = await am.follow(done);
  assert.match(text(list), /Amélie Côté est maintenant associé au service\./);
  assert.match(
    text(list),
    new RegExp(`Amélie Côté ${amélie.userCode} Alexandre Roy 22 novembre 2026 Dissocier`),
  );
  const association = await t.database.db
    .selectFrom("service_association")
    .selectAll()
    .where("user_id", "=", amélie.id)
    .executeTakeFirstOrThrow();
  assert.equal(association.service_point_id, quebecPoint);
  assert.equal(association.associated_by, agentManager.id);
});

test("associating: an unknown code, someone of another firm or of a municipality, someone already associated get their French message and nothing is written", async () => {
  const am = await as(agentManager);
  const url = urls.association(service, quebecPoint);
  const before = await registryState(t);
  const cases: [string, number, RegExp][] = [
    ["", 400, /Entrez le code d'utilisateur de la personne\./],
    // Someone of another firm or of a municipality is not found, as an unknown code is not: existence never leaks.
    ["QQQ0000", 400, /Aucun membre de votre organisation ne porte ce code\./],
    [otherFirmStaff.userCode, 400, /Aucun membre de votre organisation ne porte ce code\./],
    [first(clients).staff.userCode, 400, /Aucun membre de votre organisation ne porte ce code\./],
    [first(consultants).userCode, 409, /Cette personne est déjà associée à ce service\./],
  ];
  for (const [code, status, message] of cases) {
    for (const step of ["nouvelle", "confirmation"]) {
      const page = await am.get(`${url}/${step}?utilisateur=${code}`);
      assert.equal(page.statusCode, status, `${step} ${code}`);
      assert.match(text(page), /Le formulaire contient des erreurs/);
      assert.match(text(page), message, `${step} ${code}`);
      assert.doesNotMatch(page.body, />Confirmer</);
      assert.doesNotMatch(page.body, />OK</);
    }
    const posted = await am.post(url, { utilisateur: code });
    assert.equal(posted.statusCode, status, `post ${code}`);
    assert.match(text(posted), message);
  }
  assert.deepEqual(await registryState(t), before);
});

test("only the agent manager of that service point opens its page: another point's manager, a consultant, a client's manager are refused and audited", async () => {
  const url = urls.association(service, quebecPoint);
  const before = await registryState(t);
  const refusals: [MadeUser, string][] = [
    [otherPointManager, "not_agent_manager"],
    [first(consultants), "not_agent_manager"],
    [first(clients).manager, "other_organization"],
  ];
  for (const [user, reason] of refusals) {
    const agent = await as(user);
    const page = await agent.get(url);
    assert.equal(page.statusCode, 403);
    assert.match(text(page), /Vous n'avez pas accès à cette ressource\./);
    const posted = await agent.post(url, { utilisateur: consultants[1]?.userCode ?? "" });
    assert.equal(posted.statusCode, 403, reason);
  }
  const now = await registryState(t);
  assert.deepEqual({ ...now, audit: now.audit.slice(0, before.audit.length) }, before);
  const audit = now.audit.slice(before.audit.length).filter((row) => row.outcome === "denied");
  assert.deepEqual(
    audit.map((row) => [row.action, row.reason, row.target_id]),
    refusals.flatMap(([, reason]) => [
      ["association.view", reason, `${firm.id}/${service.id}/${quebecPoint}`],
      ["association.add", reason, `${firm.id}/${service.id}/${quebecPoint}`],
    ]),
  );
  assert.equal((await (await as(agentManager)).get(urls.association(service, 999_999))).statusCode, 404);
});

test("clients grant agent rights only to associated consultants; the registry shows the firm and the service point", async () => {
  const [saint, lac] = clients;
  assert.ok(saint && lac);
  const amélie = first(consultants);
  const maxime = consultants[1] as MadeUser;
  const manager = await as(saint.manager);
  const base = urls.registry(service, saint.org.id);
  const found = await manager.get(`${base}/inscription?utilisateur=${amélie.userCode}`);
  assert.match(
    text(found),
    /Association au service Associée par le gestionnaire de mandataires du point de service Bureau de Québec/,
  );
  assert.deepEqual(offeredRights(found), ["agent.write", "agent.read"]);
  // Until associated, a firm's consultant is out of the client's reach, as a code nobody has.
  const notYet = await manager.get(`${base}/inscription?utilisateur=${maxime.userCode}`);
  assert.equal(notYet.statusCode, 400);
  assert.match(
    text(notYet),
    /Aucun membre de votre organisation ni aucun mandataire associé à ce service ne porte ce code\./,
  );
  assert.doesNotMatch(text(notYet), /Personne trouvée/);

  assert.equal(
    (await register(manager, service, saint.org.id, amélie.userCode, "agent.write", "2027-03-01")).statusCode,
    303,
  );
  const lacDeputy = await as(lac.deputy);
  assert.equal(
    (await register(lacDeputy, service, lac.org.id, amélie.userCode, "agent.read")).statusCode,
    303,
  );
  const registry = await manager.get(base);
  assert.match(
    text(registry),
    /Amélie Côté \(\w+\) Mandataire – Rédaction Fleurant Essai inc\., point de service Bureau de Québec Gérard Gestionnaire Saint-Essai 22 novembre 2026 1 mars 2027/,
  );
  const space = await (await as(amélie)).get(urls.space(service));
  assert.match(text(space), /Organisations pour lesquelles vous agissez/);
  assert.match(text(space), /Lac-Témoin\s: Mandataire – Consultation \(fin\s: aucune date de fin\)/);
  assert.match(text(space), /Saint-Essai\s: Mandataire – Rédaction \(fin\s: 1 mars 2027\)/);
  assert.doesNotMatch(text(space), /Utilitaires/);
});

test("dissociating asks for confirmation naming what ends, then ends every client's agent right at once, mails each client's managers, and the pages show it", async () => {
  const [saint, lac] = clients;
  assert.ok(saint && lac);
  const amélie = first(consultants);
  const am = await as(agentManager);
  const url = urls.association(service, quebecPoint);
  const association = await t.database.db
    .selectFrom("service_association")
    .select("id")
    .where("user_id", "=", amélie.id)
    .where("ended_at", "is", null)
    .executeTakeFirstOrThrow();

  const before = await registryState(t);
  const confirm = await am.get(`${url}/${association.id}/dissocier`);
  assert.equal(confirm.statusCode, 200);
  const seen = text(confirm);
  assert.match(seen, /Dissocier Amélie Côté/);
  assert.match(
    seen,
    /La dissociation met fin à l'instant, pour tous les clients, aux droits de mandataire et aux mandats de Amélie Côté dans le service D34-PIQM\./,
  );
  assert.match(
    seen,
    /Droits qui prendront fin Lac-Témoin\s: Mandataire – Consultation Saint-Essai\s: Mandataire – Rédaction/,
  );
  assert.deepEqual(await registryState(t), before, "the confirmation step writes nothing");

  const done = await am.post(`${url}/${association.id}/dissocier`, {});
  assert.equal(done.statusCode, 303);
  const list = await am.follow(done);
  assert.match(text(list), /Amélie Côté a été dissocié du service ; ses droits de mandataire ont pris fin\./);
  assert.doesNotMatch(text(list), new RegExp(`Amélie Côté ${amélie.userCode}`));

  const grants = await t.database.db
    .selectFrom("access_grant")
    .selectAll()
    .where("user_id", "=", amélie.id)
    .execute();
  assert.equal(grants.length, 2);
  for (const grant of grants) {
    assert.equal(grant.end_reason, "dissociated");
    assert.ok(grant.ended_at);
    assert.equal(grant.ended_at.getTime(), t.clock().getTime(), "every right ends at the same instant");
  }
  for (const client of [saint, lac]) {
    const manager = await as(client.manager);
    assert.doesNotMatch(text(await manager.get(urls.registry(service, client.org.id))), /Amélie Côté/);
    assert.doesNotMatch(text(await manager.get(urls.whoHasAccess(service, client.org.id))), /Amélie Côté/);
    for (const person of [client.manager, client.deputy]) {
      const mail = (await mailsTo(t, person)).at(-1);
      assert.equal(mail?.subject, "Guichet — fin des droits d'un mandataire (D34-PIQM)");
      assert.match(
        mail?.text_body ?? "",
        new RegExp(
          `dissocié Amélie Côté \\(${amélie.userCode}\\) du service en ligne D34-PIQM[\\s\\S]*registre de ${client.org.name} a pris fin`,
        ),
      );
    }
  }
  const endings = (await mailsTo(t, amélie)).filter(
    (m) => m.subject === "Guichet — fin d'un droit d'accès (D34-PIQM)",
  );
  assert.equal(endings.length, 2);

  const consultant = await as(amélie);
  assert.match(
    text(await consultant.get(urls.space(service))),
    /Vous ne détenez aucun rôle ni droit d'accès dans ce service\./,
  );
  assert.doesNotMatch(text(await consultant.get("/")), /D34-PIQM/);

  // The client can no longer give them an agent right; a second dissociation changes nothing.
  const manager = await as(saint.manager);
  const again = await manager.get(
    `${urls.registry(service, saint.org.id)}/inscription?utilisateur=${amélie.userCode}`,
  );
  assert.equal(again.statusCode, 400);
  assert.match(
    text(again),
    /Aucun membre de votre organisation ni aucun mandataire associé à ce service ne porte ce code\./,
  );
  const unchanged = await registryState(t);
  const secondLook = await am.get(`${url}/${association.id}/dissocier`);
  assert.equal(secondLook.statusCode, 303);
  assert.match(
    text(await am.follow(secondLook)),
    /Cette personne n'est plus associée à ce service\. Rien n'a été modifié\./,
  );
  const secondPost = await am.post(`${url}/${association.id}/dissocier`, {});
  assert.equal(secondPost.statusCode, 409);
  assert.match(text(secondPost), /Cette personne n'est plus associée à ce service\. Rien n'a été modifié\./);
  assert.deepEqual(await registryState(t), unchanged);
  // Another point's association is not found through this page.
  const theirs = await associateThroughPages(
    await as(otherPointManager),
    service,
    otherPoint,
    (consultants[1] as MadeUser).userCode,
  );
  assert.equal(theirs.statusCode, 303);
  const other = await t.database.db
    .selectFrom("service_association")
    .select("id")
    .where("service_point_id", "=", otherPoint)
    .executeTakeFirstOrThrow();
  assert.equal((await am.get(`${url}/${other.id}/dissocier`)).statusCode, 404);
});

test("the ministry's administrator removes a deputy from the managers' search with « Retirer »; the deputy is mailed", async () => {
  const saint = first(clients);
  const agent = await as(admin);
  const query = new URLSearchParams({ organisationId: String(saint.org.id), service: String(service.id) });
  const search = await agent.get(`/ministere/gestionnaires?${query.toString()}`);
  assert.equal(search.statusCode, 200);
  const role = await t.database.db
    .selectFrom("service_role")
    .select("id")
    .where("user_id", "=", saint.deputy.id)
    .where("role", "=", "deputy")
    .where("ended_at", "is", null)
    .executeTakeFirstOrThrow();
  assert.match(search.body, new RegExp(`action="/ministere/gestionnaires/adjoints/${role.id}/retrait"`));
  assert.match(text(search), /Retirer\s: Diane Adjointe Saint-Essai/);

  const fields = { organisationId: String(saint.org.id), service: String(service.id) };
  const removed = await agent.post(`/ministere/gestionnaires/adjoints/${role.id}/retrait`, fields);
  assert.equal(removed.statusCode, 303);
  const after = await agent.follow(removed);
  assert.match(
    text(after),
    /Diane Adjointe Saint-Essai n'est plus gestionnaire local adjoint ; un courriel l'en informe\./,
  );
  assert.match(text(after), /Aucun adjoint n'est en fonction\./);
  const ended = await t.database.db
    .selectFrom("service_role")
    .selectAll()
    .where("id", "=", role.id)
    .executeTakeFirstOrThrow();
  assert.equal(ended.ended_by, admin.id);
  assert.equal(ended.end_reason, "removed");
  assert.equal(
    (await mailsTo(t, saint.deputy)).at(-1)?.subject,
    "Guichet — fin de votre fonction de gestionnaire local adjoint (D34-PIQM)",
  );
  const audit = await t.database.db
    .selectFrom("audit_event")
    .selectAll()
    .where("action", "=", "serviceRole.removeDeputy")
    .where("target_id", "=", String(role.id))
    .executeTakeFirstOrThrow();
  assert.deepEqual(audit.details, { serviceId: service.id, userId: saint.deputy.id, by: "ministry" });

  const twice = await agent.post(`/ministere/gestionnaires/adjoints/${role.id}/retrait`, fields);
  assert.equal(twice.statusCode, 409);
  assert.match(text(twice), /Cette personne n'est plus gestionnaire local adjoint\. Rien n'a été modifié\./);
  // A client's own manager cannot use the ministry's route.
  const manager = await as(saint.manager);
  await manager.get(urls.space(service));
  const refused = await manager.post(`/ministere/gestionnaires/adjoints/${role.id}/retrait`, fields);
  assert.equal(refused.statusCode, 403);
});
