// The online service catalogue (« Services en ligne ») and the services where the user holds a role (« Mes services en ligne »).
import { type Ctx, referenceRead } from "../../context.js";
import type { AccessRight, ServiceRoleName } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { can } from "../../policy/policy.js";
import { montrealDay } from "../../util/days.js";
import type { MessageKey } from "../../web/messages.js";
import { requireUser } from "../auth/auth.service.js";
import { transferServiceLinks } from "../file-transfers/file-transfers.service.js";
import { listServicesWithRole } from "../service-roles/service-roles.queries.js";
import * as q from "./services.queries.js";

export type ServiceCategory = "infrastructures" | "other";
export const CATEGORIES: readonly ServiceCategory[] = ["infrastructures", "other"];

export type CatalogueService = Awaited<ReturnType<typeof q.listServices>>[number];

export type MyService = {
  id: number;
  code: string;
  name: string;
  /** English name, null where the service has none (reference data, migrations/0017). */
  nameEn: string | null;
  category: ServiceCategory;
  /** The roles and rights the user holds in the service. */
  roles: (ServiceRoleName | AccessRight)[];
  /** Where the service is used from this portal, when it is one of its own pages (« Transfert de fichiers »). */
  links?: ServiceLink[];
  /** Where an external service lives, on its ministry's own servers: its entry leads there. */
  externalUrl?: string;
};

export type ServiceLink = { href: string; label: MessageKey };

/** The whole catalogue, with whether the actor's organization may ask for access (a ministry does not). */
export async function listCatalogue(
  ctx: Ctx,
): Promise<{ services: CatalogueService[]; canRequest: boolean }> {
  const actor = requireUser(ctx.actor);
  const services = await referenceRead(ctx, "services", q.listServices);
  const canRequest = can(actor, "accessRequest.file", {
    organizationId: actor.organizationId,
    organizationKind: actor.organizationKind,
  }).allowed;
  return { services, canRequest };
}

/** A service by its code as it appears in links (« D35-TECQ 2014 »); an unknown code is a missing page. */
export async function getService(ctx: Ctx, code: string): Promise<CatalogueService> {
  requireUser(ctx.actor);
  const service =
    code.length > 0 && code.length <= 100
      ? await referenceRead(ctx, `service:${code}`, (db) => q.findServiceByCode(db, code))
      : undefined;
  if (!service) throw new AppError("not_found");
  return service;
}

/** « Mes services en ligne »: only the services in which the actor holds a role now, filtered in SQL; one entry per service. */
export async function listMyServices(ctx: Ctx): Promise<MyService[]> {
  const actor = requireUser(ctx.actor);
  const today = montrealDay(ctx.now);
  // The day is part of the key: a right past its last day leaves the list at midnight, write or no write.
  const rows = await ctx.app.readCache.get(`services-with-role:${actor.userId}:${today}`, () =>
    listServicesWithRole(ctx.db, actor.userId, today),
  );
  const externalUrls = await referenceRead(
    ctx,
    "external-urls",
    async (db) => new Map((await q.listExternalUrls(db)).map((row) => [row.id, row.external_url])),
  );
  const services = new Map<number, MyService>();
  for (const row of rows) {
    const externalUrl = externalUrls.get(row.id);
    const entry = services.get(row.id) ?? {
      id: row.id,
      code: row.code,
      name: row.name,
      nameEn: row.name_en,
      category: row.category,
      roles: [],
      ...(externalUrl ? { externalUrl } : {}),
    };
    if (!entry.roles.includes(row.role)) entry.roles.push(row.role);
    services.set(row.id, entry);
  }
  // « Transfert de fichiers » has no roles: it is listed for whoever may send or receive files. Read once per user
  // and day while nothing is written (procurations, recipients and staff are all in the database).
  const found = await ctx.app.readCache.get(`transfer-links:${actor.userId}:${today}`, () =>
    transferServiceLinks(ctx),
  );
  const transfers = {
    links: found.links,
    service:
      found.links.length > 0
        ? await referenceRead(ctx, `service:${found.serviceCode}`, (db) =>
            q.findServiceByCode(db, found.serviceCode),
          )
        : undefined,
  };
  if (transfers.links.length > 0) {
    const service = transfers.service;
    if (service)
      services.set(service.id, {
        id: service.id,
        code: service.code,
        name: service.name,
        nameEn: service.name_en,
        category: service.category,
        roles: [],
        links: transfers.links,
      });
  }
  return [...services.values()];
}

/** Groups services under their category, Infrastructures first; empty categories are left out. */
export function byCategory<T extends { category: ServiceCategory }>(
  services: readonly T[],
): { category: ServiceCategory; services: T[] }[] {
  return CATEGORIES.map((category) => ({
    category,
    services: services.filter((service) => service.category === category),
  })).filter((group) => group.services.length > 0);
}

/** The link to a service's access request page: codes hold spaces and accents. */
export function requestAccessPath(code: string): string {
  return `/services/${encodeURIComponent(code)}/demande-acces`;
}
