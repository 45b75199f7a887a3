// The demo data: the whole catalogue of the seeds, real geoCodes, and accounts that can sign in.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { generate } from "otplib";
import { textOf } from "../../../test/support/agent.js";
import { startTestApp, type TestApp } from "../../../test/support/app.js";
import { openFileStore } from "../../storage/index.js";
import { montrealDay } from "../../util/days.js";
import { countAttachments, findApplicationByNumber, findForm } from "../applications/applications.queries.js";
import { transmissionErrors } from "../applications/applications.service.js";
import { checkDefinition } from "../applications/form-definition.js";
import { clientMetadataFor, clientSecretMatches } from "../external-services/client-metadata.js";
import { DEMO_APPLICATIONS, DEMO_EXTERNAL_SERVICE, DEMO_PASSWORD, DEMO_TOTP_SECRET } from "./demo.data.js";
import { type DemoAccount, formatDemoAccounts, seedDemo } from "./demo.seed.js";

let t: TestApp;
let accounts: DemoAccount[];

before(async () => {
  t = await startTestApp();
  accounts = await seedDemo(
    t.database.db,
    t.app.guichet.services.hasher,
    t.clock(),
    openFileStore(t.config),
    t.config.mfaEncryptionKey,
  );
});
after(() => t.close());

test("the catalogue holds the MAMH's 16 Infrastructures services, Gestion des mandats, Transfert de fichiers and the 15 recipients", async () => {
  const services = await t.database.db
    .selectFrom("online_service")
    .innerJoin("organization", "organization.id", "online_service.ministry_id")
    .select(["online_service.code", "online_service.category"])
    .where("organization.acronym", "=", "MAMH")
    .orderBy("online_service.sort_order")
    .execute();
  const infrastructures = services.filter((s) => s.category === "infrastructures").map((s) => s.code);
  assert.equal(infrastructures.length, 16);
  assert.ok(infrastructures.includes("D34-PIQM") && infrastructures.includes("D51-PRIMEAU 2.0"));
  const others = services.filter((s) => s.category === "other").map((s) => s.code);
  assert.deepEqual(others.sort(), ["GESTION-MANDATS", "TRANSFERT-FICHIERS"]);
  const recipients = await t.database.db
    .selectFrom("transfer_recipient")
    .selectAll()
    .orderBy("sort_order")
    .execute();
  assert.equal(recipients.length, 15);
  const pgaEau = recipients.find((r) => r.name === "Plan de gestion des actifs en eau (PGA-Eau)");
  assert.ok(pgaEau);
  assert.deepEqual(pgaEau.allowed_extensions, ["pdf", "xlsx"]);
  assert.equal(pgaEau.max_file_bytes, 104_857_600);
  assert.equal(pgaEau.name_rule, "geo_code_prefix");
});

test("the ministry MAMH has the units DGI and DGSE, the MTMD the unit DAVL, each with a service administrator of its own ministry", async () => {
  const admins = await t.database.db
    .selectFrom("app_user")
    .innerJoin("ministry_unit", "ministry_unit.id", "app_user.ministry_unit_id")
    .innerJoin("organization", "organization.id", "app_user.organization_id")
    .select([
      "ministry_unit.code",
      "ministry_unit.organization_id as unit_ministry_id",
      "app_user.organization_id",
      "organization.name",
      "organization.acronym",
    ])
    .where("app_user.is_service_admin", "=", true)
    .execute();
  const unitsOf = (acronym: string) =>
    new Set(admins.filter((a) => a.acronym === acronym).map((a) => a.code));
  assert.ok(unitsOf("MAMH").has("DGI") && unitsOf("MAMH").has("DGSE"));
  assert.deepEqual([...unitsOf("MTMD")], ["DAVL"]);
  assert.deepEqual(new Set(admins.map((a) => a.acronym)), new Set(["MAMH", "MTMD"]));
  assert.ok(admins.every((a) => a.unit_ministry_id === a.organization_id));
  const mtmd = admins.find((a) => a.acronym === "MTMD");
  assert.equal(mtmd?.name, "Ministère des Transports et de la Mobilité durable");
});

