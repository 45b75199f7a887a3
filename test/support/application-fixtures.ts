// The people of « Demandes d'aide financière », made to order: a municipality with its local manager, a requester who
// writes and one who reads; a firm's service point, its agent manager and consultants; another client; the ministry's
// service administrator and one of another ministry. Rights and associations go through the registry core itself.
// Also: the pages' forms as a browser fills them (the one-time key, the revision, an attachment's upload address).
import assert from "node:assert/strict";
import type { AccessRight } from "../../src/db/schema.js";
import { createUserWithCode } from "../../src/features/accounts/accounts.service.js";
import {
  insertOrganization,
  insertServicePoint,
} from "../../src/features/organizations/organizations.queries.js";
import * as registry from "../../src/features/registry/registry.service.js";
import { insertRole } from "../../src/features/service-roles/service-roles.queries.js";
import type { Agent, Response } from "./agent.js";
import type { TestApp } from "./app.js";
import type { MadeOrganization, MadeUser } from "./factories.js";
import {
  cookieHeader,
  type Multipart,
  multipartFile,
  senderWithProcuration,
} from "./file-transfer-client.js";
import { serviceByCode as registryServiceByCode } from "./registry-pages.js";
import { decodeHtml } from "./text.js";

export type Service = { id: number; code: string; name: string; ministry_id: number };

export const SERVICE_CODE = "D34-PIQM";

export function serviceByCode(t: TestApp, code = SERVICE_CODE): Promise<Service> {
  return registryServiceByCode(t, code);
}

/** A user of the organization holding a valid procuration for the service's ministry (all tasks). */
export function userWithProcuration(
  t: TestApp,
  organization: MadeOrganization,
  service: Service,
  names: { firstName?: string; lastName?: string } = {},
): Promise<MadeUser> {
  return senderWithProcuration(t, organization, service.ministry_id, names);
}

export async function makeLocalManager(
  t: TestApp,
  organization: MadeOrganization,
  service: Service,
): Promise<MadeUser> {
  // The services officer holds every procuration of the organization implicitly.
  const manager = await t.factories.user(organization, { servicesOfficer: true, firstName: "Gabrielle" });
  await insertRole(t.database.db, {
    role: "local_manager",
    organizationId: organization.id,
    servicePointId: null,
    serviceId: service.id,
    userId: manager.id,
    grantedBy: null,
    accessRequestId: null,
    now: t.clock(),
  });
  return manager;
}

/** A right in (organization, service), granted by its local manager through the registry core. */
export async function grant(
  t: TestApp,
  manager: MadeUser,
  target: { service: Service; organizationId: number },
  user: MadeUser,
  right: AccessRight,
): Promise<void> {
  const outcome = await registry.grantRight(t.ctx(manager.actor), target, {
    userCode: user.userCode,
    right,
    validUntil: "",
  });
  assert.ok(outcome.ok, `grant ${right} to ${user.userCode}: ${JSON.stringify(outcome)}`);
}

export type Firm = {
  organization: MadeOrganization;
  pointId: number;
  agentManager: MadeUser;
  target: { service: Service; organizationId: number; servicePointId: number };
};

/** A firm with one service point whose agent manager (its RSE) is designated in the service. */
export async function makeFirm(t: TestApp, service: Service): Promise<Firm> {
  const organization = await t.factories.organization("firm");
  const pointId = await insertServicePoint(t.database.db, {
    organization_id: organization.id,
    name: "Bureau de Québec",
    civic_number: "1",
    street: "rue d'Essai",
    city: "Québec",
    postal_code: "G1R 1A1",
  });
  const agentManager = await t.factories.user(organization, { servicesOfficer: true });
  await insertRole(t.database.db, {
    role: "agent_manager",
    organizationId: organization.id,
    servicePointId: pointId,
    serviceId: service.id,
    userId: agentManager.id,
    grantedBy: null,
    accessRequestId: null,
    now: t.clock(),
  });
  return {
    organization,
    pointId,
    agentManager,
    target: { service, organizationId: organization.id, servicePointId: pointId },
  };
}

/** A consultant of the firm, with a procuration of the firm, associated with the service by its agent manager. */
export async function associatedConsultant(
  t: TestApp,
  firm: Firm,
  names: { firstName?: string; lastName?: string } = {},
): Promise<MadeUser> {
  const consultant = await userWithProcuration(t, firm.organization, firm.target.service, names);
  const outcome = await registry.associate(t.ctx(firm.agentManager.actor), firm.target, consultant.userCode);
  assert.ok(outcome.ok, `associate ${consultant.userCode}: ${JSON.stringify(outcome)}`);
  return consultant;
}

export async function associationIdOf(t: TestApp, firm: Firm, user: MadeUser): Promise<number> {
  const rows = await registry.listAssociations(t.ctx(firm.agentManager.actor), firm.target);
  const row = rows.find((r) => r.user_code === user.userCode);
  assert.ok(row, `${user.userCode} is associated`);
  return row.id;
}

