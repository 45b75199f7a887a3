// Pages of « Services en ligne » and the « Mes services en ligne » section of the home page.

import { Localized, langOf, localizedText } from "../../web/localized.js";
import type { Locale, MessageKey, Translate } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { askPath, hasRegistry } from "../right-requests/right-requests.service.js";
import {
  byCategory,
  type CatalogueService,
  type MyService,
  requestAccessPath,
  type ServiceCategory,
} from "./services.service.js";

const CATEGORY: Record<ServiceCategory, MessageKey> = {
  infrastructures: "services.category.infrastructures",
  other: "services.category.other",
};

const ROLE: Record<MyService["roles"][number], MessageKey> = {
  local_manager: "services.role.local_manager",
  deputy: "services.role.deputy",
  agent_manager: "services.role.agent_manager",
  "requester.write": "registry.right.requester.write",
  "requester.read": "registry.right.requester.read",
  "agent.write": "registry.right.agent.write",
  "agent.read": "registry.right.agent.read",
};

/** The roles that manage a service's access registry, which stays in Guichet even for an external service. */
const MANAGES_ACCESS = new Set<MyService["roles"][number]>(["local_manager", "deputy", "agent_manager"]);

/** « ↗ (site externe) » after a link that leaves the portal: in words, not only as an arrow. */
function ExternalSite({ t }: { t: Translate }) {
  return (
    <span class="external-site">
      <span aria-hidden="true">↗ </span>
      {`(${t("externalServices.link.external")})`}
    </span>
  );
}

/** « D32-PRIMEAU — Programme d'infrastructures municipales d'eau », in bold, its name in the page's language. */
function ServiceName({ locale, service }: { locale: Locale; service: MyService }) {
  return (
    <strong>
      {`${service.code} — `}
      <Localized locale={locale} fr={service.name} en={service.nameEn} />
    </strong>
  );
}

/** Ids for headings: « infrastructures » and « other » are plain words already. */
const headingId = (prefix: string, category: ServiceCategory) => `${prefix}-${category}`;

export function CatalogueView({
  page,
  services,
  canRequest,
}: {
  page: Page;
  services: CatalogueService[];
  canRequest: boolean;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("services.catalogueTitle")}</h1>
      <p>{t("services.catalogueIntro")}</p>
      {byCategory(services).map((group) => (
        <section key={group.category} aria-labelledby={headingId("categorie", group.category)}>
          <h2 id={headingId("categorie", group.category)}>{t(CATEGORY[group.category])}</h2>
          <ul class="card-list service-list">
            {group.services.map((service) => (
              <li key={service.id}>
                <h3>
                  {`${service.code} — `}
                  <Localized locale={page.locale} fr={service.name} en={service.name_en} />
                </h3>
                {service.description ? (
                  <p {...langOf(page.locale, service.description, service.description_en)}>
                    {localizedText(page.locale, service.description, service.description_en)}
                  </p>
                ) : null}
                {service.unit_name ? (
                  <p class="hint">
                    {t("services.administeredBy", {
                      unit: localizedText(page.locale, service.unit_name, service.unit_name_en),
                    })}
                  </p>
                ) : null}
                {service.external_url ? (
                  <p>
                    <a href={service.external_url} rel="external">
                      {service.external_url} <ExternalSite t={t} />
                    </a>
                  </p>
                ) : null}
                {canRequest ? (
                  <p class="actions">
                    <a class="button" href={requestAccessPath(service.code)}>
                      {t("services.requestAccess")}
                      <span class="visually-hidden">{` : ${service.code}`}</span>
                    </a>
                    {hasRegistry(service) ? (
                      <>
                        {" "}
                        <a href={askPath(service.code, {})}>
                          {t("rightRequests.askLink")}
                          <span class="visually-hidden">{` : ${service.code}`}</span>
                        </a>
                      </>
                    ) : null}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

/** The home page's « Mes services en ligne »: the services where the user holds a role, by category, each a link to its space. */
export function MyServicesSection({ page, services }: { page: Page; services: MyService[] }) {
  const { t } = page;
  return (
    <section aria-labelledby="mes-services">
      <h2 id="mes-services">{t("services.mine")}</h2>
      {services.length === 0 ? <p>{t("services.mineEmpty")}</p> : null}
      {byCategory(services).map((group) => (
        <section key={group.category} aria-labelledby={headingId("mes-services", group.category)}>
          <h3 id={headingId("mes-services", group.category)}>{t(CATEGORY[group.category])}</h3>
          <ul class="my-services">
            {group.services.map((service) => (
              <li key={service.id}>
                {service.externalUrl ? (
                  // An external service lives on its ministry's servers: the entry goes there, in the same tab.
                  <a href={service.externalUrl} rel="external">
                    <ServiceName locale={page.locale} service={service} /> <ExternalSite t={t} />
                  </a>
                ) : service.links ? (
                  <ServiceName locale={page.locale} service={service} />
                ) : (
                  <a href={`/services/${encodeURIComponent(service.code)}`}>
                    <ServiceName locale={page.locale} service={service} />
                  </a>
                )}
                {service.roles.length > 0 ? (
                  <span class="hint">{` (${service.roles.map((role) => t(ROLE[role])).join(", ")})`}</span>
                ) : null}
                {service.externalUrl && service.roles.some((role) => MANAGES_ACCESS.has(role)) ? (
                  // Its access registry is still Guichet's: the managers reach it here.
                  <span>
                    {" — "}
                    <a href={`/services/${encodeURIComponent(service.code)}`}>
                      {t("externalServices.link.space")}
                    </a>
                  </span>
                ) : null}
                {(service.links ?? []).map((link) => (
                  <span key={link.href}>
                    {" — "}
                    <a href={link.href}>{t(link.label)}</a>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <p>
        <a href="/services">{t("services.allServices")}</a>
        <span class="hint">{` — ${t("services.allServicesHint")}`}</span>
      </p>
    </section>
  );
}
