// The home page after sign-in: greeting, and the tools the user's roles open.
import type { FastifyInstance } from "fastify";
import { can } from "../../policy/policy.js";
import { FrenchName, Message } from "../../web/localized.js";
import { pageOf, sendPage } from "../../web/page.js";
import { ApplicationsHomeSection } from "../applications/applications.views.js";
import { requireUser } from "../auth/auth.service.js";
import { BackOfficeHomeSection } from "../back-office/back-office.views.js";
import { RightRequestsHomeSection } from "../right-requests/right-requests.views.js";
import { MyServicesSection } from "../services/services.views.js";
import { readHome } from "./home.service.js";

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get("/", async (request, reply) => {
    const actor = requireUser(request.actor);
    const page = pageOf(request, reply);
    const { t } = page;
    const manageUsers = can(actor, "account.list", { organizationId: actor.organizationId }).allowed;
    const { myServices, spaces, managesMandates } = await readHome(request.ctx());
    return sendPage(
      reply,
      page,
      t("home.title"),
      <section>
        <h1>{t("home.title")}</h1>
        <p>{t("home.welcome", { name: `${actor.firstName} ${actor.lastName}` })}</p>
        <p>
          <Message
            t={t}
            k="home.organization"
            parts={{ organization: <FrenchName locale={page.locale} name={actor.organizationName} /> }}
          />
        </p>
        <MyServicesSection page={page} services={myServices} />
        <ApplicationsHomeSection page={page} spaces={spaces} managesMandates={managesMandates} />
        {manageUsers ? (
          <section aria-labelledby="gestion-utilisateurs">
            <h2 id="gestion-utilisateurs">{t("home.rseSection")}</h2>
            <ul class="card-list">
              <li>
                <a href="/utilisateurs">{t("home.rseUsers")}</a>
                <p class="hint">{t("home.rseUsersHint")}</p>
              </li>
              <li>
                <a href="/droits-acces">{t("home.accessRights")}</a>
                <p class="hint">{t("home.accessRightsHint")}</p>
              </li>
              <li>
                <a href="/procurations">{t("home.procurations")}</a>
                <p class="hint">{t("home.procurationsHint")}</p>
              </li>
              <li>
                <a href="/journal">{t("journal.title")}</a>
                <p class="hint">{t("journal.homeHint")}</p>
              </li>
              <li>
                <a href="/revues">{t("reviews.title")}</a>
                <p class="hint">{t("reviews.homeHint")}</p>
              </li>
            </ul>
          </section>
        ) : null}
        <RightRequestsHomeSection
          page={page}
          manages={myServices.some((s) => s.roles.includes("local_manager") || s.roles.includes("deputy"))}
        />
        <BackOfficeHomeSection page={page} />
      </section>,
    );
  });
}
