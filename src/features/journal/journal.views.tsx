// Pages of « Journal des accès » (the filters, one page of events, « Événements plus anciens ») and « Mon historique »,
// and the words both use for an event: its kind, its outcome, its instant in Québec's time; and the CSV file.

import { TIME_ZONE } from "../../util/days.js";
import { ErrorSummary, Notice, SelectField, TextField } from "../../web/forms.js";
import { ServiceTitle, serviceTitle } from "../../web/localized.js";
import { allCatalogues, type Locale, type MessageKey, type Translate } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { toCsv } from "../registry/who-has-access.js";
import type {
  EventsPage,
  FilterErrors,
  JournalQuery,
  JournalRow,
  JournalService,
} from "./journal.service.js";

export const JOURNAL_PATH = "/journal";
export const HISTORY_PATH = "/profil/historique";

const ACTION_PREFIX = "journal.action.";

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(allCatalogues().fr, key);
}

/** Every kind of event that has a label: the journal's action filter offers these, and accepts only these. */
export const LABELLED_ACTIONS: ReadonlySet<string> = new Set(
  Object.keys(allCatalogues().fr)
    .filter((key) => key.startsWith(ACTION_PREFIX))
    .map((key) => key.slice(ACTION_PREFIX.length)),
);

/** « Droit d'accès accordé », not « registry.grant »; a kind recorded by a later version is named as such. */
export function actionLabel(t: Translate, action: string): string {
  const key = `${ACTION_PREFIX}${action}`;
  return isMessageKey(key) ? t(key) : t("journal.actionOther", { code: action });
}

export function outcomeLabel(t: Translate, row: Pick<JournalRow, "outcome" | "reason">): string {
  const outcome = t(`journal.outcome.${row.outcome}`);
  return row.reason ? t("journal.outcomeWithReason", { outcome, reason: row.reason }) : outcome;
}

const shown = {
  fr: new Intl.DateTimeFormat("fr-CA", { timeZone: TIME_ZONE, dateStyle: "medium", timeStyle: "medium" }),
  en: new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, dateStyle: "medium", timeStyle: "medium" }),
};

/** « 7 déc. 2026, 13 h 05 min 42 s », in Québec's time, as every instant the portal shows. */
function moment(at: Date, locale: Locale): string {
  return shown[locale].format(at);
}

