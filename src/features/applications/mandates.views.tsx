// Pages of « Gestion des mandats »: the organization's current mandates across its services, with « Mettre fin »; the
// dossiers of one service to mandate from (applications and declared dossiers, filtered, by pages, never their
// content); and the two steps of assigning one (the dossier and the agent, then « Confirmer »).

import { formatMoment } from "../../util/days.js";
import { CsrfField, ErrorSummary, type FieldErrors, SelectField, TextField } from "../../web/forms.js";
import { ServiceTitle, serviceTitle } from "../../web/localized.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import type { listMandates, MandateDossierRow, MandatedAgent } from "./applications.queries.js";
import type { MandateDossier, MandateDossiersPage, MandatePreview } from "./applications.service.js";
import { PostButton, paths } from "./applications.views.js";

export type MandateRow = Awaited<ReturnType<typeof listMandates>>[number];

/** What a mandate form sent, kept to show it again with its errors: `service` and `dossier` for a declared one. */
export type MandateForm = {
  number: string;
  service: string;
  dossier: string;
  agent: string;
  errors: FieldErrors;
};

export const EMPTY_MANDATE_FORM: MandateForm = {
  number: "",
  service: "",
  dossier: "",
  agent: "",
  errors: {},
};

const LABELS: Record<string, MessageKey> = {
  demande: "applications.mandate.number",
  dossier: "applications.mandate.dossier",
  agent: "applications.mandate.agentCode",
};

/** The hidden field that says where « Mettre fin » was pressed, so that its answer comes back to the same list. */
export const BACK_TO_DOSSIERS = "dossiers";

