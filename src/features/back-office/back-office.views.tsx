// Pages of the ministry's back office: the queue, one request and its decision, the managers' search, the
// identification codes and the printable letter. Without JavaScript; every text from the catalogue.
import { Fragment } from "preact";
import type { ManagerRole } from "../../db/schema.js";
import { can } from "../../policy/policy.js";
import { formatDay, formatMoment, montrealDay } from "../../util/days.js";
import type { FieldError, FieldErrors } from "../../web/forms.js";
import {
  CsrfField,
  civilityText,
  ErrorSummary,
  Notice,
  SelectField,
  TextAreaField,
  TextField,
} from "../../web/forms.js";
import { FrenchName, ServiceTitle, serviceTitle } from "../../web/localized.js";
import type { MessageKey, Translate } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import type {
  Holders,
  ManagerSearch,
  OrganizationMatch,
  Queue,
  QueueService,
  RequestDetails,
  StatusParam,
} from "./back-office.service.js";

export const LETTER_CSS_PATH = "/ministere/lettre.css";

const STATUS: Record<"pending" | "approved" | "rejected", MessageKey> = {
  pending: "backOffice.status.pending",
  approved: "backOffice.status.approved",
  rejected: "backOffice.status.rejected",
};

const ROLE: Record<ManagerRole | "deputy", MessageKey> = {
  local_manager: "backOffice.role.local_manager",
  agent_manager: "backOffice.role.agent_manager",
  deputy: "backOffice.role.deputy",
};

const STATUS_OPTIONS: { value: StatusParam; key: MessageKey }[] = [
  { value: "en_attente", key: "backOffice.status.pending" },
  { value: "approuvee", key: "backOffice.status.approved" },
  { value: "refusee", key: "backOffice.status.rejected" },
  { value: "toutes", key: "backOffice.queue.allStatuses" },
];

/** A role's name at the start of a line: « Gestionnaire local des droits d'accès ». */
function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function addressOf(parts: {
  civic_number: string | null;
  street: string | null;
  city: string | null;
  postal_code: string | null;
}): string[] {
  const street = [parts.civic_number, parts.street].filter(Boolean).join(", ");
  const city = [parts.city, parts.postal_code].filter(Boolean).join(" ");
  return [street, city].filter((line) => line !== "");
}

function Lines({ lines }: { lines: string[] }) {
  return (
    <>
      {lines.map((line, index) => (
        <span key={line}>
          {index > 0 ? <br /> : null}
          {line}
        </span>
      ))}
    </>
  );
}

function BackLink({ page }: { page: Page }) {
  return (
    <p>
      <a href="/ministere">{page.t("backOffice.back")}</a>
    </p>
  );
}

export function BackOfficeHomeView({ page, ministryName }: { page: Page; ministryName: string }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("backOffice.title")}</h1>
      <p>{t("backOffice.intro", { ministry: ministryName })}</p>
      <ul class="card-list">
        <li>
          <a href="/ministere/demandes">{t("backOffice.queue")}</a>
          <p class="hint">{t("backOffice.queueHint")}</p>
        </li>
        <li>
          <a href="/ministere/demandes-transmises">{t("applications.ministry.title")}</a>
          <p class="hint">{t("applications.ministry.homeHint")}</p>
        </li>
        <li>
          <a href="/ministere/gestionnaires">{t("backOffice.managers")}</a>
          <p class="hint">{t("backOffice.managersHint")}</p>
        </li>
        <li>
          <a href="/ministere/services-sans-gestionnaire">{t("backOffice.gaps")}</a>
          <p class="hint">{t("backOffice.gapsHint")}</p>
        </li>
        <li>
          <a href="/ministere/revues">{t("reviews.completionTitle")}</a>
          <p class="hint">{t("reviews.ministryHint")}</p>
        </li>
        <li>
          <a href="/ministere/codes-identification">{t("backOffice.codes")}</a>
          <p class="hint">{t("backOffice.codesHint")}</p>
        </li>
        <li>
          <a href="/ministere/services-externes">{t("externalServices.title")}</a>
          <p class="hint">{t("externalServices.homeHint")}</p>
        </li>
      </ul>
    </section>
  );
}

// --- The queue