const sortable = new Intl.DateTimeFormat("sv-SE", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** 2026-12-07 13:05:42 in Québec's time: a spreadsheet sorts it as written. */
function csvMoment(at: Date): string {
  return sortable.format(at);
}

function who(t: Translate, row: JournalRow): string {
  if (row.actor_name) return row.actor_name;
  if (row.actor_code) return row.actor_code;
  return row.client_id ? t("journal.byClient", { client: row.client_id }) : t("journal.system");
}

function whom(row: JournalRow): string {
  if (!row.subject_code) return "";
  return row.subject_name ? `${row.subject_name} (${row.subject_code})` : row.subject_code;
}

function serviceOf(locale: Locale, row: JournalRow): string {
  if (!row.service_code || !row.service_name) return "";
  return serviceTitle(locale, {
    code: row.service_code,
    name: row.service_name,
    name_en: row.service_name_en,
  });
}

export function journalCsv(t: Translate, locale: Locale, rows: readonly JournalRow[]): string {
  return toCsv([
    [
      t("journal.col.at"),
      t("journal.col.who"),
      t("journal.col.userCode"),
      t("journal.col.what"),
      t("journal.col.code"),
      t("journal.col.whom"),
      t("journal.col.service"),
      t("journal.col.from"),
      t("journal.col.outcome"),
      t("journal.col.reason"),
    ],
    ...rows.map((row) => [
      csvMoment(row.at),
      who(t, row),
      row.actor_code ?? "",
      actionLabel(t, row.action),
      row.action,
      whom(row),
      serviceOf(locale, row),
      row.ip ?? "",
      t(`journal.outcome.${row.outcome}`),
      row.reason ?? "",
    ]),
  ]);
}

/** The address of a page of events: the filters as given, and the cursor when it is not the first page. */
export function pageHref(path: string, query: Partial<JournalQuery>, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (name !== "page" && value) params.set(name, value);
  if (cursor) params.set("page", cursor);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function EventsTable({ page, id, rows }: { page: Page; id: string; rows: readonly JournalRow[] }) {
  const { t } = page;
  return (
    <DataTable
      t={t}
      id={id}
      caption={t(id === "historique" ? "history.title" : "journal.title")}
      columns={[
        "journal.col.at",
        "journal.col.who",
        "journal.col.what",
        "journal.col.whom",
        "journal.col.service",
        "journal.col.from",
        "journal.col.outcome",
      ]}
      class="journal"
    >
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-outcome={row.outcome} data-action={row.action}>
            <td>
              <time datetime={row.at.toISOString()}>{moment(row.at, page.locale)}</time>
            </td>
            <td>
              {row.actor_name && row.actor_code ? `${row.actor_name} (${row.actor_code})` : who(t, row)}
            </td>
            <td>{actionLabel(t, row.action)}</td>
            <td>{whom(row)}</td>
            <td>
              {row.service_code && row.service_name ? (
                <ServiceTitle
                  locale={page.locale}
                  service={{ code: row.service_code, name: row.service_name, name_en: row.service_name_en }}
                />
              ) : null}
            </td>
            <td>{row.ip ?? ""}</td>
            <td>{outcomeLabel(t, row)}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

function Pager({
  page,
  href,
  first,
  next,
}: {
  page: Page;
  href: (cursor: string | null) => string;
  first: boolean;
  next: string | null;
}) {
  const { t } = page;
  if (first && !next) return null;
  return (
    <nav aria-label={t("journal.pages")}>
      <p class="actions">
        {next ? (
          <a href={href(next)} rel="next">
            {t("journal.older")}
          </a>
        ) : null}
        {first ? null : <a href={href(null)}>{t("journal.first")}</a>}
      </p>
    </nav>
  );
}

const FILTER_LABELS: Record<keyof FilterErrors, MessageKey> = {
  personne: "journal.filter.person",
  service: "journal.filter.service",
  action: "journal.filter.action",
  du: "journal.filter.from",
  au: "journal.filter.to",
};

export function JournalView({
  page,
  query,
  services,
  managed,
  errors,
  cursorRefused,
  events,
}: {
  page: Page;
  query: JournalQuery;
  services: readonly JournalService[];
  managed: boolean;
  errors: FilterErrors;
  cursorRefused: boolean;
  events: EventsPage | null;
}) {
  const { t } = page;
  const actions = [...LABELLED_ACTIONS]
    .map((action) => ({ value: action, label: actionLabel(t, action) }))
    .sort((a, b) => a.label.localeCompare(b.label, page.locale === "fr" ? "fr-CA" : "en-CA"));
  return (
    <section>
      <h1>{t("journal.title")}</h1>
      <p>{t("journal.intro")}</p>
      {managed ? (
        <p>
          {t("journal.introManager", {
            services: services.map((service) => serviceTitle(page.locale, service)).join(", "),
          })}
        </p>
      ) : null}
      <ErrorSummary t={t} errors={errors} labels={FILTER_LABELS} />
      {cursorRefused ? <Notice kind="error">{t("journal.cursorInvalid")}</Notice> : null}
      <form method="get" action={JOURNAL_PATH} novalidate class="filters">
        <fieldset>
          <legend>{t("journal.filters")}</legend>
          <TextField
            t={t}
            name="personne"
            label="journal.filter.person"
            hint="journal.filter.personHint"
            value={query.personne}
            error={errors.personne}
            maxLength={7}
            autocomplete="off"
          />
          <SelectField
            t={t}
            name="service"
            label="journal.filter.service"
            value={query.service}
            error={errors.service}
            options={[
              { value: "", label: t("journal.filter.allServices") },
              ...services.map((service) => ({
                value: service.code,
                label: serviceTitle(page.locale, service),
              })),
            ]}
          />
          <SelectField
            t={t}
            name="action"
            label="journal.filter.action"
            value={query.action}
            error={errors.action}
            options={[{ value: "", label: t("journal.filter.allActions") }, ...actions]}
          />
          <TextField
            t={t}
            name="du"
            label="journal.filter.from"
            value={query.du}
            error={errors.du}
            type="date"
          />
          <TextField
            t={t}
            name="au"
            label="journal.filter.to"
            value={query.au}
            error={errors.au}
            type="date"
          />
          <p class="actions">
            <button type="submit" class="button">
              {t("journal.filter.submit")}
            </button>
            <a href={JOURNAL_PATH}>{t("journal.filter.reset")}</a>
          </p>
        </fieldset>
      </form>
      {events ? (
        <>
          <p>
            <a class="button button-secondary" href={pageHref(`${JOURNAL_PATH}.csv`, query, null)} download>
              {t("journal.csv")}
            </a>
          </p>
          {events.rows.length === 0 ? (
            <p>{t("journal.empty")}</p>
          ) : (
            <EventsTable page={page} id="journal" rows={events.rows} />
          )}
          <Pager
            page={page}
            href={(cursor) => pageHref(JOURNAL_PATH, query, cursor)}
            first={query.page === "" || cursorRefused}
            next={events.next}
          />
        </>
      ) : null}
    </section>
  );
}

export function HistoryView({
  page,
  events,
  first,
  refused,
}: {
  page: Page;
  events: EventsPage;
  first: boolean;
  refused: boolean;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("history.title")}</h1>
      <p>{t("history.intro")}</p>
      {refused ? <Notice kind="error">{t("journal.cursorInvalid")}</Notice> : null}
      {events.rows.length === 0 ? (
        <p>{t("journal.empty")}</p>
      ) : (
        <EventsTable page={page} id="historique" rows={events.rows} />
      )}
      <Pager
        page={page}
        href={(cursor) => pageHref(HISTORY_PATH, {}, cursor)}
        first={first}
        next={events.next}
      />
      <p>
        <a href="/profil">{t("history.backToProfile")}</a>
      </p>
    </section>
  );
}
