// Pages of « Gestion des procurations » and « Gestion des droits d'accès » (seed 003), without JavaScript.
import type { Day } from "../../db/schema.js";
import { formatDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import {
  CsrfField,
  ErrorSummary,
  FieldNotes,
  groupControl,
  RequiredNote,
  TextField,
} from "../../web/forms.js";
import { Localized, localizedText, ServiceTitle } from "../../web/localized.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import type { AssignableUser, MinistryOption, ProcurationStatus } from "./procurations.service.js";
import type { ScopeForm } from "./procurations.validation.js";

export type ScopeItem = {
  ministry_id: number;
  ministry_name: string;
  ministry_name_en: string | null;
  restricted: boolean;
  services: { service_id: number; code: string; name: string; name_en: string | null }[];
};

const STATUS: Record<ProcurationStatus, MessageKey> = {
  valid: "procurations.status.valid",
  upcoming: "procurations.status.upcoming",
  expired: "procurations.status.expired",
  ended: "procurations.status.ended",
};

const FORM_LABELS: Record<string, MessageKey> = {
  nom: "procurations.name",
  dateFin: "procurations.endDate",
  ministeres: "procurations.ministries",
  utilisateurs: "procurations.users",
};

/** The end form names its one field « Dernier jour de validité »: the summary says so too. */
const END_LABELS: Record<string, MessageKey> = { dateFin: "procurations.endOn" };

function labelsFor(errors: FieldErrors): Record<string, MessageKey> {
  const labels: Record<string, MessageKey> = { ...FORM_LABELS };
  for (const name of Object.keys(errors))
    if (name.startsWith("services_")) labels[name] = "procurations.services";
  return labels;
}

export function ScopeSummary({ page, scope }: { page: Page; scope: ScopeItem[] }) {
  const { t } = page;
  return (
    <ul class="scope">
      {scope.map((item) => (
        <li key={item.ministry_id}>
          <strong>
            <Localized locale={page.locale} fr={item.ministry_name} en={item.ministry_name_en} />
          </strong>{" "}
          — {item.restricted ? t("procurations.restricted") : t("procurations.unrestricted")}
          {item.restricted ? (
            <ul>
              {item.services.map((s) => (
                <li key={s.service_id}>
                  <ServiceTitle locale={page.locale} service={s} />
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Turns a validated form back into the scope items the summary shows. */
export function scopeItems(form: ScopeForm, ministries: MinistryOption[]): ScopeItem[] {
  return form.ministryIds.flatMap((id) => {
    const ministry = ministries.find((m) => m.id === id);
    if (!ministry) return [];
    const chosen = new Set(form.serviceIds.get(id) ?? []);
    const restricted = form.restricted.get(id) ?? false;
    return [
      {
        ministry_id: id,
        ministry_name: ministry.name,
        ministry_name_en: ministry.name_en,
        restricted,
        services: restricted
          ? ministry.services
              .filter((s) => chosen.has(s.id))
              .map((s) => ({ service_id: s.id, code: s.code, name: s.name, name_en: s.name_en }))
          : [],
      },
    ];
  });
}

export function ProcurationListView({
  page,
  rows,
}: {
  page: Page;
  rows: {
    id: number;
    name: string;
    end_date: Day;
    holders: number;
    status: ProcurationStatus;
    scope: ScopeItem[];
  }[];
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("procurations.title")}</h1>
      <p>{t("procurations.intro")}</p>
      <p>
        <a class="button" href="/procurations/ajouter">
          {t("procurations.add")}
        </a>
      </p>
      {rows.length === 0 ? (
        <p>{t("procurations.empty")}</p>
      ) : (
        <DataTable
          t={t}
          id="procurations"
          caption={t("procurations.title")}
          columns={[
            "procurations.name",
            "procurations.ministries",
            "procurations.endDate",
            "procurations.holders",
            "procurations.status",
            "users.col.actions",
          ]}
        >
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td>{row.name}</td>
                <td>
                  <ScopeSummary page={page} scope={row.scope} />
                </td>
                <td>{formatDay(row.end_date, page.locale)}</td>
                <td>{row.holders}</td>
                <td class={`status-${row.status}`}>{t(STATUS[row.status])}</td>
                <td>
                  <a href={`/procurations/${row.id}`}>
                    {t("procurations.details")}
                    <span class="visually-hidden">{` : ${row.name}`}</span>
                  </a>
                  {row.status === "valid" || row.status === "upcoming" ? (
                    <>
                      {" · "}
                      <a href={`/procurations/${row.id}/assigner`}>
                        {t("procurations.assign")}
                        <span class="visually-hidden">{` : ${row.name}`}</span>
                      </a>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

export function AddChoiceView({ page }: { page: Page }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("procurations.addTitle")}</h1>
      <p>{t("procurations.addIntro")}</p>
      <p>
        <a class="button" href="/procurations/nouvelle">
          {t("procurations.internal")}
        </a>{" "}
        <a href="/procurations">{t("form.cancel")}</a>
      </p>
    </section>
  );
}

/** The scope fields: end date, and for each ministry a box, « sans / avec restriction », and its services. */
function ScopeFields({
  page,
  form,
  ministries,
  errors,
  withName,
}: {
  page: Page;
  form: ScopeForm;
  ministries: MinistryOption[];
  errors: FieldErrors;
  withName: boolean;
}) {
  const { t } = page;
  return (
    <>
      {withName ? (
        <TextField
          t={t}
          name="nom"
          label="procurations.name"
          value={form.name}
          error={errors.nom}
          required
          maxLength={200}
        />
      ) : null}
      <TextField
        t={t}
        name="dateFin"
        label="procurations.endDate"
        type="date"
        value={form.endDate}
        error={errors.dateFin}
        hint="procurations.endDateHint"
        required
      />
      <fieldset id="groupe-ministeres" class={errors.ministeres ? "field-error" : ""}>
        <legend>
          {t("procurations.ministries")}
          <span aria-hidden="true"> *</span>
        </legend>
        <FieldNotes t={t} id="champ-ministeres" error={errors.ministeres} />
        {ministries.map((ministry, index) => {
          const chosen = form.ministryIds.includes(ministry.id);
          const restricted = form.restricted.get(ministry.id) ?? false;
          const services = new Set(form.serviceIds.get(ministry.id) ?? []);
          const servicesName = `services_${ministry.id}`;
          const serviceError = errors[servicesName];
          return (
            <div class="ministry-choice" key={ministry.id}>
              <label>
                <input
                  type="checkbox"
                  name="ministeres"
                  value={String(ministry.id)}
                  checked={chosen}
                  {...groupControl("ministeres", index, errors.ministeres)}
                />{" "}
                <strong>
                  <Localized locale={page.locale} fr={ministry.name} en={ministry.name_en} />
                </strong>
              </label>
              <fieldset class="nested">
                <legend>
                  {t("procurations.access", {
                    ministry: ministry.acronym ?? localizedText(page.locale, ministry.name, ministry.name_en),
                  })}
                </legend>
                <label>
                  <input type="radio" name={`portee_${ministry.id}`} value="toutes" checked={!restricted} />{" "}
                  {t("procurations.unrestricted")}
                </label>
                <label>
                  <input
                    type="radio"
                    name={`portee_${ministry.id}`}
                    value="restreinte"
                    checked={restricted}
                  />{" "}
                  {t("procurations.restricted")}
                </label>
                <fieldset
                  id={`groupe-${servicesName}`}
                  class={serviceError ? "nested services field-error" : "nested services"}
                >
                  <legend>{t("procurations.services")}</legend>
                  <FieldNotes t={t} id={`champ-${servicesName}`} error={serviceError} />
                  {ministry.services.map((service, serviceIndex) => (
                    <label class="service-choice" key={service.id}>
                      <input
                        type="checkbox"
                        name={servicesName}
                        value={String(service.id)}
                        checked={services.has(service.id)}
                        {...groupControl(servicesName, serviceIndex, serviceError)}
                      />{" "}
                      <ServiceTitle locale={page.locale} service={service} />
                    </label>
                  ))}
                </fieldset>
              </fieldset>
            </div>
          );
        })}
      </fieldset>
    </>
  );
}

/** Carries a form across the summary step as hidden fields; the server checks everything again at « Transmettre ». */
function HiddenScope({ form }: { form: ScopeForm }) {
  return (
    <>
      <input type="hidden" name="nom" value={form.name} />
      <input type="hidden" name="dateFin" value={form.endDate} />
      {form.ministryIds.map((id) => (
        <span key={id}>
          <input type="hidden" name="ministeres" value={String(id)} />
          <input
            type="hidden"
            name={`portee_${id}`}
            value={form.restricted.get(id) ? "restreinte" : "toutes"}
          />
          {(form.serviceIds.get(id) ?? []).map((serviceId) => (
            <input key={serviceId} type="hidden" name={`services_${id}`} value={String(serviceId)} />
          ))}
        </span>
      ))}
    </>
  );
}

export type ScopeFlow = {
  title: MessageKey;
  /** Where « Continuer » posts the form to get its summary. */
  summaryAction: string;
  /** Where « Transmettre » posts the summary. */
  submitAction: string;
  withName: boolean;
  /** Hidden fields that travel with the form (the chosen user, the one-time key). */
  hidden: Record<string, string>;
  /** A line shown above the form, such as the user the procuration is for. */
  lead?: string;
  /** Where « Annuler » leads (the page the person came from); the procurations' list when absent. */
  cancel?: string;
};

export function ScopeFormView({
  page,
  flow,
  form,
  ministries,
  errors,
}: {
  page: Page;
  flow: ScopeFlow;
  form: ScopeForm;
  ministries: MinistryOption[];
  errors: FieldErrors;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t(flow.title)}</h1>
      {flow.lead ? <p>{flow.lead}</p> : null}
      <ErrorSummary t={t} errors={errors} labels={labelsFor(errors)} />
      <form method="post" action={flow.summaryAction} novalidate>
        <CsrfField token={page.csrfToken} />
        {Object.entries(flow.hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <RequiredNote t={t} />
        <ScopeFields
          page={page}
          form={form}
          ministries={ministries}
          errors={errors}
          withName={flow.withName}
        />
        <div class="actions">
          <button type="submit">{t("form.continue")}</button>
          <a href={flow.cancel ?? "/procurations"}>{t("form.cancel")}</a>
        </div>
      </form>
    </section>
  );
}

export function ScopeSummaryView({
  page,
  flow,
  form,
  ministries,
}: {
  page: Page;
  flow: ScopeFlow;
  form: ScopeForm;
  ministries: MinistryOption[];
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("procurations.summaryTitle")}</h1>
      <p>{t("procurations.summaryIntro")}</p>
      {flow.lead ? <p>{flow.lead}</p> : null}
      <dl class="details">
        {flow.withName ? (
          <>
            <dt>{t("procurations.name")}</dt>
            <dd>{form.name}</dd>
          </>
        ) : null}
        <dt>{t("procurations.endDate")}</dt>
        <dd>{formatDay(form.endDate, page.locale)}</dd>
        <dt>{t("procurations.ministries")}</dt>
        <dd>
          <ScopeSummary page={page} scope={scopeItems(form, ministries)} />
        </dd>
      </dl>
      <form method="post" action={flow.submitAction} novalidate>
        <CsrfField token={page.csrfToken} />
        {Object.entries(flow.hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <HiddenScope form={form} />
        <div class="actions">
          <button type="submit">{t("procurations.transmit")}</button>
          <button type="submit" class="button-secondary" formaction={`${flow.summaryAction}?modifier=1`}>
            {t("procurations.edit")}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ProcurationDetailView({
  page,
  procuration,
  scope,
  holders,
  status,
  errors,
  endDate,
}: {
  page: Page;
  procuration: { id: number; name: string; start_date: Day; end_date: Day };
  scope: ScopeItem[];
  holders: { user_id: number; user_code: string; first_name: string; last_name: string }[];
  status: ProcurationStatus;
  errors: FieldErrors;
  endDate: string;
}) {
  const { t } = page;
  const open = status === "valid" || status === "upcoming";
  const base = `/procurations/${procuration.id}`;
  return (
    <section>
      <h1>{t("procurations.detailTitle", { name: procuration.name })}</h1>
      <dl class="details">
        <dt>{t("procurations.status")}</dt>
        <dd class={`status-${status}`}>{t(STATUS[status])}</dd>
        <dt>{t("procurations.startDate")}</dt>
        <dd>{formatDay(procuration.start_date, page.locale)}</dd>
        <dt>{t("procurations.endDate")}</dt>
        <dd>{formatDay(procuration.end_date, page.locale)}</dd>
        <dt>{t("procurations.ministries")}</dt>
        <dd>
          <ScopeSummary page={page} scope={scope} />
        </dd>
      </dl>
      <h2>{t("procurations.holders")}</h2>
      {holders.length === 0 ? (
        <p>{t("procurations.noHolder")}</p>
      ) : (
        <ul>
          {holders.map((h) => (
            <li key={h.user_id}>
              {`${h.first_name} ${h.last_name} (${h.user_code})`}{" "}
              <form
                method="post"
                action={`${base}/titulaires/${h.user_id}/retrait`}
                class="inline-form"
                novalidate
              >
                <CsrfField token={page.csrfToken} />
                <button type="submit" class="link-button">
                  {t("procurations.removeHolder")}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      {open ? (
        <>
          <div class="actions">
            <a class="button" href={`${base}/assigner`}>
              {t("procurations.assign")}
            </a>
            <a class="button button-secondary" href={`${base}/modifier`}>
              {t("procurations.change")}
            </a>
          </div>
          <h2>{t("procurations.endTitle")}</h2>
          <ErrorSummary t={t} errors={errors} labels={END_LABELS} />
          <form method="post" action={`${base}/fin`} novalidate>
            <CsrfField token={page.csrfToken} />
            <TextField
              t={t}
              name="dateFin"
              label="procurations.endOn"
              type="date"
              value={endDate}
              error={errors.dateFin}
              hint="procurations.endOnHint"
            />
            <div class="actions">
              <button type="submit" class="button-secondary">
                {t("procurations.endAtDate")}
              </button>
              <button type="submit" class="button-danger" name="immediatement" value="1">
                {t("procurations.endNow")}
              </button>
            </div>
          </form>
        </>
      ) : null}
      <p>
        <a href="/procurations">{t("form.back")}</a>
      </p>
    </section>
  );
}

export function AssignStartView({
  page,
  procuration,
  scope,
}: {
  page: Page;
  procuration: { id: number; name: string; end_date: Day };
  scope: ScopeItem[];
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("procurations.assignTitle", { name: procuration.name })}</h1>
      <dl class="details">
        <dt>{t("procurations.endDate")}</dt>
        <dd>{formatDay(procuration.end_date, page.locale)}</dd>
        <dt>{t("procurations.ministries")}</dt>
        <dd>
          <ScopeSummary page={page} scope={scope} />
        </dd>
      </dl>
      <div class="actions">
        <a class="button" href={`/procurations/${procuration.id}/assigner/utilisateurs`}>
          {t("form.continue")}
        </a>
        <a href={`/procurations/${procuration.id}`}>{t("form.cancel")}</a>
      </div>
    </section>
  );
}

export function AssignUsersView({
  page,
  procuration,
  users,
  chosen,
  errors,
  submissionKey,
}: {
  page: Page;
  procuration: { id: number; name: string };
  users: AssignableUser[];
  chosen: number[];
  errors: FieldErrors;
  submissionKey: string;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("procurations.assignTitle", { name: procuration.name })}</h1>
      <ErrorSummary t={t} errors={errors} labels={FORM_LABELS} />
      <form method="post" action={`/procurations/${procuration.id}/assigner/resume`} novalidate>
        <CsrfField token={page.csrfToken} />
        <input type="hidden" name={SUBMISSION_FIELD} value={submissionKey} />
        <fieldset id="champ-utilisateurs" class={errors.utilisateurs ? "field-error" : ""}>
          <legend>{t("procurations.users")}</legend>
          {errors.utilisateurs ? <p class="error-message">{t(errors.utilisateurs.key)}</p> : null}
          {users.map((user) => (
            <label class="service-choice" key={user.id}>
              <input
                type="checkbox"
                name="utilisateurs"
                value={String(user.id)}
                checked={chosen.includes(user.id)}
              />{" "}
              {`${user.last_name}, ${user.first_name} (${user.user_code})`}
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">{t("form.continue")}</button>
          <a href={`/procurations/${procuration.id}`}>{t("form.cancel")}</a>
        </div>
      </form>
    </section>
  );
}

export function AssignSummaryView({
  page,
  procuration,
  scope,
  users,
  submissionKey,
}: {
  page: Page;
  procuration: { id: number; name: string; end_date: Day };
  scope: ScopeItem[];
  users: { id: number; user_code: string; first_name: string; last_name: string }[];
  submissionKey: string;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("procurations.summaryTitle")}</h1>
      <p>{t("procurations.assignSummaryIntro", { name: procuration.name })}</p>
      <dl class="details">
        <dt>{t("procurations.endDate")}</dt>
        <dd>{formatDay(procuration.end_date, page.locale)}</dd>
        <dt>{t("procurations.ministries")}</dt>
        <dd>
          <ScopeSummary page={page} scope={scope} />
        </dd>
        <dt>{t("procurations.users")}</dt>
        <dd>
          <ul>
            {users.map((u) => (
              <li key={u.id}>{`${u.first_name} ${u.last_name} (${u.user_code})`}</li>
            ))}
          </ul>
        </dd>
      </dl>
      <form method="post" action={`/procurations/${procuration.id}/assigner`} novalidate>
        <CsrfField token={page.csrfToken} />
        <input type="hidden" name={SUBMISSION_FIELD} value={submissionKey} />
        {users.map((u) => (
          <input key={u.id} type="hidden" name="utilisateurs" value={String(u.id)} />
        ))}
        <div class="actions">
          <button type="submit">{t("procurations.transmit")}</button>
          <button
            type="submit"
            class="button-secondary"
            formaction={`/procurations/${procuration.id}/assigner/resume?modifier=1`}
          >
            {t("procurations.edit")}
          </button>
        </div>
      </form>
    </section>
  );
}

export function AccessRightsUserView({
  page,
  users,
  error,
}: {
  page: Page;
  users: AssignableUser[];
  error: MessageKey | null;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("accessRights.title")}</h1>
      <p>{t("accessRights.intro")}</p>
      <ErrorSummary
        t={t}
        errors={error ? { utilisateur: { key: error } } : {}}
        labels={{ utilisateur: "accessRights.user" }}
      />
      <form method="get" action="/droits-acces/procuration" novalidate>
        <div class={error ? "field field-error" : "field"}>
          <label for="champ-utilisateur">{t("accessRights.user")}</label>
          {error ? (
            <p class="error-message" id="champ-utilisateur-erreur">
              {t(error)}
            </p>
          ) : null}
          <select
            id="champ-utilisateur"
            name="utilisateur"
            required
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "champ-utilisateur-erreur" : undefined}
          >
            <option value="">{t("accessRights.choose")}</option>
            {users.map((u) => (
              <option key={u.id} value={u.user_code}>
                {`${u.last_name}, ${u.first_name} (${u.user_code})`}
              </option>
            ))}
          </select>
        </div>
        <div class="actions">
          <button type="submit">{t("form.continue")}</button>
        </div>
      </form>
    </section>
  );
}

export type OwnProcuration = { id: number; name: string; end_date: Day; scope: ScopeItem[] };

/** « Mon profil »: what the user may do for their organization, with which ministries, until when. */
export function OwnProcurationsSection({
  page,
  procurations,
}: {
  page: Page;
  procurations: OwnProcuration[];
}) {
  const { t } = page;
  return (
    <section aria-labelledby="mes-procurations">
      <h2 id="mes-procurations">{t("procurations.mine")}</h2>
      {page.actor.kind === "user" && page.actor.isServicesOfficer ? (
        <p>{t("procurations.mineOfficer")}</p>
      ) : null}
      {procurations.length === 0 ? (
        <p>{t("procurations.mineEmpty")}</p>
      ) : (
        <DataTable
          t={t}
          id="mes-procurations"
          caption={t("procurations.mine")}
          columns={["procurations.ministries", "procurations.scope", "procurations.until"]}
        >
          <tbody>
            {procurations.flatMap((p) =>
              p.scope.map((item) => (
                <tr key={`${p.id}-${item.ministry_id}`}>
                  <td>
                    <Localized locale={page.locale} fr={item.ministry_name} en={item.ministry_name_en} />
                  </td>
                  <td>
                    {item.restricted
                      ? t("form.labelled", {
                          label: t("procurations.restricted"),
                          value: item.services.map((s) => s.code).join(", "),
                        })
                      : t("procurations.unrestricted")}
                  </td>
                  <td>{formatDay(p.end_date, page.locale)}</td>
                </tr>
              )),
            )}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}