const QUEUE_LABELS: Record<string, MessageKey> = {
  statut: "backOffice.queue.status",
  service: "backOffice.queue.service",
  organisation: "backOffice.queue.organization",
};

function organizationLabel(row: { organization_name: string; geo_code: string | null; neq: string | null }) {
  const id = row.geo_code ?? row.neq;
  return id ? `${row.organization_name} (${id})` : row.organization_name;
}

/** The filter « Service en ligne » of a back-office list: every service of the ministry, or one. */
export function MinistryServiceField({
  page,
  label,
  services,
  value,
  error,
  empty = "backOffice.queue.allServices",
  name = "service",
}: {
  page: Page;
  label: MessageKey;
  services: readonly QueueService[];
  value: string;
  error: FieldError | undefined;
  /** The first, empty choice: all services for a filter; « choose one » where one is needed. */
  empty?: MessageKey;
  /** Another name where a page has a second service field (its id is made from the name). */
  name?: string;
}) {
  const { t } = page;
  return (
    <SelectField
      t={t}
      name={name}
      label={label}
      value={value}
      error={error}
      options={[
        { value: "", label: t(empty) },
        ...services.map((s) => ({ value: String(s.id), label: serviceTitle(page.locale, s) })),
      ]}
    />
  );
}

/** A GET form filtering a back-office list by one of the ministry's services, with its « Afficher » button. */
export function MinistryServiceFilter({
  page,
  action,
  label,
  apply,
  services,
  value,
  error,
}: {
  page: Page;
  action: string;
  label: MessageKey;
  apply: MessageKey;
  services: readonly QueueService[];
  value: string;
  error: FieldError | undefined;
}) {
  return (
    <form method="get" action={action} class="filters" novalidate>
      <MinistryServiceField page={page} label={label} services={services} value={value} error={error} />
      <div class="actions">
        <button type="submit">{page.t(apply)}</button>
      </div>
    </form>
  );
}

export function QueueView({ page, queue }: { page: Page; queue: Queue }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("backOffice.queue.title")}</h1>
      <p>{t("backOffice.queue.intro", { ministry: queue.ministryName })}</p>
      <ErrorSummary t={t} errors={queue.errors} labels={QUEUE_LABELS} />
      <form method="get" action="/ministere/demandes" class="filters" novalidate>
        <fieldset>
          <legend>{t("backOffice.queue.filters")}</legend>
          <SelectField
            t={t}
            name="statut"
            label="backOffice.queue.status"
            value={queue.query.status}
            error={queue.errors.statut}
            options={STATUS_OPTIONS.map((o) => ({ value: o.value, label: t(o.key) }))}
          />
          <MinistryServiceField
            page={page}
            label="backOffice.queue.service"
            services={queue.services}
            value={queue.query.service}
            error={queue.errors.service}
          />
          <TextField
            t={t}
            name="organisation"
            label="backOffice.queue.organization"
            hint="backOffice.queue.organizationHint"
            value={queue.query.organization}
            error={queue.errors.organisation}
            maxLength={200}
          />
          <div class="actions">
            <button type="submit">{t("backOffice.queue.apply")}</button>
            <a href="/ministere/demandes">{t("backOffice.queue.reset")}</a>
          </div>
        </fieldset>
      </form>
      {queue.rows.length === 0 ? (
        <p>{t("backOffice.queue.empty")}</p>
      ) : (
        <>
          <p role="status">{t("backOffice.queue.count", { count: queue.rows.length })}</p>
          {queue.truncated ? (
            <Notice kind="info">{t("backOffice.queue.truncated", { max: queue.rows.length })}</Notice>
          ) : null}
          <DataTable
            t={t}
            id="demandes"
            caption={t("backOffice.queue.title")}
            columns={[
              "backOffice.col.filedAt",
              "backOffice.col.service",
              "backOffice.col.organization",
              "backOffice.col.role",
              "backOffice.col.designated",
              "backOffice.col.status",
              "backOffice.col.actions",
            ]}
          >
            <tbody>
              {queue.rows.map((row) => (
                <tr key={row.id}>
                  <td>{formatMoment(row.filed_at, page.locale)}</td>
                  <td>{row.service_code}</td>
                  <td>
                    {organizationLabel(row)}
                    {row.service_point_name ? (
                      <>
                        <br />
                        {row.service_point_name}
                      </>
                    ) : null}
                  </td>
                  <td>
                    {capitalized(t(ROLE[row.role]))}
                    {row.replacement ? ` (${t("backOffice.queue.replacement")})` : ""}
                  </td>
                  <td>{`${row.designated_first_name} ${row.designated_last_name} (${row.designated_code})`}</td>
                  <td class={`status-${row.status}`}>{t(STATUS[row.status])}</td>
                  <td>
                    <a href={`/ministere/demandes/${row.id}`}>
                      {t("backOffice.queue.open")}
                      <span class="visually-hidden">{` : ${t("backOffice.request.title", { id: row.id })}`}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </>
      )}
      <BackLink page={page} />
    </section>
  );
}

// --- One request

/** Labels for the body details the request form keeps, whatever their spelling (camelCase or snake_case). */
const DETAIL_LABELS: Record<string, MessageKey> = {
  category: "backOffice.request.detail.category",
  bodycategory: "backOffice.request.detail.category",
  categorie: "backOffice.request.detail.category",
  name: "backOffice.request.detail.name",
  civicnumber: "backOffice.request.detail.civicNumber",
  street: "backOffice.request.detail.street",
  city: "backOffice.request.detail.city",
  postalcode: "backOffice.request.detail.postalCode",
  region: "backOffice.request.detail.region",
  provincialriding: "backOffice.request.detail.provincialRiding",
  federalriding: "backOffice.request.detail.federalRiding",
};

function detailEntries(details: Record<string, unknown>, t: Translate): [string, string][] {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([key, value]) => {
      const label = DETAIL_LABELS[key.toLowerCase().replace(/[^a-z]/g, "")];
      const text =
        typeof value === "string" || typeof value === "number" || typeof value === "boolean"
          ? String(value)
          : JSON.stringify(value);
      return [label ? t(label) : key, text];
    });
}

