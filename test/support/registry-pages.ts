// The people of a registry, made to order for the registry pages' tests: a municipality with its local manager (designated
// by an approved access request), a deputy and staff; a firm's service point with its agent manager and consultants;
// procurations for the MAMH; helpers that read the pages' forms; and the same pages as a person uses them in a browser.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { ServiceRoleName } from "../../src/db/schema.js";
import {
  insertHolders,
  insertProcuration,
  replaceScope,
} from "../../src/features/procurations/procurations.queries.js";
import { insertRole } from "../../src/features/service-roles/service-roles.queries.js";
import type { Agent, Response } from "./agent.js";
import type { TestApp } from "./app.js";
import type { MadeOrganization, MadeUser } from "./factories.js";
import { button, field, heading, link, openService, squeeze } from "./journey.js";
import { escapeRegExp } from "./text.js";

export type RegistryService = { id: number; code: string; name: string; ministry_id: number };

export async function serviceByCode(t: TestApp, code: string): Promise<RegistryService> {
  return t.database.db
    .selectFrom("online_service")
    .select(["id", "code", "name", "ministry_id"])
    .where("code", "=", code)
    .executeTakeFirstOrThrow();
}

/** A valid procuration of the organization for the MAMH, all tasks, held by these users. */
export async function procurationFor(
  t: TestApp,
  org: MadeOrganization,
  holders: readonly MadeUser[],
  creator: MadeUser,
  options: { ministryId: number; restrictedTo?: number[] },
): Promise<number> {
  const db = t.database.db;
  const id = await insertProcuration(db, {
    organizationId: org.id,
    name: `Procuration d'essai ${org.id}`,
    startDate: "2026-01-01",
    endDate: "2028-12-31",
    createdBy: creator.id,
    now: t.clock(),
  });
  const restricted = options.restrictedTo !== undefined;
  await replaceScope(db, id, [
    { ministryId: options.ministryId, restricted, serviceIds: options.restrictedTo ?? [] },
  ]);
  await insertHolders(
    db,
    id,
    holders.map((h) => h.id),
    creator.id,
    t.clock(),
  );
  return id;
}