/** A ministry other than the one that owns the services, with a service administrator. */
export async function otherMinistryAdmin(t: TestApp): Promise<MadeUser> {
  const db = t.database.db;
  const ministryId = await insertOrganization(db, {
    kind: "ministry",
    name: "Ministère d'essai des Transports",
  });
  const unit = await db
    .insertInto("ministry_unit")
    .values({ organization_id: ministryId, code: "DGT", name: "Direction générale d'essai" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const userCode = `MT${String(ministryId).padStart(5, "0")}`.slice(0, 7);
  const id = await createUserWithCode(db, {
    organizationId: ministryId,
    userCode,
    civility: "M.",
    firstName: "Paul",
    lastName: "Autreministère",
    jobTitle: "Administrateur",
    phone: "418 555-0199",
    phoneExtension: null,
    email: `${userCode.toLowerCase()}@essai.example`,
    isServicesOfficer: false,
    ministryUnitId: unit.id,
    isServiceAdmin: true,
    passwordHash: await t.app.guichet.services.hasher.hash("Bon-mot-de-passe-42"),
    now: t.clock(),
  });
  return {
    id,
    userCode,
    organizationId: ministryId,
    email: `${userCode.toLowerCase()}@essai.example`,
    actor: {
      kind: "user",
      userId: id,
      userCode,
      firstName: "Paul",
      lastName: "Autreministère",
      organizationId: ministryId,
      organizationKind: "ministry",
      organizationName: "Ministère d'essai des Transports",
      isServicesOfficer: false,
      isServiceAdmin: true,
      ministryUnitId: unit.id,
    },
  };
}

// --- Addresses and forms

export const listPath = (service: Service, organizationId: number) =>
  `/services/${encodeURIComponent(service.code)}/organisations/${organizationId}/demandes`;
export const applicationPath = (service: Service, number: number) =>
  `/services/${encodeURIComponent(service.code)}/demandes/${number}`;

/** A complete form, as a requester types it. */
export const COMPLETE_FIELDS = {
  title: "Réfection de la rue Principale",
  description: "Remplacement des conduites d'eau potable et réfection de la chaussée sur 800 m.",
  estimated_cost: "1 250 000,00",
  amount_requested: "1 000 000",
  start_date: "2027-05-01",
  end_date: "2027-10-31",
  contact_name: "Julie Tremblay",
  contact_phone: "418 555-0100",
  contact_email: "julie.tremblay@ville.example",
} as const;

function formValue(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  assert.ok(match, `the page has a ${name} field`);
  return decodeHtml(match[1] ?? "");
}

/** « Nouvelle demande » through the list page's form; returns the server's answer and the number, if created. */
export async function createThroughPage(
  agent: Agent,
  service: Service,
  organizationId: number,
  title: string,
): Promise<{ response: Response; number: number | null; key: string }> {
  const page = await agent.get(listPath(service, organizationId));
  assert.equal(page.statusCode, 200, page.body);
  const key = formValue(page.body, "cle");
  const response = await agent.post(listPath(service, organizationId), { cle: key, titre: title });
  const number = /\/demandes\/(\d+)$/.exec(String(response.headers.location ?? ""))?.[1];
  return { response, number: number ? Number(number) : null, key };
}

/** The revision the application's form was opened at. */
export async function openRevision(agent: Agent, service: Service, number: number): Promise<string> {
  const page = await agent.get(applicationPath(service, number));
  assert.equal(page.statusCode, 200, page.body);
  return formValue(page.body, "revision");
}

/** « Enregistrer » with the given fields, from the revision given (or the one the page shows now). */
export async function saveThroughPage(
  agent: Agent,
  service: Service,
  number: number,
  fields: Record<string, string>,
  revision?: string,
): Promise<Response> {
  const from = revision ?? (await openRevision(agent, service, number));
  return agent.post(applicationPath(service, number), { ...fields, revision: from });
}

/** « Transmettre », then « Confirmer la transmission » with the revision the confirmation page carries. */
export async function transmitThroughPage(agent: Agent, service: Service, number: number): Promise<Response> {
  const confirmation = await agent.get(`${applicationPath(service, number)}/transmettre`);
  assert.equal(confirmation.statusCode, 200, confirmation.body);
  const revision = formValue(confirmation.body, "revision");
  return agent.post(`${applicationPath(service, number)}/transmettre`, { revision });
}

/** « Ajouter » on one PDF field, through the address the page's own form posts to (CSRF token in the query). */
export async function uploadThroughPage(
  t: TestApp,
  agent: Agent,
  service: Service,
  number: number,
  field: string,
  name: string,
  content: Buffer,
  /** What becomes of the body before it is sent (cut short, its boundary lost). */
  reshape: (multipart: Multipart) => Multipart = (multipart) => multipart,
): Promise<Response> {
  const page = await agent.get(applicationPath(service, number));
  assert.equal(page.statusCode, 200, page.body);
  const action = new RegExp(`action="([^"]*/pieces-jointes/${field}\\?_csrf=[^"]*)"`).exec(page.body)?.[1];
  assert.ok(action, `the page has an « Ajouter » form for ${field}`);
  const { body, contentType } = reshape(multipartFile(name, content));
  const response = await t.app.inject({
    method: "POST",
    url: decodeHtml(action),
    headers: { cookie: cookieHeader(agent), "content-type": contentType },
    payload: body,
  });
  for (const cookie of response.cookies) agent.cookies.set(cookie.name, cookie.value);
  return response;
}

/** Everything the applications' tables hold, to show that a refusal changed nothing. */
export async function applicationTables(t: TestApp) {
  const db = t.database.db;
  return {
    applications: await db.selectFrom("application").selectAll().orderBy("id").execute(),
    versions: await db
      .selectFrom("application_version")
      .selectAll()
      .orderBy("application_id")
      .orderBy("revision")
      .execute(),
    attachments: await db.selectFrom("application_attachment").selectAll().orderBy("id").execute(),
    mandates: await db.selectFrom("mandate").selectAll().orderBy("id").execute(),
  };
}
