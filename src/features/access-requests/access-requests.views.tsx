// Pages of the access request (seed 002): the service's instructions, then the designation forms, without JavaScript:
// « Chercher » buttons send the form and it comes back with what was found, read-only.
import type { FieldError, FieldErrors } from "../../web/forms.js";
import {
  CsrfField,
  civilityOptions,
  ErrorSummary,
  Notice,
  RequiredNote,
  SelectField,
  TextAreaField,
  TextField,
} from "../../web/forms.js";
import { localizedText, ServiceTitle } from "../../web/localized.js";
import type { MessageKey, Translate } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import {
  type Entry,
  type Flow,
  formPath,
  type Manager,
  type Member,
  type Organization,
  type RequestState,
} from "./access-requests.service.js";
import {
  FIELD,
  FORM_ROLE,
  identifierField,
  NEW_POINT,
  type RequestForm,
  type RequestInput,
} from "./access-requests.validation.js";

const FORM_TITLE: Record<RequestForm, MessageKey> = {
  municipalite: "accessRequests.form.municipalite",
  organisme: "accessRequests.form.organisme",
  mandataires: "accessRequests.form.mandataires",
};

const REPLACEMENT_TITLE: Record<RequestForm, MessageKey> = {
  municipalite: "accessRequests.replacement.municipalite",
  organisme: "accessRequests.replacement.organisme",
  mandataires: "accessRequests.replacement.mandataires",
};

const STEP1: Record<RequestForm, MessageKey> = {
  municipalite: "accessRequests.municipalityStep",
  organisme: "accessRequests.bodyStep",
  mandataires: "accessRequests.firmStep",
};

/** The label of every field, for the error summary. */
const LABELS: Record<string, MessageKey> = {
  [FIELD.geoCode]: "accessRequests.geoCode",
  [FIELD.neq]: "accessRequests.neq",
  [FIELD.identificationCode]: "accessRequests.identificationCode",
  [FIELD.civility]: "accessRequests.civility",
  [FIELD.lastName]: "accessRequests.requesterLastName",
  [FIELD.firstName]: "accessRequests.requesterFirstName",
  [FIELD.jobTitle]: "accessRequests.jobTitle",
  [FIELD.phone]: "accessRequests.phone",
  [FIELD.phoneExtension]: "accessRequests.extension",
  [FIELD.email]: "accessRequests.email",
  [FIELD.designatedCode]: "accessRequests.userCode",
  [FIELD.category]: "accessRequests.bodyCategory",
  [FIELD.bodyName]: "accessRequests.bodyName",
  [FIELD.civicNumber]: "accessRequests.civicNumber",
  [FIELD.street]: "accessRequests.street",
  [FIELD.city]: "accessRequests.city",
  [FIELD.postalCode]: "accessRequests.postalCode",
  [FIELD.region]: "accessRequests.region",
  [FIELD.provincialRiding]: "accessRequests.provincialRiding",
  [FIELD.federalRiding]: "accessRequests.federalRiding",
  [FIELD.servicePoint]: "accessRequests.servicePoint",
  [FIELD.pointName]: "accessRequests.newServicePointName",
  [FIELD.pointCivicNumber]: "accessRequests.civicNumber",
  [FIELD.pointStreet]: "accessRequests.street",
  [FIELD.pointCity]: "accessRequests.city",
  [FIELD.pointPostalCode]: "accessRequests.postalCode",
  [FIELD.reason]: "accessRequests.reason",
  [FIELD.request]: "accessRequests.requestLabel",
};

export function formTitle(flow: Flow): MessageKey {
  return flow.replacement ? REPLACEMENT_TITLE[flow.form] : FORM_TITLE[flow.form];
}

function addressOf(place: {
  civic_number: string | null;
  street: string | null;
  city: string | null;
  postal_code: string | null;
}): string {
  const street = [place.civic_number, place.street].filter(Boolean).join(" ");
  const city = [place.city, place.postal_code].filter(Boolean).join(" ");
  return [street, city].filter(Boolean).join(", ");
}