function Phone({ t, phone, extension }: { t: Translate; phone: string | null; extension: string | null }) {
  if (!phone) return <>{t("backOffice.none")}</>;
  return <>{extension ? `${phone}, ${t("backOffice.extension", { extension })}` : phone}</>;
}

function PersonRow({ person }: { person: { first_name: string; last_name: string; user_code: string } }) {
  return <>{`${person.first_name} ${person.last_name} (${person.user_code})`}</>;
}

export type RequestForm = { notice: MessageKey | null; errors: FieldErrors; reason: string };

export function RequestView({
  page,
  details,
  form,
}: {
  page: Page;
  details: RequestDetails;
  form: RequestForm;
}) {
  const { t, locale } = page;
  const { request: r, currentHolder, deputies } = details;
  const role = t(ROLE[r.role]);
  const designatedName = `${r.designated_first_name} ${r.designated_last_name}`;
  const details_ = detailEntries(r.organization_details, t);
  const blocked = currentHolder !== null && !r.replacement;
  return (
    <section>
      <h1>{t("backOffice.request.title", { id: r.id })}</h1>
      {form.notice ? <Notice kind="error">{t(form.notice)}</Notice> : null}
      <ErrorSummary t={t} errors={form.errors} labels={{ motif: "backOffice.request.rejectReason" }} />

      <h2>{t("backOffice.request.request")}</h2>
      <dl class="details">
        <dt>{t("backOffice.request.service")}</dt>
        <dd>
          <ServiceTitle
            locale={page.locale}
            service={{ code: r.service_code, name: r.service_name, name_en: r.service_name_en }}
          />
        </dd>
        <dt>{t("backOffice.request.role")}</dt>
        <dd>{capitalized(role)}</dd>
        <dt>{t("backOffice.request.replacement")}</dt>
        <dd>{r.replacement ? t("backOffice.yes") : t("backOffice.no")}</dd>
        {r.reason ? (
          <>
            <dt>{t("backOffice.request.reason")}</dt>
            <dd class="preformatted">{r.reason}</dd>
          </>
        ) : null}
        <dt>{t("backOffice.request.filedAt")}</dt>
        <dd>{formatMoment(r.filed_at, locale)}</dd>
        <dt>{t("backOffice.request.filedBy")}</dt>
        <dd>{`${r.filer_first_name} ${r.filer_last_name} (${r.filer_code}) — ${r.filer_email}`}</dd>
        <dt>{t("backOffice.request.status")}</dt>
        <dd class={`status-${r.status}`}>{t(STATUS[r.status])}</dd>
      </dl>

      <h2>{t("backOffice.request.organization")}</h2>
      <dl class="details">
        <dt>{t("backOffice.request.organizationName")}</dt>
        <dd>
          <FrenchName locale={page.locale} name={r.organization_name} />
        </dd>
        {r.geo_code ? (
          <>
            <dt>{t("backOffice.request.geoCode")}</dt>
            <dd>{r.geo_code}</dd>
          </>
        ) : null}
        {r.neq ? (
          <>
            <dt>{t("backOffice.request.neq")}</dt>
            <dd>{r.neq}</dd>
          </>
        ) : null}
        <dt>{t("backOffice.request.address")}</dt>
        <dd>
          <Lines lines={addressOf(r)} />
        </dd>
        {r.service_point_name ? (
          <>
            <dt>{t("backOffice.request.servicePoint")}</dt>
            <dd>
              <Lines
                lines={[
                  r.service_point_name,
                  ...addressOf({
                    civic_number: r.service_point_civic_number,
                    street: r.service_point_street,
                    city: r.service_point_city,
                    postal_code: r.service_point_postal_code,
                  }),
                ]}
              />
            </dd>
          </>
        ) : null}
      </dl>

      {/* A municipality's request never has the details a public body gives: no heading for nothing. */}
      {details_.length === 0 && r.organization_kind === "municipality" ? null : (
        <>
          <h3>{t("backOffice.request.details")}</h3>
          {details_.length === 0 ? (
            <p>{t("backOffice.request.noDetails")}</p>
          ) : (
            <dl class="details">
              {details_.map(([label, value]) => (
                <Fragment key={label}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </Fragment>
              ))}
            </dl>
          )}
        </>
      )}

      <h2>{t("backOffice.request.authority")}</h2>
      <dl class="details">
        <dt>{t("backOffice.request.name")}</dt>
        <dd>{`${civilityText(t, r.authority_civility)} ${r.authority_first_name} ${r.authority_last_name}`}</dd>
        <dt>{t("backOffice.request.jobTitle")}</dt>
        <dd>{r.authority_job_title}</dd>
        <dt>{t("backOffice.request.phone")}</dt>
        <dd>
          <Phone t={t} phone={r.authority_phone} extension={r.authority_phone_extension} />
        </dd>
        <dt>{t("backOffice.request.email")}</dt>
        <dd>{r.authority_email}</dd>
      </dl>

      <h2>{t("backOffice.request.designated")}</h2>
      {!details.designatedUsable ? (
        <Notice kind="error">
          {t(
            r.designated_disabled_at !== null
              ? "backOffice.request.designatedDisabled"
              : "backOffice.request.designatedMoved",
          )}
        </Notice>
      ) : null}
      <dl class="details">
        <dt>{t("backOffice.request.name")}</dt>
        <dd>
          {`${r.designated_civility ? civilityText(t, r.designated_civility) : ""} ${designatedName}`.trim()}
        </dd>
        <dt>{t("backOffice.request.userCode")}</dt>
        <dd>{r.designated_code}</dd>
        <dt>{t("backOffice.request.jobTitle")}</dt>
        <dd>{r.designated_job_title ?? t("backOffice.none")}</dd>
        <dt>{t("backOffice.request.phone")}</dt>
        <dd>
          <Phone t={t} phone={r.designated_phone} extension={r.designated_phone_extension} />
        </dd>
        <dt>{t("backOffice.request.email")}</dt>
        <dd>{r.designated_email}</dd>
      </dl>

      <h2>{t("backOffice.request.holders")}</h2>
      <dl class="details">
        <dt>{t("backOffice.request.currentManager")}</dt>
        <dd>
          {currentHolder ? (
            <>
              <PersonRow person={currentHolder} />{" "}
              {t("backOffice.since", { date: formatDay(montrealDay(currentHolder.granted_at), locale) })}
            </>
          ) : (
            t("backOffice.none")
          )}
        </dd>
        {r.role === "local_manager" ? (
          <>
            <dt>{t("backOffice.request.deputies")}</dt>
            <dd>
              {deputies.length === 0 ? (
                t("backOffice.none")
              ) : (
                <ul>
                  {deputies.map((d) => (
                    <li key={d.id}>
                      <PersonRow person={d} />
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </>
        ) : null}
      </dl>

      {r.status !== "pending" ? (
        <>
          <h2>{t("backOffice.request.decision")}</h2>
          <dl class="details">
            <dt>{t("backOffice.request.status")}</dt>
            <dd class={`status-${r.status}`}>{t(STATUS[r.status])}</dd>
            {r.decided_at ? (
              <>
                <dt>{t("backOffice.request.decidedAt")}</dt>
                <dd>{formatMoment(r.decided_at, locale)}</dd>
              </>
            ) : null}
            {r.decider_code ? (
              <>
                <dt>{t("backOffice.request.decidedBy")}</dt>
                <dd>{`${r.decider_first_name ?? ""} ${r.decider_last_name ?? ""} (${r.decider_code})`}</dd>
              </>
            ) : null}
            {r.rejection_reason ? (
              <>
                <dt>{t("backOffice.request.rejectionReason")}</dt>
                <dd class="preformatted">{r.rejection_reason}</dd>
              </>
            ) : null}
          </dl>
        </>
      ) : null}

      {details.decidable ? (
        <>
          <section aria-labelledby="approuver">
            <h2 id="approuver">{t("backOffice.request.approveTitle")}</h2>
            {blocked && currentHolder ? (
              <Notice kind="info">
                {t("backOffice.request.approveBlocked", {
                  name: `${currentHolder.first_name} ${currentHolder.last_name}`,
                  role,
                })}
              </Notice>
            ) : (
              <p>
                {t("backOffice.request.approveHint", { name: designatedName, role })}
                {currentHolder && r.replacement
                  ? ` ${t("backOffice.request.approveReplaces", {
                      name: `${currentHolder.first_name} ${currentHolder.last_name}`,
                    })}`
                  : ""}
              </p>
            )}
            {/* Offered even when blocked: the database decides, and says so clearly. */}
            <form method="post" action={`/ministere/demandes/${r.id}/approbation`} novalidate>
              <CsrfField token={page.csrfToken} />
              <button type="submit">{t("backOffice.request.approve")}</button>
            </form>
          </section>
          <section aria-labelledby="refuser">
            <h2 id="refuser">{t("backOffice.request.rejectTitle")}</h2>
            <form method="post" action={`/ministere/demandes/${r.id}/refus`} novalidate>
              <CsrfField token={page.csrfToken} />
              <TextAreaField
                t={t}
                name="motif"
                label="backOffice.request.rejectReason"
                hint="backOffice.request.rejectHint"
                value={form.reason}
                error={form.errors.motif}
                required
              />
              <button type="submit" class="button-danger">
                {t("backOffice.request.reject")}
              </button>
            </form>
          </section>
        </>
      ) : null}
      <p>
        <a href="/ministere/demandes">{t("backOffice.queue.title")}</a>
      </p>
    </section>
  );
}

// --- Managers

const SEARCH_LABELS: Record<string, MessageKey> = {
  organisation: "backOffice.managers.organization",
  service: "backOffice.managers.service",
  utilisateur: "backOffice.managers.deputyCode",
  adjoint: "backOffice.managers.deputies",
};

function HoldersView({
  page,
  holders,
  scope,
}: {
  page: Page;
  holders: Holders;
  /** The organization and service shown, which « Retirer » on a deputy sends back. */
  scope: { organizationId: number; serviceId: number };
}) {
  const { t, locale } = page;
  const since = (at: Date) => formatDay(montrealDay(at), locale);
  return (
    <>
      <h3>{t("backOffice.managers.localManager")}</h3>
      {holders.localManager ? (
        <DataTable
          t={t}
          id="gestionnaire-local"
          caption={t("backOffice.managers.localManager")}
          columns={[
            "backOffice.col.name",
            "backOffice.col.userCode",
            "backOffice.col.email",
            "backOffice.col.since",
          ]}
        >
          <tbody>
            <tr class="local-manager">
              <td>{`${holders.localManager.first_name} ${holders.localManager.last_name}`}</td>
              <td>{holders.localManager.user_code}</td>
              <td>{holders.localManager.email}</td>
              <td>{since(holders.localManager.granted_at)}</td>
            </tr>
          </tbody>
        </DataTable>
      ) : (
        <p>{t("backOffice.managers.noLocalManager")}</p>
      )}
      <h3>{t("backOffice.managers.deputies")}</h3>
      {holders.deputies.length === 0 ? (
        <p>{t("backOffice.managers.noDeputy")}</p>
      ) : (
        <DataTable
          t={t}
          id="adjoints"
          caption={t("backOffice.managers.deputies")}
          columns={[
            "backOffice.col.name",
            "backOffice.col.userCode",
            "backOffice.col.email",
            "backOffice.col.since",
            "backOffice.col.actions",
          ]}
        >
          <tbody>
            {holders.deputies.map((d) => (
              <tr key={d.id} class="deputy">
                <td>{`${d.first_name} ${d.last_name}`}</td>
                <td>{d.user_code}</td>
                <td>{d.email}</td>
                <td>{since(d.granted_at)}</td>
                <td>
                  <form
                    method="post"
                    action={`/ministere/gestionnaires/adjoints/${d.id}/retrait`}
                    class="inline-form"
                    novalidate
                  >
                    <CsrfField token={page.csrfToken} />
                    <input type="hidden" name="organisationId" value={String(scope.organizationId)} />
                    <input type="hidden" name="service" value={String(scope.serviceId)} />
                    <button type="submit" class="button-danger">
                      {t("backOffice.managers.removeDeputy")}
                      <span class="visually-hidden">{` : ${d.first_name} ${d.last_name}`}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {holders.agentManagers.length > 0 ? (
        <>
          <h3>{t("backOffice.managers.agentManagers")}</h3>
          <DataTable
            t={t}
            id="gestionnaires-mandataires"
            caption={t("backOffice.managers.agentManagers")}
            columns={[
              "backOffice.col.servicePoint",
              "backOffice.col.name",
              "backOffice.col.userCode",
              "backOffice.col.email",
              "backOffice.col.since",
            ]}
          >
            <tbody>
              {holders.agentManagers.map((a) => (
                <tr key={a.id} class="agent-manager">
                  <td>{a.service_point_name}</td>
                  <td>{`${a.first_name} ${a.last_name}`}</td>
                  <td>{a.user_code}</td>
                  <td>{a.email}</td>
                  <td>{since(a.granted_at)}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </>
      ) : null}
    </>
  );
}

function matchLabel(match: OrganizationMatch): string {
  const id = match.geo_code ?? match.neq;
  return [match.name, id ? `(${id})` : "", match.city ? `— ${match.city}` : ""].filter(Boolean).join(" ");
}

export function ManagersView({
  page,
  search,
  deputyCode,
}: {
  page: Page;
  search: ManagerSearch;
  /** What was typed in the deputy form, shown again with its error. */
  deputyCode: string;
}) {
  const { t } = page;
  const { query, found } = search;
  return (
    <section>
      <h1>{t("backOffice.managers.title")}</h1>
      <p>{t("backOffice.managers.intro")}</p>
      <ErrorSummary t={t} errors={search.errors} labels={SEARCH_LABELS} />
      <form method="get" action="/ministere/gestionnaires" novalidate>
        <TextField
          t={t}
          name="organisation"
          label="backOffice.managers.organization"
          hint="backOffice.managers.organizationHint"
          value={found ? found.organization.name : query.organization}
          error={search.errors.organisation}
          maxLength={200}
          required
        />
        <SelectField
          t={t}
          name="service"
          label="backOffice.managers.service"
          value={query.service}
          error={search.errors.service}
          options={[
            { value: "", label: t("backOffice.managers.chooseService") },
            ...search.services.map((s) => ({ value: String(s.id), label: serviceTitle(page.locale, s) })),
          ]}
          required
        />
        <div class="actions">
          <button type="submit">{t("backOffice.managers.search")}</button>
        </div>
      </form>

      {search.matches.length > 0 ? (
        <>
          <p>{t("backOffice.managers.choose")}</p>
          <ul class="matches">
            {search.matches.map((m) => (
              <li key={m.id}>
                <a
                  href={`/ministere/gestionnaires?${new URLSearchParams({
                    organisationId: String(m.id),
                    service: query.service,
                  }).toString()}`}
                >
                  {matchLabel(m)}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {found ? (
        <section aria-labelledby="resultat">
          <h2 id="resultat">
            {t("backOffice.managers.resultTitle", {
              organization: matchLabel(found.organization),
              service: serviceTitle(page.locale, found.service),
            })}
          </h2>
          <HoldersView
            page={page}
            holders={found.holders}
            scope={{ organizationId: found.organization.id, serviceId: found.service.id }}
          />
          <h3>{t("backOffice.managers.nameDeputy")}</h3>
          <p>{t("backOffice.managers.nameDeputyIntro", { organization: found.organization.name })}</p>
          <form method="post" action="/ministere/gestionnaires/adjoints" novalidate>
            <CsrfField token={page.csrfToken} />
            <input type="hidden" name="organisationId" value={String(found.organization.id)} />
            <input type="hidden" name="service" value={String(found.service.id)} />
            <TextField
              t={t}
              name="utilisateur"
              label="backOffice.managers.deputyCode"
              hint="backOffice.managers.deputyCodeHint"
              value={deputyCode}
              error={search.errors.utilisateur}
              maxLength={7}
              autocomplete="off"
              required
            />
            <button type="submit">{t("backOffice.managers.nameDeputySubmit")}</button>
          </form>
        </section>
      ) : null}
      <BackLink page={page} />
    </section>
  );
}

// --- Identification codes

export type MunicipalityRow = {
  id: number;
  name: string;
  geo_code: string | null;
  city: string | null;
  issued_at: Date | null;
};

export function CodesView({
  page,
  text,
  municipalities,
  submissionKey,
  error,
}: {
  page: Page;
  text: string;
  municipalities: MunicipalityRow[];
  submissionKey: string;
  error: FieldError | undefined;
}) {
  const { t, locale } = page;
  return (
    <section>
      <h1>{t("backOffice.codes.title")}</h1>
      <p>{t("backOffice.codes.intro")}</p>
      <ErrorSummary
        t={t}
        errors={error ? { organisation: error } : {}}
        labels={{ organisation: "backOffice.codes.municipality" }}
      />
      <form method="get" action="/ministere/codes-identification" novalidate>
        <TextField
          t={t}
          name="organisation"
          label="backOffice.codes.municipality"
          hint="backOffice.codes.municipalityHint"
          value={text}
          error={error}
          maxLength={200}
        />
        <button type="submit">{t("backOffice.codes.search")}</button>
      </form>
      {text !== "" && !error && municipalities.length === 0 ? (
        <p>{t("backOffice.codes.none", { text })}</p>
      ) : null}
      {municipalities.length > 0 ? (
        <DataTable
          t={t}
          id="municipalites"
          caption={t("backOffice.codes.title")}
          columns={[
            "backOffice.codes.municipality",
            "backOffice.col.geoCode",
            "backOffice.col.lastIssued",
            "backOffice.col.actions",
          ]}
        >
          <tbody>
            {municipalities.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.geo_code ?? ""}</td>
                <td>{m.issued_at ? formatMoment(m.issued_at, locale) : t("backOffice.codes.never")}</td>
                <td>
                  <form
                    method="post"
                    action={`/ministere/codes-identification/${m.id}`}
                    class="inline-form"
                    novalidate
                  >
                    <CsrfField token={page.csrfToken} />
                    <input type="hidden" name={SUBMISSION_FIELD} value={submissionKey} />
                    <button type="submit" class="button-secondary">
                      {t(m.issued_at ? "backOffice.codes.reissue" : "backOffice.codes.issue")}
                      <span class="visually-hidden">{` : ${m.name}`}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : null}
      <BackLink page={page} />
    </section>
  );
}

export type LetterFacts = {
  code: string;
  issuedAt: Date;
  municipality: {
    name: string;
    geo_code: string | null;
    civic_number: string | null;
    street: string | null;
    city: string | null;
    postal_code: string | null;
  };
  issuer: {
    name: string;
    civic_number: string | null;
    street: string | null;
    city: string | null;
    postal_code: string | null;
    phone: string | null;
    email: string | null;
  };
};

/** The letter that carries a code to the municipality: shown once, printed on paper without the portal around it. */
export function LetterView({ page, letter }: { page: Page; letter: LetterFacts }) {
  const { t, locale } = page;
  const contact = [letter.issuer.phone, letter.issuer.email].filter(Boolean).join(" · ");
  return (
    <>
      {/* A stylesheet of this page only, for print; a <link> in the body is allowed for stylesheets. */}
      <link rel="stylesheet" href={LETTER_CSS_PATH} />
      <div class="no-print">
        <Notice kind="info">
          <strong>{t("backOffice.letter.once")}</strong> {t("backOffice.letter.print")}
        </Notice>
        <p>
          <a href="/ministere/codes-identification">{t("backOffice.letter.back")}</a>
        </p>
      </div>
      <article class="letter" aria-labelledby="lettre-objet">
        <h1 class="visually-hidden">
          {t("backOffice.letter.title", { municipality: letter.municipality.name })}
        </h1>
        <address class="letter-from">
          <strong>{letter.issuer.name}</strong>
          <br />
          <Lines lines={addressOf(letter.issuer)} />
        </address>
        <p class="letter-date">
          {t("backOffice.letter.date", { date: formatDay(montrealDay(letter.issuedAt), locale) })}
        </p>
        <address class="letter-to" aria-label={t("backOffice.letter.to")}>
          <strong>{letter.municipality.name}</strong>
          <br />
          <Lines lines={addressOf(letter.municipality)} />
        </address>
        <h2 id="lettre-objet" class="letter-subject">
          {t("backOffice.letter.subject")}
        </h2>
        <p>{t("backOffice.letter.greeting")}</p>
        <p>
          {t("backOffice.letter.intro", {
            municipality: letter.municipality.name,
            geoCode: letter.municipality.geo_code ?? "",
          })}
        </p>
        <p class="identification-code">{letter.code}</p>
        <p>{t("backOffice.letter.usage")}</p>
        <p>{t("backOffice.letter.keep")}</p>
        <p>{t("backOffice.letter.closing")}</p>
        <p class="letter-signature">{letter.issuer.name}</p>
        {contact ? <p class="letter-contact">{t("backOffice.letter.contact", { contact })}</p> : null}
      </article>
    </>
  );
}

/** The letter's own stylesheet: the code in large type, and on paper nothing but the letter. */
export const LETTER_CSS = `.letter { max-width: 42rem; margin: 1rem 0; padding: 2rem; border: 1px solid #ccc; background: #fff; }
.letter address { font-style: normal; margin-bottom: 1.5rem; }
.letter-date { text-align: right; }
.letter-subject { font-size: 1.1rem; margin: 1.5rem 0 1rem; }
.identification-code { font-family: "Courier New", monospace; font-size: 2.5rem; font-weight: 700; letter-spacing: 0.2em; text-align: center; margin: 1.5rem 0; padding: 0.75rem; border: 2px solid #000; }
.letter-signature { margin-top: 2.5rem; font-weight: 600; }
@media print {
  @page { margin: 2cm; }
  body { background: #fff; color: #000; }
  .site-header, .site-footer, .skip-link, .no-print, .notice { display: none !important; }
  main { padding: 0; margin: 0; }
  .letter { border: none; padding: 0; max-width: none; margin: 0; }
  .identification-code { font-size: 28pt; }
}
`;

/** On the home page, for the service administrators of a ministry only: the way into the back office. */
export function BackOfficeHomeSection({ page }: { page: Page }) {
  const { t, actor } = page;
  if (actor.kind !== "user") return null;
  if (!can(actor, "accessRequest.review", { ministryId: actor.organizationId }).allowed) return null;
  return (
    <section aria-labelledby="administration-services">
      <h2 id="administration-services">{t("backOffice.title")}</h2>
      <ul class="card-list">
        <li>
          <a href="/ministere">{t("backOffice.title")}</a>
          <p class="hint">{t("backOffice.homeHint")}</p>
        </li>
      </ul>
    </section>
  );
}
