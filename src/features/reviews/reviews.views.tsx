// Pages of « Revue des accès »: the manager's campaign of (O,S), the services officer's lines and history, one past
// campaign, and the ministry's completion by organization with its launch form.
import { formatMoment } from "../../util/days.js";
import { CsrfField, ErrorSummary, type FieldErrors, Notice } from "../../web/forms.js";
import { serviceTitle } from "../../web/localized.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { MinistryServiceField, MinistryServiceFilter } from "../back-office/back-office.views.js";
import { ActionButton } from "../registry/registry.views.js";
import {
  type CampaignView,
  COMPLETION_PATH,
  type CompletionRow,
  campaignPath,
  type DecidedLine,
  HISTORY_PATH,
  type HistoryRow,
  LINE_PATH,
  lineDetail,
  MINISTRY_LINES_PATH,
} from "./reviews.service.js";

const LINE_COLUMNS: readonly MessageKey[] = [
  "reviews.col.person",
  "reviews.col.kind",
  "reviews.col.detail",
  "reviews.col.status",
  "reviews.col.actions",
];

function personOf(line: DecidedLine): string {
  return `${line.first_name ?? ""} ${line.last_name ?? ""} (${line.user_code ?? ""})`;
}

function statusOf(page: Page, line: DecidedLine): string {
  const { t } = page;
  if (line.decision !== null && line.decided_at !== null) {
    const name = `${line.decider_first_name ?? ""} ${line.decider_last_name ?? ""}`.trim();
    return t(`reviews.status.${line.decision}`, { name, date: formatMoment(line.decided_at, page.locale) });
  }
  if (line.outcome !== null) return t(`reviews.status.${line.outcome}`);
  if (line.own) return t("reviews.status.own");
  return t("reviews.status.pending");
}