/** The form for the same organization, as a link: the identifier travels so step 1 is already done. */
function linkWith(code: string, flow: Flow, organization: Organization | null): string {
  const path = formPath(code, flow);
  if (!organization) return path;
  const field = identifierField(flow.form);
  const value = flow.form === "municipalite" ? organization.geo_code : organization.neq;
  return value ? `${path}?${field}=${encodeURIComponent(value)}` : path;
}

export function EntryView({ page, entry }: { page: Page; entry: Entry }) {
  const { t } = page;
  const { service, form, decision } = entry;
  const actor = page.actor;
  const organization = actor.kind === "user" ? actor.organizationName : "";
  const ministry =
    service.ministry_acronym ?? localizedText(page.locale, service.ministry_name, service.ministry_name_en);
  return (
    <section>
      <h1>{t("accessRequests.title", { service: service.code })}</h1>
      <p>
        {t(form === "mandataires" ? "accessRequests.introFirm" : "accessRequests.intro", {
          name: localizedText(page.locale, service.name, service.name_en),
        })}
      </p>
      <h2>{t("accessRequests.stepsTitle")}</h2>
      <ol>
        <li>{t("accessRequests.step1")}</li>
        <li>{t("accessRequests.step2")}</li>
        <li>{t("accessRequests.step3")}</li>
        {form === "municipalite" ? <li>{t("accessRequests.step4")}</li> : null}
        <li>{t("accessRequests.step5")}</li>
        <li>{t("accessRequests.step6")}</li>
      </ol>
      {entry.gaps.map((gap) => (
        <Notice kind="info" key={`${gap.role}/${gap.servicePoint ?? ""}`}>
          <p>
            {t("accessRequests.managerGap", {
              manager: gap.manager,
              role: t(`backOffice.role.${gap.role}`),
              cause: t(`managerGaps.cause.${gap.cause}`),
            })}
            {gap.servicePoint ? ` (${gap.servicePoint})` : null}
          </p>
          <p>
            <a href={gap.replacementPath}>{t("accessRequests.managerGapReplace")}</a>
          </p>
        </Notice>
      ))}
      {decision.allowed && form ? (
        <>
          <h2>{t("accessRequests.chooseForm")}</h2>
          <ul>
            <li>
              <a href={formPath(service.code, { form, replacement: false })}>{t(FORM_TITLE[form])}</a>
            </li>
            <li>
              <a href={formPath(service.code, { form, replacement: true })}>{t(REPLACEMENT_TITLE[form])}</a>
            </li>
          </ul>
        </>
      ) : (
        <Notice kind="info">
          {decision.allowed || decision.reason === "not_client_organization"
            ? t("accessRequests.ministryCannotFile")
            : decision.reason === "service_not_covered"
              ? t("accessRequests.serviceNotCovered", { ministry })
              : t("accessRequests.needProcuration", { organization, ministry })}
        </Notice>
      )}
      <p>
        <a href="/services">{t("accessRequests.backToServices")}</a>
      </p>
    </section>
  );
}