/** A role as the back office grants it: a manager role on an approved access request, a deputy named by someone. */
export async function giveRole(
  t: TestApp,
  input: {
    role: ServiceRoleName;
    org: MadeOrganization;
    user: MadeUser;
    service: RegistryService;
    by: MadeUser | null;
    servicePointId?: number;
    /** For a manager: the approved access request it comes from. */
    approvedBy?: MadeUser;
  },
): Promise<{ roleId: number; requestId: number | null }> {
  const db = t.database.db;
  let requestId: number | null = null;
  if (input.approvedBy && input.role !== "deputy") {
    const row = await db
      .insertInto("access_request")
      .values({
        role: input.role,
        organization_id: input.org.id,
        service_point_id: input.servicePointId ?? null,
        service_id: input.service.id,
        status: "approved",
        filed_by: input.user.id,
        filed_at: t.clock(),
        authority_civility: "Mme",
        authority_last_name: "Autorité",
        authority_first_name: "Anne",
        authority_job_title: "Directrice générale",
        authority_phone: "418 555-0199",
        authority_email: `autorite-${input.org.id}@essai.example`,
        designated_user_id: input.user.id,
        decided_at: t.clock(),
        decided_by: input.approvedBy.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    requestId = row.id;
  }
  const roleId = await insertRole(db, {
    role: input.role,
    organizationId: input.org.id,
    servicePointId: input.servicePointId ?? null,
    serviceId: input.service.id,
    userId: input.user.id,
    grantedBy: (input.approvedBy ?? input.by)?.id ?? null,
    accessRequestId: requestId,
    now: t.clock(),
  });
  return { roleId, requestId };
}

export async function servicePointOf(t: TestApp, org: MadeOrganization, name: string): Promise<number> {
  const row = await t.database.db
    .insertInto("service_point")
    .values({ organization_id: org.id, name, city: "Québec" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The people of the browser journeys in D34-PIQM: a municipality whose local manager (Marc Tremblay, with the MAMH
 * procuration) was named by the DGI's administrator, a colleague (Sophie Morin), and a firm's Lévis office whose agent
 * manager (Alexandre Roy) and consultant (Amélie Côté) hold the firm's procuration.
 */
export async function journeyCast(t: TestApp, service: RegistryService) {
  const ministry = await t.factories.organization("ministry");
  const admin = await t.factories.user(ministry, {
    serviceAdminUnit: "DGI",
    firstName: "Denis",
    lastName: "Roy",
  });
  const city = await t.factories.organization("municipality", "Municipalité de Val-des-Essais");
  const cityRse = await t.factories.user(city, {
    servicesOfficer: true,
    firstName: "Lucie",
    lastName: "Gagnon",
  });
  const manager = await t.factories.user(city, { firstName: "Marc", lastName: "Tremblay" });
  const colleague = await t.factories.user(city, { firstName: "Sophie", lastName: "Morin" });
  await procurationFor(t, city, [manager], cityRse, { ministryId: service.ministry_id });
  await giveRole(t, {
    role: "local_manager",
    org: city,
    user: manager,
    service,
    by: null,
    approvedBy: admin,
  });
  const firm = await t.factories.organization("firm", "Génie Laurier inc.");
  const point = await servicePointOf(t, firm, "Bureau de Lévis");
  const firmRse = await t.factories.user(firm, {
    servicesOfficer: true,
    firstName: "Julie",
    lastName: "Laurier",
  });
  const agentManager = await t.factories.user(firm, { firstName: "Alexandre", lastName: "Roy" });
  const consultant = await t.factories.user(firm, { firstName: "Amélie", lastName: "Côté" });
  await procurationFor(t, firm, [agentManager, consultant], firmRse, { ministryId: service.ministry_id });
  await giveRole(t, {
    role: "agent_manager",
    org: firm,
    user: agentManager,
    service,
    by: null,
    servicePointId: point,
    approvedBy: admin,
  });
  return { admin, city, cityRse, manager, colleague, firm, point, agentManager, consultant };
}

// --- Reading the pages' forms

/** The one-time key of the form on this page. */
export function keyOf(response: Response): string {
  const match = /name="cle" value="([^"]+)"/.exec(response.body);
  assert.ok(match?.[1], "the page carries a one-time form key");
  return match[1];
}

/** The rights a « Nouvelle inscription » page offers with a « + ». */
export function offeredRights(response: Response): string[] {
  return [...response.body.matchAll(/name="droit" value="([^"]+)" class="add-right"/g)].map(
    (m) => m[1] ?? "",
  );
}

export function locationOf(response: Response): string {
  return String(response.headers.location);
}

const encode = encodeURIComponent;

export const urls = {
  space: (service: RegistryService) => `/services/${encode(service.code)}`,
  registry: (service: RegistryService, orgId: number) =>
    `/services/${encode(service.code)}/organisations/${orgId}/registre`,
  deputies: (service: RegistryService, orgId: number) =>
    `/services/${encode(service.code)}/organisations/${orgId}/adjoints`,
  whoHasAccess: (service: RegistryService, orgId: number) =>
    `/services/${encode(service.code)}/organisations/${orgId}/qui-a-acces`,
  association: (service: RegistryService, pointId: number) =>
    `/services/${encode(service.code)}/points/${pointId}/association`,
};

/**
 * « Nouvelle inscription » through its pages: « Chercher », « + » on the right, then « Confirmer » with an end date.
 * Returns the answer to « Confirmer » (a 303 on success).
 */
export async function register(
  agent: Agent,
  service: RegistryService,
  orgId: number,
  userCode: string,
  right: string,
  validUntil = "",
): Promise<Response> {
  const base = urls.registry(service, orgId);
  const found = await agent.get(`${base}/inscription?utilisateur=${encode(userCode)}`);
  assert.equal(found.statusCode, 200, `look-up of ${userCode}: ${found.statusCode}`);
  assert.ok(offeredRights(found).includes(right), `${right} is offered to ${userCode}`);
  const confirm = await agent.get(
    `${base}/inscription/confirmation?utilisateur=${encode(userCode)}&droit=${encode(right)}`,
  );
  assert.equal(confirm.statusCode, 200);
  return agent.post(`${base}/inscription`, {
    utilisateur: userCode,
    droit: right,
    fin: validUntil,
    cle: keyOf(confirm),
  });
}

/** « Nouvelle association » through its pages: the user code, the person shown with « OK », then « Confirmer ». */
export async function associateThroughPages(
  agent: Agent,
  service: RegistryService,
  pointId: number,
  userCode: string,
): Promise<Response> {
  const base = urls.association(service, pointId);
  const found = await agent.get(`${base}/nouvelle?utilisateur=${encode(userCode)}`);
  assert.equal(found.statusCode, 200, `look-up of ${userCode}: ${found.statusCode}`);
  assert.match(found.body, />OK</);
  const confirm = await agent.get(`${base}/confirmation?utilisateur=${encode(userCode)}`);
  assert.equal(confirm.statusCode, 200);
  assert.match(confirm.body, />Confirmer</);
  return agent.post(base, { utilisateur: userCode });
}

// --- The same pages in a browser, as a person uses them

/** From the home page: the service's space, then one link of its « Utilitaires » (the registry, the associations…). */
export async function openUtility(page: Page, serviceTitle: string, utility: string): Promise<void> {
  await openService(page, serviceTitle);
  await link(page.getByRole("region", { name: "Utilitaires", exact: true }), utility).click();
  await heading(page, utility);
}

/**
 * On « Association des mandataires »: the user code as typed, « Chercher », the person shown, « OK », « Confirmer »,
 * and the notice that the person is associated. Returns what « Personne trouvée » showed.
 */
export async function associateInBrowser(
  page: Page,
  person: MadeUser,
  typed = person.userCode,
): Promise<string> {
  const name = `${person.actor.firstName} ${person.actor.lastName}`;
  await field(page, "Code d'utilisateur").fill(typed);
  await button(page, "Chercher").click();
  const shown = squeeze(
    await page.getByRole("region", { name: "Personne trouvée", exact: true }).textContent(),
  );
  assert.match(shown, new RegExp(escapeRegExp(name)));
  await button(page, "OK").click();
  await heading(page, "Confirmer l'association");
  await button(page, "Confirmer").click();
  await heading(page, "Association des mandataires");
  await page.getByText(`${name} est maintenant associé au service.`).waitFor();
  return shown;
}

/**
 * On « Registre des droits d'accès », « Nouvelle inscription »: the user code, « Chercher », the person shown, the
 * « + » of one right, an end date (none when empty), « Confirmer », and the notice that the right is granted.
 */
export async function registerInBrowser(
  page: Page,
  person: MadeUser,
  right: string,
  validUntil = "",
): Promise<void> {
  const name = `${person.actor.firstName} ${person.actor.lastName}`;
  await field(page, "Code d'utilisateur").fill(person.userCode);
  await button(page, "Chercher").click();
  await heading(page, "Nouvelle inscription");
  const found = page.getByRole("region", { name: "Personne trouvée", exact: true });
  assert.match(squeeze(await found.textContent()), new RegExp(escapeRegExp(name)));
  await button(page, `Ajouter le droit ${right}`).click();
  await heading(page, "Confirmer l'inscription");
  if (validUntil) await field(page, "Date de fin (facultative)").fill(validUntil);
  await button(page, "Confirmer").click();
  await heading(page, "Registre des droits d'accès");
  await page.getByText(`Le droit « ${right} » a été accordé à ${name}.`, { exact: false }).waitFor();
}

// --- What the database holds

/** Every table a registry page may write, to prove that a refused input wrote nothing. */
export async function registryState(t: TestApp) {
  const db = t.database.db;
  return {
    grants: await db.selectFrom("access_grant").selectAll().orderBy("id").execute(),
    roles: await db.selectFrom("service_role").selectAll().orderBy("id").execute(),
    associations: await db.selectFrom("service_association").selectAll().orderBy("id").execute(),
    submissions: await db.selectFrom("form_submission").selectAll().orderBy("key").execute(),
    outbox: await db.selectFrom("mail_outbox").selectAll().orderBy("id").execute(),
    audit: await db.selectFrom("audit_event").selectAll().orderBy("id").execute(),
  };
}

export type RegistryState = Awaited<ReturnType<typeof registryState>>;

/** The mails queued for one person, oldest first. */
export async function mailsTo(t: TestApp, user: MadeUser) {
  return t.database.db
    .selectFrom("mail_outbox")
    .select(["subject", "text_body"])
    .where("to_address", "=", user.email)
    .orderBy("id")
    .execute();
}
