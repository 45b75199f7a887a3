// The page frame: skip link, header with greeting, profile and sign-out, language switch, main landmark, footer.
import type { ComponentChildren } from "preact";
import { daysBetween, formatDay, montrealDay, montrealDayOf } from "../util/days.js";
import { CarriedInputContext, Notice, ShownInputContext } from "./forms.js";
import type { Page } from "./page.js";
import { CARRIED_PREFIX, type CarriedInput } from "./return-path.js";

/** For someone whose role needs a second factor and who has none: until when, and where to add one. */
function FactorRequiredBanner({ page, deadline }: { page: Page; deadline: Date }) {
  const { t } = page;
  const deadlineDay = montrealDayOf(deadline);
  const daysLeft = Math.max(0, daysBetween(montrealDay(page.now), deadlineDay));
  const passed = page.now >= deadline;
  return (
    <Notice kind={passed ? "error" : "info"}>
      {passed
        ? t("factors.required.blocked")
        : t("factors.required.banner", {
            date: formatDay(deadlineDay, page.locale),
            days: daysLeft,
          })}{" "}
      <a href="/profil/securite">{t("factors.required.link")}</a>
    </Notice>
  );
}

/**
 * The input of a form's answer, for the language switch (return-path.ts): the values its fields showed, gathered as
 * they rendered above, so this comes after them in the page and joins the switch's form by its id.
 */
function CarriedFields({ carry }: { carry: CarriedInput }) {
  return (
    <>
      {Object.entries(carry).map(([name, value]) => (
        <input key={name} type="hidden" form="langue" name={`${CARRIED_PREFIX}${name}`} value={value} />
      ))}
    </>
  );
}

export function Layout({
  page,
  title,
  children,
}: {
  page: Page;
  title: string;
  children: ComponentChildren;
}) {
  const { t, actor } = page;
  const otherLocale = page.locale === "fr" ? "en" : "fr";
  return (
    <html lang={page.locale === "fr" ? "fr-CA" : "en-CA"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${t("site.name")}`}</title>
        <link rel="stylesheet" href="/static/guichet.css" />
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          {t("site.skip")}
        </a>
        <header class="site-header">
          <div class="brand">
            <a href="/" class="brand-name">
              {t("site.name")}
            </a>
            <span class="brand-tagline">{t("site.tagline")}</span>
          </div>
          <nav class="user-nav" aria-label={t("site.mainNav")}>
            <ul>
              <li>
                <a href="/">{t("site.home")}</a>
              </li>
              {actor.kind === "user" ? (
                <>
                  <li>
                    <a href="/services">{t("site.services")}</a>
                  </li>
                  <li class="greeting">
                    {t("header.hello", {
                      name: `${actor.firstName} ${actor.lastName}`,
                      code: actor.userCode,
                    })}
                  </li>
                  <li>
                    <a href="/profil">{t("header.profile")}</a>
                  </li>
                  <li>
                    <form method="post" action="/deconnexion" class="inline-form" novalidate>
                      <input type="hidden" name="_csrf" value={page.csrfToken} />
                      <button type="submit" class="link-button">
                        {t("header.signOut")}
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <li>
                  <a href="/connexion">{t("header.signIn")}</a>
                </li>
              )}
              <li>
                <form method="post" action="/langue" class="inline-form" id="langue" novalidate>
                  <input type="hidden" name="_csrf" value={page.csrfToken} />
                  <input type="hidden" name="locale" value={otherLocale} />
                  <input type="hidden" name="retour" value={page.path} />
                  <button type="submit" class="link-button" lang={otherLocale === "fr" ? "fr-CA" : "en-CA"}>
                    {t("site.langSwitch")}
                  </button>
                </form>
              </li>
            </ul>
          </nav>
        </header>
        <main id="contenu" tabindex={-1}>
          {page.flash ? <Notice kind={page.flash.kind}>{t(page.flash.key, page.flash.params)}</Notice> : null}
          {page.factorDeadline && actor.kind === "user" ? (
            <FactorRequiredBanner page={page} deadline={page.factorDeadline} />
          ) : null}
          <CarriedInputContext.Provider value={page.carried ?? {}}>
            <ShownInputContext.Provider value={page.carry ?? null}>{children}</ShownInputContext.Provider>
          </CarriedInputContext.Provider>
          {page.carry ? <CarriedFields carry={page.carry} /> : null}
        </main>
        <footer class="site-footer">
          <p>{t("site.footer")}</p>
        </footer>
      </body>
    </html>
  );
}
