// Guichet's pages in a sign-in to another ministry's online service: the second factor it needs, the refusal with
// what is missing and who can give it, and the provider's own pages (errors, signing out).
import { CsrfField, Notice } from "../../web/forms.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { SECURITY_PATH, SecondFactorForm } from "../factors/factors.views.js";

export type ServiceFacts = { serviceName: string; ministryName: string };

export function ContinueView({
  page,
  uid,
  service,
  error,
}: {
  page: Page;
  uid: string;
  service: ServiceFacts;
  error: { key: MessageKey } | { text: string } | null;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("federation.continue.title", { service: service.serviceName })}</h1>
      <p>
        {t("federation.continue.intro", { service: service.serviceName, ministry: service.ministryName })}
      </p>
      <SecondFactorForm
        page={page}
        action={`/oidc/interaction/${encodeURIComponent(uid)}/facteur`}
        error={error}
        passkeyAction={null}
      />
    </section>
  );
}

export type Refusal =
  | { reason: "no_procuration" | "service_not_covered"; officers: { name: string; email: string }[] }
  | { reason: "no_factor" };

export function RefusedView({
  page,
  uid,
  service,
  organizationName,
  refusal,
}: {
  page: Page;
  uid: string;
  service: ServiceFacts;
  organizationName: string;
  refusal: Refusal;
}) {
  const { t } = page;
  const params = {
    service: service.serviceName,
    ministry: service.ministryName,
    organization: organizationName,
  };
  return (
    <section>
      <h1>{t("federation.refused.title", { service: service.serviceName })}</h1>
      {refusal.reason === "no_factor" ? (
        <>
          <Notice kind="error">{t("federation.refused.noFactor", params)}</Notice>
          <p>
            <a href={SECURITY_PATH}>{t("federation.refused.addFactor")}</a>
          </p>
        </>
      ) : (
        <>
          <Notice kind="error">
            {t(
              refusal.reason === "no_procuration"
                ? "federation.refused.noProcuration"
                : "federation.refused.serviceNotCovered",
              params,
            )}
          </Notice>
          {refusal.officers.length > 0 ? (
            <>
              <p>{t("federation.refused.whoCanGive")}</p>
              <ul>
                {refusal.officers.map((officer) => (
                  <li key={officer.email}>
                    {officer.name} (<a href={`mailto:${officer.email}`}>{officer.email}</a>)
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t("federation.refused.noOfficer")}</p>
          )}
        </>
      )}
      <form method="post" action={`/oidc/interaction/${encodeURIComponent(uid)}/refus`} novalidate>
        <CsrfField token={page.csrfToken} />
        <div class="actions">
          <button type="submit">{t("federation.refused.back", params)}</button>
        </div>
      </form>
    </section>
  );
}

export function MessageView({ page, title, body }: { page: Page; title: MessageKey; body: MessageKey }) {
  const { t } = page;
  return (
    <section>
      <h1>{t(title)}</h1>
      <p>{t(body)}</p>
      <p>
        <a href="/">{t("home.title")}</a>
      </p>
    </section>
  );
}

export function ProviderErrorView({ page, code }: { page: Page; code: string }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("federation.error.title")}</h1>
      <Notice kind="error">{t("federation.error.body")}</Notice>
      <p>{t("federation.error.code", { code })}</p>
    </section>
  );
}

/**
 * The provider's confirmation of a sign-out asked by a service: its form (a hidden field the provider checks) is
 * given as HTML, and the two buttons submit it.
 */
export function LogoutView({ page, form }: { page: Page; form: string }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("federation.logout.title")}</h1>
      <p>{t("federation.logout.body")}</p>
      <div dangerouslySetInnerHTML={{ __html: form }} />
      <div class="actions">
        <button type="submit" form="op.logoutForm" name="logout" value="yes">
          {t("federation.logout.yes")}
        </button>
        <button type="submit" form="op.logoutForm" class="secondary">
          {t("federation.logout.no")}
        </button>
      </div>
    </section>
  );
}