test("the MTMD's external service PAVL is registered as an OpenID client: its fixed demo secret stored hashed, printed with the accounts, served to the provider", async () => {
  const db = t.database.db;
  const demo = DEMO_EXTERNAL_SERVICE;
  const row = await db
    .selectFrom("oidc_client")
    .innerJoin("online_service", "online_service.id", "oidc_client.online_service_id")
    .innerJoin("organization", "organization.id", "oidc_client.ministry_id")
    .select([
      "oidc_client.client_id",
      "oidc_client.secret_hash",
      "oidc_client.min_assurance",
      "online_service.code",
      "online_service.external_url",
      "organization.acronym",
    ])
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    { ...row, secret_hash: row.secret_hash?.toString("hex") },
    {
      client_id: demo.clientId,
      secret_hash: createHash("sha256").update(demo.clientSecret).digest("hex"),
      min_assurance: "mfa",
      code: "PAVL",
      external_url: "http://localhost:3001",
      acronym: "MTMD",
    },
  );
  const metadata = await clientMetadataFor(db, demo.clientId);
  assert.ok(metadata);
  assert.deepEqual(metadata.redirect_uris, ["http://localhost:3001/auth/callback"]);
  assert.deepEqual(metadata.post_logout_redirect_uris, ["http://localhost:3001/"]);
  assert.equal(metadata.backchannel_logout_uri, "http://localhost:3001/auth/backchannel-logout");
  assert.equal(metadata.token_endpoint_auth_method, "client_secret_basic");
  assert.equal(clientSecretMatches(metadata.client_secret, demo.clientSecret), true);
  assert.notEqual(metadata.client_secret, demo.clientSecret);
  const printed = formatDemoAccounts(accounts);
  for (const text of [demo.clientId, demo.clientSecret, demo.redirectUris[0], "MTMDADM", "MTMDRSE"])
    assert.ok(printed.includes(text), text);
  assert.match(printed, /\* MTMDADM /);
  const registered = await db
    .selectFrom("audit_event")
    .select(["actor_code", "target_type"])
    .where("action", "=", "externalService.register")
    .execute();
  assert.deepEqual(registered, [{ actor_code: "MTMDADM", target_type: "oidc_client" }]);

  const admin = await t.signIn("MTMDADM", DEMO_PASSWORD);
  assert.match(
    textOf((await admin.get("/ministere/services-externes")).body),
    /PAVL — Programme d'aide à la voirie locale http:\/\/localhost:3001 guichet-demo-pavl/,
  );
  const dgi = await t.signIn("DGIADM1", DEMO_PASSWORD);
  assert.match(
    textOf((await dgi.get("/ministere/services-externes")).body),
    /Aucun service en ligne externe/,
  );
});