/** The lines of a campaign, with « Confirmer » and « Retirer » on those the reader may decide now. */
function LinesTable({
  page,
  id,
  caption,
  lines,
  organizations = false,
}: {
  page: Page;
  id: string;
  caption: string;
  lines: DecidedLine[];
  /** The ministry's lines come from several organizations: each person's is named. */
  organizations?: boolean;
}) {
  const { t } = page;
  return (
    <DataTable t={t} id={id} caption={caption} columns={LINE_COLUMNS} class="review-lines">
      <tbody>
        {lines.map((line) => {
          const who = personOf(line);
          return (
            <tr key={line.line_id} data-line={String(line.line_id)}>
              <td>{organizations ? `${who}, ${line.organization_name}` : who}</td>
              <td>
                {t(`reviews.kind.${line.kind ?? "access_grant"}`)}
                {line.service_code ? ` — ${line.service_code}` : ""}
              </td>
              <td>{lineDetail(t, line)}</td>
              <td>{statusOf(page, line)}</td>
              <td>
                {line.decidable ? (
                  <div class="actions">
                    <ActionButton
                      page={page}
                      action={`${LINE_PATH}/${line.line_id}/confirmer`}
                      label="reviews.confirm"
                      about={who}
                    />
                    <ActionButton
                      page={page}
                      action={`${LINE_PATH}/${line.line_id}/retirer`}
                      label="reviews.remove"
                      about={who}
                      danger
                    />
                  </div>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </DataTable>
  );
}

function CampaignHeading({ page, campaign }: { page: Page; campaign: CampaignView }) {
  const { t } = page;
  const decided = campaign.lines.filter((line) => line.decision !== null).length;
  const deadline = formatMoment(campaign.deadline, page.locale);
  return (
    <>
      <p>
        {campaign.closedAt === null
          ? t("reviews.campaign", { start: formatMoment(campaign.startedAt, page.locale), deadline })
          : t("reviews.campaignClosed", { closed: formatMoment(campaign.closedAt, page.locale), deadline })}
      </p>
      <p role="status">{t("reviews.progress", { decided, lines: campaign.lines.length })}</p>
    </>
  );
}

function ErrorNotice({ page, error }: { page: Page; error: MessageKey | null }) {
  return error ? <Notice kind="error">{page.t(error)}</Notice> : null;
}

/** « Revue des accès » of (O,S): the latest campaign, for its local manager and deputies. */
export function ManagerReviewView({
  page,
  service,
  organization,
  campaign,
  error,
}: {
  page: Page;
  service: { code: string; name: string; name_en?: string | null };
  organization: { id: number; name: string };
  campaign: CampaignView | null;
  error: MessageKey | null;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("reviews.title")}</h1>
      <p class="lead">
        {t("registry.subtitle", {
          organization: organization.name,
          service: serviceTitle(page.locale, service),
        })}
      </p>
      <ErrorNotice page={page} error={error} />
      {campaign === null ? (
        <p>{t("reviews.none")}</p>
      ) : (
        <>
          <p>
            {t("reviews.managerIntro", {
              organization: organization.name,
              unconfirmed: t(`reviews.unconfirmed.${campaign.unconfirmed}`),
            })}
          </p>
          <CampaignHeading page={page} campaign={campaign} />
          {campaign.lines.length === 0 ? (
            <p>{t("reviews.noLines")}</p>
          ) : (
            <LinesTable page={page} id="lignes" caption={t("reviews.title")} lines={campaign.lines} />
          )}
        </>
      )}
    </section>
  );
}

function scopeOf(
  page: Page,
  row: { service_code: string | null; service_name: string | null; service_name_en: string | null },
) {
  return row.service_code === null
    ? page.t("reviews.holders")
    : serviceTitle(page.locale, {
        code: row.service_code,
        name: row.service_name ?? row.service_code,
        name_en: row.service_name_en,
      });
}

/** The services officer's « Revue des accès »: the lines waiting for them, then the organization's history. */
export function OrganizationReviewsView({
  page,
  lines,
  history,
  error,
}: {
  page: Page;
  lines: DecidedLine[];
  history: HistoryRow[];
  error: MessageKey | null;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("reviews.title")}</h1>
      <ErrorNotice page={page} error={error} />
      <p>{t("reviews.officerIntro")}</p>
      <h2>{t("reviews.officerLines")}</h2>
      {lines.length === 0 ? (
        <p>{t("reviews.officerNone")}</p>
      ) : (
        <LinesTable page={page} id="a-decider" caption={t("reviews.officerLines")} lines={lines} />
      )}
      <h2>{t("reviews.history")}</h2>
      {history.length === 0 ? (
        <p>{t("reviews.historyNone")}</p>
      ) : (
        <>
          <p>
            <a href={`${HISTORY_PATH}.csv`}>{t("reviews.csv")}</a>
          </p>
          <DataTable
            t={t}
            id="historique"
            caption={t("reviews.history")}
            class="review-history"
            columns={[
              "reviews.col.service",
              "reviews.col.started",
              "reviews.col.deadline",
              "reviews.col.lines",
              "reviews.col.confirmed",
              "reviews.col.removed",
              "reviews.col.ended",
              "reviews.col.flagged",
              "reviews.col.actions",
            ]}
          >
            <tbody>
              {history.map((row) => (
                <tr key={row.id}>
                  <td>
                    {scopeOf(page, row)}
                    {` (${t(row.launched_by === null ? "reviews.scheduled" : "reviews.launchedByMinistry")})`}
                  </td>
                  <td>{formatMoment(row.started_at, page.locale)}</td>
                  <td>
                    {formatMoment(row.deadline, page.locale)}
                    {row.closed_at === null ? ` — ${t("reviews.inProgress")}` : ""}
                  </td>
                  <td>{row.lines}</td>
                  <td>{row.confirmed}</td>
                  <td>{row.removed}</td>
                  <td>{row.ended}</td>
                  <td>{row.flagged}</td>
                  <td>
                    <a href={campaignPath(row.id)}>
                      {t("reviews.open")}
                      <span class="visually-hidden">{` : ${scopeOf(page, row)}, ${formatMoment(row.started_at, page.locale)}`}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </>
      )}
    </section>
  );
}

/** One campaign of the organization, for its services officer. */
export function CampaignPageView({ page, campaign }: { page: Page; campaign: CampaignView }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("reviews.title")}</h1>
      <p class="lead">{`${campaign.organizationName} — ${scopeOf(page, {
        service_code: campaign.serviceCode,
        service_name: campaign.serviceName,
        service_name_en: campaign.serviceNameEn,
      })}`}</p>
      <CampaignHeading page={page} campaign={campaign} />
      {campaign.lines.length === 0 ? (
        <p>{t("reviews.noLines")}</p>
      ) : (
        <LinesTable page={page} id="lignes" caption={t("reviews.title")} lines={campaign.lines} />
      )}
      <p>
        <a href={HISTORY_PATH}>{t("reviews.back")}</a>
      </p>
    </section>
  );
}

/** The managers' own lines in the ministry's services, which they may not decide themselves. */
export function MinistryLinesView({
  page,
  lines,
  error,
}: {
  page: Page;
  lines: DecidedLine[];
  error: MessageKey | null;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("reviews.ministryLines")}</h1>
      <ErrorNotice page={page} error={error} />
      <p>{t("reviews.ministryLinesIntro")}</p>
      {lines.length === 0 ? (
        <p>{t("reviews.officerNone")}</p>
      ) : (
        <LinesTable
          page={page}
          id="a-decider"
          caption={t("reviews.ministryLines")}
          lines={lines}
          organizations
        />
      )}
      <p>
        <a href={COMPLETION_PATH}>{t("reviews.completionTitle")}</a>
      </p>
    </section>
  );
}

/** The ministry's completion by organization, its service filter, and « Lancer une revue ». */
export function CompletionView({
  page,
  completion,
  launch,
}: {
  page: Page;
  completion: {
    services: { id: number; code: string; name: string; name_en: string | null }[];
    errors: FieldErrors;
    query: { service: string };
    rows: CompletionRow[];
    ministryName: string;
  };
  launch: { service: string; errors: FieldErrors };
}) {
  const { t } = page;
  const percent = (decided: number, lines: number) =>
    t("reviews.completionValue", {
      decided,
      lines,
      percent: lines === 0 ? 100 : Math.floor((decided * 100) / lines),
    });
  return (
    <section>
      <h1>{t("reviews.completionTitle")}</h1>
      <p>{t("reviews.completionIntro", { ministry: completion.ministryName })}</p>
      <p>
        <a href={MINISTRY_LINES_PATH}>{t("reviews.ministryLines")}</a>
      </p>
      <ErrorSummary
        t={t}
        errors={{ ...completion.errors, ...launch.errors }}
        labels={{ service: "reviews.service", lancement: "reviews.launchService" }}
      />
      <form method="post" action={COMPLETION_PATH} novalidate>
        <CsrfField token={page.csrfToken} />
        <fieldset>
          <legend>{t("reviews.launch")}</legend>
          <MinistryServiceField
            page={page}
            name="lancement"
            label="reviews.launchService"
            empty="reviews.chooseService"
            services={completion.services}
            value={launch.service}
            error={launch.errors.lancement}
          />
          <div class="actions">
            <button type="submit">{t("reviews.launch")}</button>
          </div>
        </fieldset>
      </form>
      <MinistryServiceFilter
        page={page}
        action={COMPLETION_PATH}
        label="reviews.service"
        apply="reviews.apply"
        services={completion.services}
        value={completion.query.service}
        error={completion.errors.service}
      />
      {completion.rows.length === 0 ? (
        <p>{t("reviews.completionNone")}</p>
      ) : (
        <DataTable
          t={t}
          id="avancement"
          caption={t("reviews.completionTitle")}
          class="review-completion"
          columns={[
            "reviews.col.organization",
            "reviews.col.open",
            "reviews.col.completion",
            "reviews.col.nextDeadline",
            "reviews.col.lastClosed",
          ]}
        >
          <tbody>
            {completion.rows.map((row) => (
              <tr key={row.organization_id} data-organization={String(row.organization_id)}>
                <td>{row.organization_name}</td>
                <td>{row.open_campaigns}</td>
                <td>
                  {row.open_campaigns > 0
                    ? percent(row.open_decided, row.open_lines)
                    : percent(row.closed_decided, row.closed_lines)}
                </td>
                <td>
                  {row.next_deadline === null ? "—" : formatMoment(new Date(row.next_deadline), page.locale)}
                </td>
                <td>
                  {row.last_closed === null ? "—" : formatMoment(new Date(row.last_closed), page.locale)}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}
