// Pages of « Services en ligne » and the « Mes services en ligne » section of the home page.
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
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
                <h3>{`${service.code} — ${service.name}`}</h3>
                {service.description ? <p>{service.description}</p> : null}
                {service.unit_name ? (
                  <p class="hint">{t("services.administeredBy", { unit: service.unit_name })}</p>
                ) : null}
                {canRequest ? (
                  <a class="button" href={requestAccessPath(service.code)}>
                    {t("services.requestAccess")}
                    <span class="visually-hidden">{` : ${service.code}`}</span>
                  </a>
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
                {service.links ? (
                  <strong>{`${service.code} — ${service.name}`}</strong>
                ) : (
                  <a href={`/services/${encodeURIComponent(service.code)}`}>
                    <strong>{`${service.code} — ${service.name}`}</strong>
                  </a>
                )}
                {service.roles.length > 0 ? (
                  <span class="hint">{` (${service.roles.map((role) => t(ROLE[role])).join(", ")})`}</span>
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