test("QCUSR01 holds a procuration covering the MTMD and finds PAVL in « Mes services en ligne » as a link out; QCUSR02 holds none for the MTMD", async () => {
  const db = t.database.db;
  const ministriesOf = async (code: string) =>
    (
      await db
        .selectFrom("procuration_holder")
        .innerJoin("app_user", "app_user.id", "procuration_holder.user_id")
        .innerJoin("procuration", "procuration.id", "procuration_holder.procuration_id")
        .innerJoin("procuration_ministry", "procuration_ministry.procuration_id", "procuration.id")
        .innerJoin("organization", "organization.id", "procuration_ministry.ministry_id")
        .select(["organization.acronym", "procuration_ministry.restricted"])
        .where("app_user.user_code", "=", code)
        .where("procuration_holder.ended_at", "is", null)
        .where("procuration.end_date", ">", montrealDay(t.clock()))
        .orderBy("organization.acronym")
        .execute()
    ).map((r) => `${r.acronym}${r.restricted ? " (restreinte)" : ""}`);
  assert.deepEqual(await ministriesOf("QCUSR01"), ["MAMH", "MTMD"]);
  assert.deepEqual(await ministriesOf("QCUSR02"), ["MAMH"]);
  assert.deepEqual(await ministriesOf("QCUSR03"), []);

  const manager = await t.signIn("QCUSR01", DEMO_PASSWORD);
  // The other tests sign QCUSR01 in too, and a demo code works once: theirs come from later steps.
  t.clock.advance(60_000);
  const home = await manager.get("/");
  assert.match(home.body, /<a href="http:\/\/localhost:3001" rel="external">/);
  assert.match(textOf(home.body), /PAVL — Programme d'aide à la voirie locale ↗ \(site externe\)/);
  assert.match(home.body, /href="\/services\/PAVL">Gestion des accès/);
  assert.match(
    formatDemoAccounts(accounts),
    /QCUSR01 .* procuration sans restriction pour le MAMH et le MTMD .* gestionnaire local des droits d'accès \(PAVL, site externe\)/,
  );
});

test("organizations: three municipalities with their real geoCodes, a body with a NEQ, two firms with two service points each, an RSE in each", async () => {
  const db = t.database.db;
  const municipalities = await db
    .selectFrom("organization")
    .select(["geo_code"])
    .where("kind", "=", "municipality")
    .execute();
  const geoCodes = municipalities.map((m) => m.geo_code);
  for (const code of ["23027", "66023", "37067"]) assert.ok(geoCodes.includes(code), code);
  const bodies = await db.selectFrom("organization").select("neq").where("kind", "=", "body").execute();
  assert.ok(bodies.length >= 1 && bodies.every((b) => /^\d{10}$/.test(b.neq ?? "")));
  const firms = await db
    .selectFrom("organization")
    .select(["id", "neq"])
    .where("kind", "=", "firm")
    .execute();
  assert.equal(firms.length, 2);
  for (const firm of firms) {
    const points = await db
      .selectFrom("service_point")
      .select("id")
      .where("organization_id", "=", firm.id)
      .execute();
    assert.equal(points.length, 2);
  }
  const withoutOfficer = await db
    .selectFrom("organization")
    .select("name")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("app_user")
            .select("app_user.id")
            .whereRef("app_user.organization_id", "=", "organization.id")
            .where("app_user.is_services_officer", "=", true),
        ),
      ),
    )
    .execute();
  assert.deepEqual(withoutOfficer, []);
});