function PersonDetails({ t, person }: { t: Translate; person: Member }) {
  const phone = [
    person.phone,
    person.phone_extension ? `${t("accessRequests.extension")} ${person.phone_extension}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return (
    <dl class="details">
      <dt>{t("person.lastName")}</dt>
      <dd>{person.last_name}</dd>
      <dt>{t("person.firstName")}</dt>
      <dd>{person.first_name}</dd>
      <dt>{t("accessRequests.jobTitle")}</dt>
      <dd>{person.job_title ?? "—"}</dd>
      <dt>{t("accessRequests.phone")}</dt>
      <dd>{phone || "—"}</dd>
      <dt>{t("accessRequests.email")}</dt>
      <dd>{person.email}</dd>
    </dl>
  );
}

/** Problems with the request as a whole, with the link to the other kind of request when that is the way out. */
function RequestProblem({ t, state, flow }: { t: Translate; state: RequestState; flow: Flow }) {
  const { refusal, organization, manager } = state;
  const error: FieldError | undefined =
    state.errors[FIELD.request] ??
    (refusal === "managerExists" && manager && organization
      ? {
          key: `accessRequests.managerExists.${FORM_ROLE[flow.form]}`,
          params: { name: `${manager.first_name} ${manager.last_name}`, organization: organization.name },
        }
      : refusal === "noManager"
        ? { key: "accessRequests.noManagerToReplace" }
        : undefined);
  if (!error) return null;
  const other: Flow = { form: flow.form, replacement: !flow.replacement };
  return (
    <div id={`champ-${FIELD.request}`} class="notice notice-error" role="alert" tabindex={-1}>
      <p>{t(error.key, error.params)}</p>
      {refusal ? (
        <p>
          <a href={linkWith(state.service.code, other, organization)}>
            {t(refusal === "managerExists" ? "accessRequests.askReplacement" : "accessRequests.askAccess")}
          </a>
        </p>
      ) : null}
    </div>
  );
}

export function RequestFormView({
  page,
  flow,
  state,
  values,
  submissionKey,
}: {
  page: Page;
  flow: Flow;
  state: RequestState;
  values: RequestInput;
  submissionKey: string;
}) {
  const { t } = page;
  const { service, organization, errors } = state;
  const action = formPath(service.code, flow);
  const idField = identifierField(flow.form);
  const role = FORM_ROLE[flow.form];
  // A municipality's or body's request cannot go on while the role is held (or, for a replacement, while it is not).
  const blocked = flow.form !== "mandataires" && state.refusal !== null;
  return (
    <section>
      <h1>{t(formTitle(flow))}</h1>
      <p class="lead">
        <ServiceTitle locale={page.locale} service={service} />
      </p>
      <ErrorSummary t={t} errors={errors} labels={LABELS} />
      <RequiredNote t={t} />

      <h2>{t(STEP1[flow.form])}</h2>
      <form method="get" action={action} novalidate>
        <TextField
          t={t}
          name={idField}
          label={flow.form === "municipalite" ? "accessRequests.geoCode" : "accessRequests.neq"}
          hint={flow.form === "municipalite" ? "accessRequests.geoCodeHint" : "accessRequests.neqHint"}
          value={values.identifier}
          error={errors[idField]}
          inputMode="numeric"
          maxLength={flow.form === "municipalite" ? 5 : 10}
          required
        />
        <div class="actions">
          <button type="submit" class="button-secondary">
            {t("accessRequests.search")}
          </button>
        </div>
      </form>

      {organization && flow.form !== "organisme" ? (
        <dl class="details">
          <dt>{t(flow.form === "municipalite" ? "accessRequests.municipality" : "accessRequests.firm")}</dt>
          <dd>{organization.name}</dd>
          <dt>{t("accessRequests.address")}</dt>
          <dd>{addressOf(organization) || "—"}</dd>
        </dl>
      ) : null}

      {organization && blocked ? <RequestProblem t={t} state={state} flow={flow} /> : null}

      {organization && !blocked ? (
        <form method="post" action={action} novalidate>
          <CsrfField token={page.csrfToken} />
          <input type="hidden" name={SUBMISSION_FIELD} value={submissionKey} />
          <input type="hidden" name={idField} value={values.identifier} />
          <RequestProblem t={t} state={state} flow={flow} />

          {flow.form === "municipalite" ? (
            <TextField
              t={t}
              name={FIELD.identificationCode}
              label="accessRequests.identificationCode"
              hint="accessRequests.identificationCodeHint"
              value={errors[FIELD.identificationCode] ? "" : values.identificationCode}
              error={errors[FIELD.identificationCode]}
              autocomplete="off"
              maxLength={40}
              width="md"
              required
            />
          ) : null}

          {flow.form === "organisme" ? <BodyFields t={t} values={values} errors={errors} /> : null}

          {flow.form === "mandataires" ? (
            <PointFields t={t} state={state} values={values} errors={errors} flow={flow} />
          ) : null}

          <fieldset>
            <legend>{t("accessRequests.requesterTitle")}</legend>
            <p class="hint">{t("accessRequests.requesterIntro")}</p>
            <SelectField
              t={t}
              name={FIELD.civility}
              label="accessRequests.civility"
              value={values.requester.civility}
              error={errors[FIELD.civility]}
              options={civilityOptions(t, true)}
              required
            />
            <TextField
              t={t}
              name={FIELD.lastName}
              label="accessRequests.requesterLastName"
              value={values.requester.lastName}
              error={errors[FIELD.lastName]}
              maxLength={100}
              required
            />
            <TextField
              t={t}
              name={FIELD.firstName}
              label="accessRequests.requesterFirstName"
              value={values.requester.firstName}
              error={errors[FIELD.firstName]}
              maxLength={100}
              required
            />
            <TextField
              t={t}
              name={FIELD.jobTitle}
              label="accessRequests.jobTitle"
              value={values.requester.jobTitle}
              error={errors[FIELD.jobTitle]}
              maxLength={100}
              required
            />
            <TextField
              t={t}
              name={FIELD.phone}
              label="accessRequests.phone"
              type="tel"
              value={values.requester.phone}
              error={errors[FIELD.phone]}
              maxLength={30}
              required
            />
            <TextField
              t={t}
              name={FIELD.phoneExtension}
              label="accessRequests.extension"
              value={values.requester.phoneExtension}
              error={errors[FIELD.phoneExtension]}
              inputMode="numeric"
              maxLength={6}
            />
            <TextField
              t={t}
              name={FIELD.email}
              label="accessRequests.email"
              type="email"
              value={values.requester.email}
              error={errors[FIELD.email]}
              maxLength={254}
              required
            />
          </fieldset>

          <fieldset>
            <legend>{t(`accessRequests.designatedStep.${role}`)}</legend>
            <p class="hint">{t("accessRequests.designatedIntro")}</p>
            {flow.replacement && state.manager ? (
              <p>{t("accessRequests.currentManager", currentManagerParams(state.manager))}</p>
            ) : null}
            <TextField
              t={t}
              name={FIELD.designatedCode}
              label="accessRequests.userCode"
              hint="accessRequests.userCodeHint"
              value={values.designatedCode}
              error={errors[FIELD.designatedCode]}
              autocomplete="off"
              maxLength={7}
              required
            />
            <div class="actions">
              <button type="submit" class="button-secondary" name="action" value="chercher">
                {t("accessRequests.search")}
              </button>
            </div>
            {state.designated ? (
              <>
                <h3>{t("accessRequests.designatedFound")}</h3>
                <PersonDetails t={t} person={state.designated} />
                <p class="hint">{t("accessRequests.designatedProfileHint")}</p>
              </>
            ) : null}
          </fieldset>

          {flow.replacement ? (
            <fieldset>
              <legend>{t("accessRequests.reasonTitle")}</legend>
              <p class="hint">{t("accessRequests.replacementIntro")}</p>
              <TextAreaField
                t={t}
                maxLength={1000}
                name={FIELD.reason}
                label="accessRequests.reason"
                hint="accessRequests.reasonHint"
                value={values.reason}
                error={errors[FIELD.reason]}
                required
              />
            </fieldset>
          ) : null}

          <div class="actions">
            <button type="submit" name="action" value="soumettre">
              {t("accessRequests.submit")}
            </button>
            <a href={`/services/${encodeURIComponent(service.code)}/demande-acces`}>{t("form.cancel")}</a>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function currentManagerParams(manager: Manager) {
  return { name: `${manager.first_name} ${manager.last_name}`, code: manager.user_code };
}

function BodyFields({ t, values, errors }: { t: Translate; values: RequestInput; errors: FieldErrors }) {
  const field = (
    name: string,
    label: MessageKey,
    value: string,
    options: { required?: boolean; max?: number; hint?: MessageKey } = {},
  ) => (
    <TextField
      t={t}
      name={name}
      label={label}
      value={value}
      error={errors[name]}
      required={options.required ?? false}
      maxLength={options.max ?? 100}
      {...(options.hint ? { hint: options.hint } : {})}
    />
  );
  const body = values.body;
  return (
    <fieldset>
      <legend>{t("accessRequests.bodyStep")}</legend>
      <p class="hint">{t("accessRequests.bodyDetailsIntro")}</p>
      {field(FIELD.category, "accessRequests.bodyCategory", body.category, { required: true })}
      {field(FIELD.bodyName, "accessRequests.bodyName", body.name, { required: true, max: 200 })}
      {field(FIELD.civicNumber, "accessRequests.civicNumber", body.civicNumber, { max: 20 })}
      {field(FIELD.street, "accessRequests.street", body.street, { required: true, max: 200 })}
      {field(FIELD.city, "accessRequests.city", body.city, { required: true })}
      {field(FIELD.postalCode, "accessRequests.postalCode", body.postalCode, {
        required: true,
        max: 7,
        hint: "accessRequests.postalCodeHint",
      })}
      {field(FIELD.region, "accessRequests.region", body.region)}
      {field(FIELD.provincialRiding, "accessRequests.provincialRiding", body.provincialRiding, {
        required: true,
      })}
      {field(FIELD.federalRiding, "accessRequests.federalRiding", body.federalRiding, { required: true })}
    </fieldset>
  );
}

function PointFields({
  t,
  state,
  values,
  errors,
  flow,
}: {
  t: Translate;
  state: RequestState;
  values: RequestInput;
  errors: FieldErrors;
  flow: Flow;
}) {
  const error = errors[FIELD.servicePoint];
  const adding = values.servicePoint === NEW_POINT;
  return (
    <fieldset
      id={`champ-${FIELD.servicePoint}`}
      class={error ? "field-error" : ""}
      aria-describedby={error ? `champ-${FIELD.servicePoint}-erreur` : undefined}
    >
      <legend>
        {t("accessRequests.servicePoint")}
        <span aria-hidden="true"> *</span>
      </legend>
      <p class="hint">{t("accessRequests.servicePointIntro")}</p>
      {error ? (
        <p class="error-message" id={`champ-${FIELD.servicePoint}-erreur`}>
          {t(error.key, error.params)}
        </p>
      ) : null}
      {state.points.map((point) => (
        <div class="service-choice" key={point.id}>
          <label>
            <input
              type="radio"
              name={FIELD.servicePoint}
              value={String(point.id)}
              checked={values.servicePoint === String(point.id)}
            />{" "}
            <strong>{point.name}</strong>
            {` — ${addressOf(point)}`}
          </label>
          {point.manager ? (
            <p class="hint">
              {t("accessRequests.servicePointManager", {
                name: `${point.manager.first_name} ${point.manager.last_name}`,
              })}
              {flow.replacement ? null : (
                <>
                  {" — "}
                  <a
                    href={linkWith(
                      state.service.code,
                      { form: flow.form, replacement: true },
                      state.organization,
                    )}
                  >
                    {t("accessRequests.askReplacement")}
                    <span class="visually-hidden">{` : ${point.name}`}</span>
                  </a>
                </>
              )}
            </p>
          ) : null}
        </div>
      ))}
      <div class="service-choice">
        <label>
          <input type="radio" name={FIELD.servicePoint} value={NEW_POINT} checked={adding} />{" "}
          {t("accessRequests.newServicePoint")}
        </label>
        <fieldset class="nested">
          <legend>{t("accessRequests.newServicePoint")}</legend>
          <TextField
            t={t}
            name={FIELD.pointName}
            label="accessRequests.newServicePointName"
            value={values.newPoint.name}
            error={errors[FIELD.pointName]}
            maxLength={200}
          />
          <TextField
            t={t}
            name={FIELD.pointCivicNumber}
            label="accessRequests.civicNumber"
            value={values.newPoint.civicNumber}
            error={errors[FIELD.pointCivicNumber]}
            maxLength={20}
          />
          <TextField
            t={t}
            name={FIELD.pointStreet}
            label="accessRequests.street"
            value={values.newPoint.street}
            error={errors[FIELD.pointStreet]}
            maxLength={200}
          />
          <TextField
            t={t}
            name={FIELD.pointCity}
            label="accessRequests.city"
            value={values.newPoint.city}
            error={errors[FIELD.pointCity]}
            maxLength={100}
          />
          <TextField
            t={t}
            name={FIELD.pointPostalCode}
            label="accessRequests.postalCode"
            hint="accessRequests.postalCodeHint"
            value={values.newPoint.postalCode}
            error={errors[FIELD.pointPostalCode]}
            maxLength={7}
          />
        </fieldset>
      </div>
    </fieldset>
  );
}

export function SentView({ page, code }: { page: Page; code: string }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("accessRequests.sentTitle")}</h1>
      <p>{t("accessRequests.sentNext")}</p>
      <p>
        <a href={`/services/${encodeURIComponent(code)}/demande-acces`}>{t("form.back")}</a>
        {" · "}
        <a href="/services">{t("accessRequests.backToServices")}</a>
      </p>
    </section>
  );
}