export function MandatesView({
  page,
  rows,
  services,
  form,
}: {
  page: Page;
  rows: MandateRow[];
  services: { code: string; name: string }[];
  form: MandateForm;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("applications.mandates.title")}</h1>
      <p>{t("applications.mandates.intro")}</p>
      <section aria-labelledby="dossiers">
        <h2 id="dossiers">{t("applications.mandates.dossiersTitle")}</h2>
        <p>{t("applications.mandates.dossiersIntro")}</p>
        <ul>
          {services.map((service) => (
            <li key={service.code}>
              <a href={paths.serviceMandates(service.code)}>
                {t("applications.mandates.dossiersOf", { service: serviceTitle(page.locale, service) })}
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="attribuer">
        <h2 id="attribuer">{t("applications.mandate.assignTitle")}</h2>
        <ErrorSummary t={t} errors={form.errors} labels={LABELS} />
        <form method="post" action={paths.mandatePreview} novalidate>
          <CsrfField token={page.csrfToken} />
          {form.dossier !== "" || form.errors.dossier ? (
            // A declared dossier named by a list this page cannot show: kept as sent, with its message.
            <>
              <input type="hidden" name="service" value={form.service} />
              <TextField
                t={t}
                name="dossier"
                label="applications.mandate.dossier"
                value={form.dossier}
                error={form.errors.dossier}
                maxLength={200}
                required
              />
            </>
          ) : (
            <TextField
              t={t}
              name="demande"
              label="applications.mandate.number"
              value={form.number}
              error={form.errors.demande}
              inputMode="numeric"
              maxLength={15}
              required
            />
          )}
          <TextField
            t={t}
            name="agent"
            label="applications.mandate.agentCode"
            hint="applications.mandate.agentHint"
            value={form.agent}
            error={form.errors.agent}
            maxLength={7}
            required
          />
          <button type="submit">{t("form.continue")}</button>
        </form>
      </section>
      <h2>{t("applications.mandates.current")}</h2>
      {rows.length === 0 ? (
        <p>{t("applications.mandates.empty")}</p>
      ) : (
        <CurrentMandates page={page} rows={rows} />
      )}
    </section>
  );
}

function agentName(agent: { firstName: string; lastName: string; userCode: string }): string {
  return `${agent.firstName} ${agent.lastName} (${agent.userCode})`;
}

function CurrentMandates({ page, rows }: { page: Page; rows: MandateRow[] }) {
  const { t, locale } = page;
  return (
    <DataTable
      t={t}
      id="mandats-en-cours"
      caption={t("applications.mandates.current")}
      columns={[
        "applications.mandates.service",
        "applications.mandates.application",
        "applications.mandates.agent",
        "applications.mandates.since",
        "users.col.actions",
      ]}
    >
      <tbody>
        {rows.map((row) => {
          const agent = agentName({
            firstName: row.agent_first_name,
            lastName: row.agent_last_name,
            userCode: row.agent_code,
          });
          return (
            <tr key={row.id}>
              <td>{row.service_code}</td>
              <td>{`${row.reference} — ${row.title}`}</td>
              <td>
                {agent}
                <br />
                <span class="hint">{row.firm_name}</span>
              </td>
              <td>
                {t("applications.mandates.assigned", {
                  date: formatMoment(row.assigned_at, locale),
                  name: `${row.assigned_by_first_name} ${row.assigned_by_last_name}`,
                })}
              </td>
              <td>
                <PostButton
                  page={page}
                  action={paths.endMandate(row.service_code, row.id)}
                  label="applications.mandates.end"
                  what={`${agent}, ${row.reference}`}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </DataTable>
  );
}

/** The step before « Confirmer »: the dossier and the person found, as they will be bound. */
export function MandateConfirmView({
  page,
  preview,
  agentCode,
  fromList,
}: {
  page: Page;
  preview: MandatePreview & { ok: true };
  agentCode: string;
  /** Chosen from the service's list of dossiers (rather than by number): « Annuler » and the answer go back there. */
  fromList: boolean;
}) {
  const { t } = page;
  const { dossier, person } = preview;
  const { service } = dossier;
  const declared = dossier.kind === "declared";
  return (
    <section>
      <h1>{t("applications.mandate.confirmTitle")}</h1>
      <dl class="details">
        <dt>{t(declared ? "applications.mandate.dossier" : "applications.mandates.application")}</dt>
        <dd>{`${dossier.reference} — ${dossier.title}`}</dd>
        <dt>{t("applications.mandates.service")}</dt>
        <dd>
          <ServiceTitle locale={page.locale} service={service} />
        </dd>
        <dt>{t("applications.mandates.agent")}</dt>
        <dd>{`${person.first_name} ${person.last_name} (${person.user_code}) — ${person.organization_name}`}</dd>
      </dl>
      <form method="post" action={paths.mandates} novalidate>
        <CsrfField token={page.csrfToken} />
        <DossierFields
          kind={dossier.kind}
          reference={dossier.reference}
          serviceCode={fromList ? service.code : ""}
        />
        <input type="hidden" name="agent" value={agentCode} />
        <div class="actions">
          <button type="submit">{t("applications.mandate.confirm")}</button>
          <a href={fromList ? paths.serviceMandates(service.code) : paths.mandates}>{t("form.cancel")}</a>
        </div>
      </form>
    </section>
  );
}

/**
 * The hidden fields that name a dossier to the mandate forms: a number, or a declared dossier's id; and the service
 * of the list it was chosen from (empty from the number form), where the answer comes back.
 */
function DossierFields({
  kind,
  reference,
  serviceCode,
}: {
  kind: MandateDossier["kind"];
  reference: string;
  serviceCode: string;
}) {
  return (
    <>
      {serviceCode === "" ? null : <input type="hidden" name="service" value={serviceCode} />}
      <input type="hidden" name={kind === "declared" ? "dossier" : "demande"} value={reference} />
    </>
  );
}

const DOSSIER_STATUS: Record<MandateDossierRow["status"], MessageKey> = {
  draft: "applications.status.draft",
  transmitted: "applications.status.transmitted",
  open: "applications.dossiers.status.open",
  closed: "applications.dossiers.status.closed",
};

/** The list's address with its filter and a page: the links of the pages keep the filter. */
function listHref(code: string, filter: { text: string; agent: string }, pageNumber: number): string {
  const query = new URLSearchParams();
  if (filter.text !== "") query.set("texte", filter.text);
  if (filter.agent !== "") query.set("mandataire", filter.agent);
  if (pageNumber > 1) query.set("page", String(pageNumber));
  const search = query.toString();
  return search === "" ? paths.serviceMandates(code) : `${paths.serviceMandates(code)}?${search}`;
}

/**
 * The dossiers of one service: a filter (a GET form, so it works without JavaScript and its address can be kept),
 * the rows with their current agents, each with « Mettre fin », and a choice of agent to mandate; pages when long.
 * A mandate refused comes back here with its form on top, each message next to its field.
 */
export function MandateDossiersView({
  page,
  list,
  form,
}: {
  page: Page;
  list: MandateDossiersPage;
  form: MandateForm;
}) {
  const { t } = page;
  const { service, filter } = list;
  const agentOptions = list.agents.map((agent) => ({
    value: agent.user_code,
    label: `${agent.first_name} ${agent.last_name} (${agent.user_code}) — ${agent.user_organization_name}`,
  }));
  const refused = Object.keys(form.errors).length > 0;
  const field = form.dossier !== "" || form.number === "" ? "dossier" : "demande";
  return (
    <section>
      <h1>{t("applications.dossiers.title", { service: service.code })}</h1>
      <p>
        {t("applications.dossiers.intro", {
          organization: list.organizationName,
          service: serviceTitle(page.locale, service),
        })}
      </p>
      {refused ? (
        <section aria-labelledby="attribuer">
          <h2 id="attribuer">{t("applications.mandate.assignTitle")}</h2>
          <ErrorSummary t={t} errors={form.errors} labels={LABELS} />
          <form method="post" action={paths.mandatePreview} novalidate>
            <CsrfField token={page.csrfToken} />
            <input type="hidden" name="service" value={service.code} />
            <TextField
              t={t}
              name={field}
              label={LABELS[field] ?? "applications.mandate.dossier"}
              value={field === "dossier" ? form.dossier : form.number}
              error={form.errors[field]}
              maxLength={200}
              required
            />
            <SelectField
              t={t}
              name="agent"
              label="applications.mandate.agentCode"
              value={form.agent.toUpperCase()}
              error={form.errors.agent}
              options={[{ value: "", label: "" }, ...agentOptions]}
              required
            />
            <button type="submit">{t("form.continue")}</button>
          </form>
        </section>
      ) : null}
      <form method="get" action={paths.serviceMandates(service.code)} class="filters" novalidate>
        <fieldset>
          <legend>{t("applications.dossiers.filters")}</legend>
          <TextField
            t={t}
            name="texte"
            label="applications.dossiers.text"
            value={filter.text}
            maxLength={200}
          />
          <SelectField
            t={t}
            name="mandataire"
            label="applications.dossiers.agentFilter"
            value={filter.agent}
            options={[
              { value: "", label: t("applications.dossiers.anyAgent") },
              { value: "aucun", label: t("applications.dossiers.noAgent") },
              ...agentOptions,
            ]}
          />
          <button type="submit">{t("applications.dossiers.filter")}</button>
        </fieldset>
      </form>
      <p role="status">{t("applications.dossiers.count", { count: list.total })}</p>
      {list.agents.length === 0 ? <p class="hint">{t("applications.dossiers.noAgentToChoose")}</p> : null}
      {list.rows.length === 0 ? (
        <p>{t("applications.dossiers.empty")}</p>
      ) : (
        <DataTable
          t={t}
          id="dossiers-a-mandater"
          caption={t("applications.dossiers.title", { service: service.code })}
          columns={[
            "applications.dossiers.reference",
            "applications.dossiers.titleCol",
            "applications.dossiers.status",
            "applications.dossiers.agents",
            "applications.dossiers.mandate",
          ]}
        >
          <tbody>
            {list.rows.map((row, index) => (
              <DossierRow
                key={`${row.kind}-${row.dossier_id}`}
                page={page}
                row={row}
                index={index}
                serviceCode={service.code}
                agentOptions={agentOptions}
              />
            ))}
          </tbody>
        </DataTable>
      )}
      <Pages page={page} list={list} />
      <p>
        <a href={paths.mandates}>{t("applications.mandates.title")}</a>
      </p>
    </section>
  );
}

function DossierRow({
  page,
  row,
  index,
  serviceCode,
  agentOptions,
}: {
  page: Page;
  row: MandateDossierRow;
  index: number;
  serviceCode: string;
  agentOptions: { value: string; label: string }[];
}) {
  const { t } = page;
  const id = `mandat-${index}-agent`;
  const mandatable = row.status !== "closed" && agentOptions.length > 0;
  return (
    <tr>
      <td>
        {row.reference}
        <br />
        <span class="hint">{t(`applications.dossiers.kind.${row.kind}`)}</span>
      </td>
      <td>{row.title}</td>
      <td>{t(DOSSIER_STATUS[row.status])}</td>
      <td>
        {row.agents.length === 0 ? (
          t("applications.dossiers.none")
        ) : (
          <ul class="plain-list">
            {row.agents.map((agent: MandatedAgent) => (
              <li key={agent.mandateId}>
                {agentName(agent)} <span class="hint">{agent.firm}</span>{" "}
                <PostButton
                  page={page}
                  action={paths.endMandate(serviceCode, agent.mandateId)}
                  label="applications.mandates.end"
                  what={`${agentName(agent)}, ${row.reference}`}
                  hidden={{ retour: BACK_TO_DOSSIERS }}
                />
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {mandatable ? (
          <form method="post" action={paths.mandatePreview} class="inline-form" novalidate>
            <CsrfField token={page.csrfToken} />
            <DossierFields kind={row.kind} reference={row.reference} serviceCode={serviceCode} />
            <label for={id} class="visually-hidden">
              {t("applications.dossiers.chooseAgent", { dossier: `${row.reference} — ${row.title}` })}
            </label>
            <select id={id} name="agent">
              {agentOptions.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>{" "}
            <button type="submit">{t("applications.dossiers.mandate")}</button>
          </form>
        ) : null}
      </td>
    </tr>
  );
}

function Pages({ page, list }: { page: Page; list: MandateDossiersPage }) {
  const { t } = page;
  if (list.pages <= 1 && list.page === 1) return null;
  const code = list.service.code;
  return (
    <nav aria-label={t("applications.dossiers.pages")}>
      {list.page > 1 ? (
        <a href={listHref(code, list.filter, Math.min(list.page - 1, list.pages))} rel="prev">
          {t("applications.dossiers.previous")}
        </a>
      ) : null}{" "}
      <span>{t("applications.dossiers.pageOf", { page: String(list.page), pages: String(list.pages) })}</span>{" "}
      {list.page < list.pages ? (
        <a href={listHref(code, list.filter, list.page + 1)} rel="next">
          {t("applications.dossiers.next")}
        </a>
      ) : null}
    </nav>
  );
}