test("every demo account can sign in with the demo password, and the list printed at start names them all", async () => {
  assert.ok(accounts.length >= 20);
  const printed = formatDemoAccounts(accounts);
  assert.match(printed, new RegExp(DEMO_PASSWORD.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")));
  for (const account of accounts) assert.ok(printed.includes(account.code), account.code);
  const rse = accounts.find((a) => a.code === "QCRSE01");
  assert.ok(rse);
  const agent = await t.signIn("QCRSE01", DEMO_PASSWORD);
  const home = await agent.get("/");
  assert.match(textOf(home.body), /Bonjour .+ \(QCRSE01\)/);
});

test("demo accounts whose role needs a second factor have the demo authenticator app, printed with how to get a code; the others have none", async () => {
  const withApp = accounts.filter((a) => a.secondFactor).map((a) => a.code);
  for (const code of [
    "MAMHRSE",
    "DGIADM1",
    "DGSEAD1",
    "MTMDRSE",
    "MTMDADM",
    "QCRSE01",
    "QCUSR01",
    "FGCRSE1",
    "FGCUSR1",
  ])
    assert.ok(withApp.includes(code), code);
  for (const code of ["QCUSR02", "FGCUSR2", "FGCUSR3", "MTLUSR1"]) assert.ok(!withApp.includes(code), code);
  const printed = formatDemoAccounts(accounts);
  assert.match(printed, new RegExp(`oathtool --totp -b ${DEMO_TOTP_SECRET}`));
  assert.match(printed, /\* QCUSR01 /);
  assert.match(printed, / {2}QCUSR02 /);

  // The password alone leads QCUSR01 to the second step; the demo app's code opens the session.
  const agent = t.agent();
  await agent.get("/connexion");
  const first = await agent.post("/connexion", { userCode: "QCUSR01", password: DEMO_PASSWORD });
  assert.equal(first.headers.location, "/connexion/verification");
  await agent.get("/connexion/verification");
  const code = await generate({
    secret: DEMO_TOTP_SECRET,
    epoch: Math.floor(t.clock().getTime() / 1000) + 60,
  });
  const second = await agent.post("/connexion/verification", { code });
  assert.equal(second.statusCode, 400, "a code two steps ahead is no drift");
  const plain = t.agent();
  await plain.get("/connexion");
  const signedIn = await plain.post("/connexion", { userCode: "QCUSR02", password: DEMO_PASSWORD });
  assert.equal(signedIn.headers.location, "/");
});

test("loading the demo a second time adds nothing", async () => {
  const before = await t.database.db.selectFrom("app_user").select("id").execute();
  assert.deepEqual(
    await seedDemo(
      t.database.db,
      t.app.guichet.services.hasher,
      t.clock(),
      openFileStore(t.config),
      t.config.mfaEncryptionKey,
    ),
    [],
  );
  const afterwards = await t.database.db.selectFrom("app_user").select("id").execute();
  assert.equal(afterwards.length, before.length);
});

test("the registry demo: QCUSR01 manages Québec's registry in D32-PRIMEAU, FGCUSR1 associates Fleurant's Québec office staff", async () => {
  const manager = await t.signIn("QCUSR01", DEMO_PASSWORD);
  const home = await manager.get("/");
  assert.match(home.body, /href="\/services\/D32-PRIMEAU"/);
  const space = await manager.get("/services/D32-PRIMEAU");
  const registryLink = /href="(\/services\/D32-PRIMEAU\/organisations\/\d+\/registre)"/.exec(space.body)?.[1];
  assert.ok(registryLink, textOf(space.body));
  const registry = textOf((await manager.get(registryLink)).body);
  assert.match(registry, /Catherine Lévesque \(QCUSR02\) Requérant – Rédaction/);
  assert.match(
    registry,
    /Amélie Côté \(FGCUSR2\) Mandataire – Rédaction Fleurant Génie-Conseil inc\., point de service Bureau de Québec Mathieu Bouchard/,
  );
  const who = textOf((await manager.get(registryLink.replace(/registre$/, "qui-a-acces"))).body);
  assert.match(
    who,
    /Mathieu Bouchard \(QCUSR01\) .* Désignation par Simon Ouellet \(MAMH\) le \d{4}-\d{2}-\d{2}, sans date de fin/,
  );
  assert.match(
    who,
    /Firme Fleurant Génie-Conseil inc\., point de service Bureau de Québec, associé par Alexandre Roy → Mandataire – Rédaction accordé par Mathieu Bouchard/,
  );

  const agentManager = await t.signIn("FGCUSR1", DEMO_PASSWORD);
  const firmSpace = await agentManager.get("/services/D32-PRIMEAU");
  const associationLink = /href="(\/services\/D32-PRIMEAU\/points\/\d+\/association)"/.exec(
    firmSpace.body,
  )?.[1];
  assert.ok(associationLink, textOf(firmSpace.body));
  const associations = textOf((await agentManager.get(associationLink)).body);
  assert.match(associations, /Amélie Côté FGCUSR2 Alexandre Roy/);
  const lookup = await agentManager.get(`${associationLink}/nouvelle?utilisateur=FGCUSR3`);
  assert.equal(lookup.statusCode, 200, textOf(lookup.body));
  assert.match(
    formatDemoAccounts(accounts),
    /FGCUSR1 .* gestionnaire de mandataires, Bureau de Québec \(D32-PRIMEAU\)/,
  );
});

test("Québec's demo applications in D32-PRIMEAU: QCUSR02 lists a draft and a transmitted one; DGIADM1 reads only the transmitted one", async () => {
  const quebec = await t.signIn("QCUSR02", DEMO_PASSWORD);
  const home = textOf((await quebec.get("/")).body);
  assert.match(home, /Demandes d'aide financière D32-PRIMEAU — demandes de Ville de Québec/);
  const href = /href="(\/services\/D32-PRIMEAU\/organisations\/\d+\/demandes)"/.exec(
    (await quebec.get("/")).body,
  )?.[1];
  assert.ok(href);
  const list = textOf((await quebec.get(href)).body);
  assert.match(list, /Réfection de la rue Saint-Jean Brouillon/);
  assert.match(list, /Remplacement des conduites de la rue Cartier Transmise/);
  const manager = textOf((await (await t.signIn("QCUSR01", DEMO_PASSWORD)).get("/")).body);
  assert.match(manager, /Gestion des mandats/);

  const dgi = await t.signIn("DGIADM1", DEMO_PASSWORD);
  const transmitted = textOf((await dgi.get("/ministere/demandes-transmises")).body);
  assert.match(
    transmitted,
    /\d{10} D32-PRIMEAU Ville de Québec \d+ — Remplacement des conduites de la rue Cartier/,
  );
  assert.doesNotMatch(transmitted, /Saint-Jean/);
});

test("the demo's transmitted application is complete for its form: the council resolution is a stored PDF, read back intact", async () => {
  const db = t.database.db;
  const row = await db
    .selectFrom("application")
    .select(["number", "form_id"])
    .where("title", "=", DEMO_APPLICATIONS.transmitted.title)
    .executeTakeFirstOrThrow();
  const application = await findApplicationByNumber(db, row.number);
  assert.ok(application);
  assert.equal(application.status, "transmitted");
  const form = checkDefinition((await findForm(db, row.form_id)).definition);
  assert.deepEqual(
    transmissionErrors(form, application, await countAttachments(db, application.id), "fr"),
    {},
  );

  const [attachment] = await db
    .selectFrom("application_attachment")
    .select(["id", "name", "size_bytes", "sha256"])
    .where("application_id", "=", application.id)
    .execute();
  assert.ok(attachment);
  assert.equal(attachment.name, "Résolution CV-2026-0412.pdf");
  const quebec = await t.signIn("QCUSR02", DEMO_PASSWORD);
  const download = await quebec.get(
    `/services/D32-PRIMEAU/demandes/${application.number}/pieces-jointes/${attachment.id}`,
  );
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers["content-type"], "application/pdf");
  const bytes = download.rawPayload;
  assert.equal(bytes.length, Number(attachment.size_bytes));
  assert.equal(createHash("sha256").update(bytes).digest("hex"), attachment.sha256.toString("hex"));
  const pdf = bytes.toString("latin1");
  assert.match(pdf, /^%PDF-1\.4\n/);
  assert.match(pdf, /\(S\\351ance ordinaire du 14 avril 2026/, "the accents are WinAnsi bytes, escaped");
  // The cross-reference table points at each object: a reader finds them where it says.
  const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)?.[1]);
  assert.ok(pdf.startsWith("xref\n", xref));
  for (const [index, offset] of [...pdf.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].entries())
    assert.ok(pdf.startsWith(`${index + 1} 0 obj`, Number(offset[1])), `object ${index + 1}`);
});

test("« Demander un accès » demo: QCUSR01 finds QCUSR03's and FGCUSR3's requests in D32-PRIMEAU; FGCUSR3's waits for his association", async () => {
  t.clock.advance(60_000);
  const manager = await t.signIn("QCUSR01", DEMO_PASSWORD);
  const home = await manager.get("/");
  assert.match(home.body, /href="\/demandes-d-acces\/recues"/);
  const queue = await manager.get("/demandes-d-acces/recues");
  const seen = textOf(queue.body);
  assert.match(seen, /\(QCUSR03\) Ville de Québec D32-PRIMEAU .* Requérant – Consultation/);
  assert.match(
    seen,
    /Maxime Dubé \(FGCUSR3\) Fleurant Génie-Conseil inc\. D32-PRIMEAU .* Mandataire – Rédaction/,
  );
  const links = [...queue.body.matchAll(/href="(\/demandes-d-acces\/recues\/\d+)"/g)].map((m) => m[1] ?? "");
  assert.equal(links.length, 2);
  const pages = await Promise.all(links.map(async (link) => textOf((await manager.get(link)).body)));
  assert.ok(pages.some((page) => /n'est pas encore associé\(e\) à ce service/.test(page)));
  assert.match(formatDemoAccounts(accounts), /FGCUSR3 .* a demandé « Mandataire – Rédaction »/);
});
