// Pages of « Services en ligne externes »: the ministry's list, the form that registers or changes a service and its
// client, the client's page with its secret, disabling and enabling, and the secret shown once. Without JavaScript.
import type { ComponentChildren } from "preact";
import { formatMoment } from "../../util/days.js";
import {
  CsrfField,
  describedByOf,
  ErrorSummary,
  type FieldError,
  type FieldErrors,
  FieldNotes,
  Notice,
  RequiredNote,
  SelectField,
  TextField,
} from "../../web/forms.js";
import type { MessageKey, Translate } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import { ASSURANCE_LABEL, type ExternalService, METHOD_LABEL } from "./external-services.service.js";
import {
  ASSURANCES,
  AUTH_METHODS,
  CODE_MAX,
  type Field,
  NAME_MAX,
  type ServiceForm,
  URI_MAX,
} from "./external-services.validation.js";

export const BASE_PATH = "/ministere/services-externes";

export const paths = {
  list: BASE_PATH,
  new: `${BASE_PATH}/nouveau`,
  one: (id: number) => `${BASE_PATH}/${id}`,
  edit: (id: number) => `${BASE_PATH}/${id}/modifier`,
  secret: (id: number) => `${BASE_PATH}/${id}/secret`,
  disable: (id: number) => `${BASE_PATH}/${id}/desactivation`,
  enable: (id: number) => `${BASE_PATH}/${id}/reactivation`,
};

const LABELS: Record<Field, MessageKey> = {
  code: "externalServices.field.code",
  nom: "externalServices.field.name",
  categorie: "externalServices.field.category",
  adresse: "externalServices.field.address",
  redirections: "externalServices.field.redirects",
  retours: "externalServices.field.postLogout",
  deconnexion: "externalServices.field.backchannel",
  methode: "externalServices.field.method",
  jwks: "externalServices.field.jwks",
  assurance: "externalServices.field.assurance",
};

function BackLink({ page }: { page: Page }) {
  return (
    <p>
      <a href={paths.list}>{page.t("externalServices.back")}</a>
    </p>
  );
}

function StateOf({ t, service }: { t: Translate; service: ExternalService }) {
  return service.disabled_at ? (
    <span class="status-disabled">{t("externalServices.state.disabled")}</span>
  ) : (
    <span class="status-valid">{t("externalServices.state.enabled")}</span>
  );
}

export function ListView({
  page,
  ministryName,
  services,
}: {
  page: Page;
  ministryName: string;
  services: ExternalService[];
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("externalServices.title")}</h1>
      <p>{t("externalServices.intro", { ministry: ministryName })}</p>
      <p>
        <a class="button" href={paths.new}>
          {t("externalServices.add")}
        </a>
      </p>
      {services.length === 0 ? (
        <p>{t("externalServices.empty")}</p>
      ) : (
        <DataTable
          t={t}
          id="services-externes"
          caption={t("externalServices.title")}
          columns={[
            "externalServices.col.service",
            "externalServices.col.address",
            "externalServices.col.clientId",
            "externalServices.col.method",
            "externalServices.col.assurance",
            "externalServices.col.state",
            "externalServices.col.actions",
          ]}
        >
          <tbody>
            {services.map((service) => (
              <tr key={service.id}>
                <td>{`${service.service_code} — ${service.name}`}</td>
                <td>{service.external_url ?? ""}</td>
                <td>
                  <code>{service.client_id}</code>
                </td>
                <td>{t(METHOD_LABEL[service.auth_method])}</td>
                <td>{t(ASSURANCE_LABEL[service.min_assurance])}</td>
                <td>
                  <StateOf t={t} service={service} />
                </td>
                <td>
                  <a href={paths.one(service.id)}>
                    {t("externalServices.open")}
                    <span class="visually-hidden">{` : ${service.service_code}`}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <p>
        <a href="/ministere">{t("backOffice.back")}</a>
      </p>
    </section>
  );
}

/** A multi-line field (one URI a line), with its hint and error tied to it like every other field. */
function LinesField({
  t,
  name,
  hint,
  value,
  error,
  required,
}: {
  t: Translate;
  name: Field;
  hint: MessageKey;
  value: string;
  error: FieldError | undefined;
  required?: boolean;
}) {
  const id = `champ-${name}`;
  return (
    <div class={error ? "field field-error" : "field"}>
      <label for={id}>
        {t(LABELS[name])}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <FieldNotes t={t} id={id} hint={t(hint)} error={error} />
      <textarea
        id={id}
        name={name}
        rows={4}
        spellcheck={false}
        required={required}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedByOf(id, { hint: true, error: error !== undefined })}
      >
        {value}
      </textarea>
    </div>
  );
}

/** A choice among a few options, each with its own hint: radio buttons in a fieldset. */
function ChoiceField<V extends string>({
  t,
  name,
  value,
  error,
  options,
}: {
  t: Translate;
  name: Field;
  value: string;
  error: FieldError | undefined;
  options: readonly { value: V; label: MessageKey; hint?: MessageKey }[];
}) {
  const id = `champ-${name}`;
  return (
    <fieldset
      id={id}
      class={error ? "field-error" : undefined}
      aria-describedby={error ? `${id}-erreur` : undefined}
    >
      <legend>
        {t(LABELS[name])}
        <span aria-hidden="true"> *</span>
      </legend>
      <FieldNotes t={t} id={id} error={error} />
      {options.map((option) => (
        <div class="field" key={option.value}>
          <label>
            <input type="radio" name={name} value={option.value} checked={value === option.value} />{" "}
            {t(option.label)}
          </label>
          {option.hint ? <p class="hint">{t(option.hint)}</p> : null}
        </div>
      ))}
    </fieldset>
  );
}

const METHOD_HINT: Record<(typeof AUTH_METHODS)[number], MessageKey> = {
  client_secret_basic: "externalServices.method.client_secret_basicHint",
  private_key_jwt: "externalServices.method.private_key_jwtHint",
};
const METHOD_OPTIONS = AUTH_METHODS.map((method) => ({
  value: method,
  label: METHOD_LABEL[method],
  hint: METHOD_HINT[method],
}));
const ASSURANCE_OPTIONS = ASSURANCES.map((assurance) => ({
  value: assurance,
  label: ASSURANCE_LABEL[assurance],
}));

/** Registration (no id) or change (the service at hand): the same fields, but code and category are set once. */
export function ServiceFormView({
  page,
  service,
  form,
  errors,
}: {
  page: Page;
  service: ExternalService | null;
  form: ServiceForm;
  errors: FieldErrors<Field>;
}) {
  const { t } = page;
  const creating = service === null;
  /** A one-line field of this form: its label, value and error by its name. */
  const line = (
    name: Field,
    hint: MessageKey,
    options: { maxLength: number; required?: boolean; autocomplete?: string },
  ) => (
    <TextField
      t={t}
      name={name}
      label={LABELS[name]}
      hint={hint}
      value={form[name]}
      error={errors[name]}
      {...options}
    />
  );
  return (
    <section>
      <h1>
        {creating
          ? t("externalServices.new.title")
          : t("externalServices.edit.title", { code: service.service_code })}
      </h1>
      <p>{creating ? t("externalServices.new.intro") : t("externalServices.edit.intro")}</p>
      <ErrorSummary t={t} errors={errors} labels={LABELS} />
      <form method="post" action={creating ? paths.list : paths.one(service.id)} novalidate>
        <CsrfField token={page.csrfToken} />
        <RequiredNote t={t} />
        <fieldset>
          <legend>{t("externalServices.form.service")}</legend>
          {creating ? (
            <>
              {line("code", "externalServices.field.codeHint", { maxLength: CODE_MAX, required: true })}
              <SelectField
                t={t}
                name="categorie"
                label={LABELS.categorie}
                value={form.categorie}
                error={errors.categorie}
                options={[
                  { value: "infrastructures", label: t("externalServices.category.infrastructures") },
                  { value: "autres", label: t("externalServices.category.other") },
                ]}
                required
              />
            </>
          ) : null}
          {line("nom", "externalServices.field.nameHint", { maxLength: NAME_MAX, required: true })}
          {line("adresse", "externalServices.field.addressHint", {
            maxLength: URI_MAX,
            autocomplete: "off",
            required: true,
          })}
        </fieldset>
        <fieldset>
          <legend>{t("externalServices.form.signIn")}</legend>
          <LinesField
            t={t}
            name="redirections"
            hint="externalServices.field.redirectsHint"
            value={form.redirections}
            error={errors.redirections}
            required
          />
          <LinesField
            t={t}
            name="retours"
            hint="externalServices.field.postLogoutHint"
            value={form.retours}
            error={errors.retours}
          />
          {line("deconnexion", "externalServices.field.backchannelHint", {
            maxLength: URI_MAX,
            autocomplete: "off",
          })}
          <ChoiceField
            t={t}
            name="assurance"
            value={form.assurance}
            error={errors.assurance}
            options={ASSURANCE_OPTIONS}
          />
        </fieldset>
        <fieldset>
          <legend>{t("externalServices.form.authentication")}</legend>
          <ChoiceField
            t={t}
            name="methode"
            value={form.methode}
            error={errors.methode}
            options={METHOD_OPTIONS}
          />
          {line("jwks", "externalServices.field.jwksHint", { maxLength: URI_MAX, autocomplete: "off" })}
        </fieldset>
        <div class="actions">
          <button type="submit">
            {creating ? t("externalServices.new.submit") : t("externalServices.edit.submit")}
          </button>
          <a href={creating ? paths.list : paths.one(service.id)}>{t("form.cancel")}</a>
        </div>
      </form>
    </section>
  );
}

function UriList({ t, uris }: { t: Translate; uris: string[] }) {
  if (uris.length === 0) return <>{t("externalServices.none")}</>;
  return (
    <ul>
      {uris.map((uri) => (
        <li key={uri}>
          <code>{uri}</code>
        </li>
      ))}
    </ul>
  );
}

/** One act on the client's page: a heading, what it does, and its button. */
function ActSection({
  page,
  id,
  act,
  action,
  danger,
  children,
}: {
  page: Page;
  id: string;
  act: "rotate" | "enable" | "disable";
  action: string;
  danger?: boolean;
  children?: ComponentChildren;
}) {
  const { t } = page;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{t(`externalServices.${act}.title`)}</h2>
      <p>{t(`externalServices.${act}.hint`)}</p>
      <form method="post" action={action} novalidate>
        <CsrfField token={page.csrfToken} />
        {children}
        <button type="submit" class={danger ? "button-danger" : undefined}>
          {t(`externalServices.${act}.submit`)}
        </button>
      </form>
    </section>
  );
}

export function DetailView({
  page,
  service,
  submissionKey,
}: {
  page: Page;
  service: ExternalService;
  submissionKey: string;
}) {
  const { t, locale } = page;
  const category =
    service.service_category === "other"
      ? "externalServices.category.other"
      : "externalServices.category.infrastructures";
  return (
    <section>
      <h1>{t("externalServices.detail.title", { code: service.service_code, name: service.name })}</h1>
      <dl class="details">
        <dt>{t("externalServices.detail.state")}</dt>
        <dd>
          <StateOf t={t} service={service} />
          {service.disabled_at
            ? ` — ${t("externalServices.detail.disabledSince", { date: formatMoment(service.disabled_at, locale) })}`
            : ""}
        </dd>
        <dt>{t("externalServices.detail.clientId")}</dt>
        <dd>
          <code>{service.client_id}</code>
        </dd>
        <dt>{t("externalServices.detail.category")}</dt>
        <dd>{t(category)}</dd>
        <dt>{t(LABELS.adresse)}</dt>
        <dd>
          <code>{service.external_url ?? ""}</code>
        </dd>
        <dt>{t(LABELS.redirections)}</dt>
        <dd>
          <UriList t={t} uris={service.redirect_uris} />
        </dd>
        <dt>{t(LABELS.retours)}</dt>
        <dd>
          <UriList t={t} uris={service.post_logout_redirect_uris} />
        </dd>
        <dt>{t(LABELS.deconnexion)}</dt>
        <dd>
          {service.backchannel_logout_uri ? (
            <code>{service.backchannel_logout_uri}</code>
          ) : (
            t("externalServices.none")
          )}
        </dd>
        <dt>{t(LABELS.assurance)}</dt>
        <dd>{t(ASSURANCE_LABEL[service.min_assurance])}</dd>
        <dt>{t(LABELS.methode)}</dt>
        <dd>{t(METHOD_LABEL[service.auth_method])}</dd>
        {service.jwks_uri ? (
          <>
            <dt>{t(LABELS.jwks)}</dt>
            <dd>
              <code>{service.jwks_uri}</code>
            </dd>
          </>
        ) : null}
        {service.secret_rotated_at ? (
          <>
            <dt>{t("externalServices.detail.secretIssued")}</dt>
            <dd>{formatMoment(service.secret_rotated_at, locale)}</dd>
          </>
        ) : null}
        <dt>{t("externalServices.detail.created")}</dt>
        <dd>{formatMoment(service.created_at, locale)}</dd>
        <dt>{t("externalServices.detail.updated")}</dt>
        <dd>{formatMoment(service.updated_at, locale)}</dd>
      </dl>
      <p>
        <a class="button" href={paths.edit(service.id)}>
          {t("externalServices.edit")}
        </a>
      </p>
      {service.auth_method === "client_secret_basic" ? (
        <ActSection page={page} id="secret" act="rotate" action={paths.secret(service.id)}>
          <input type="hidden" name={SUBMISSION_FIELD} value={submissionKey} />
        </ActSection>
      ) : null}
      {service.disabled_at ? (
        <ActSection page={page} id="reactiver" act="enable" action={paths.enable(service.id)} />
      ) : (
        <ActSection page={page} id="desactiver" act="disable" action={paths.disable(service.id)} danger />
      )}
      <BackLink page={page} />
    </section>
  );
}

/** The secret, in this response only: not in a redirect, a flash, a log or the audit log. */
export function SecretView({
  page,
  service,
  secret,
}: {
  page: Page;
  service: { id: number; code: string; clientId: string };
  secret: string;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("externalServices.secret.title", { code: service.code })}</h1>
      <Notice kind="info">
        <strong>{t("externalServices.secret.once")}</strong>
      </Notice>
      <dl class="details">
        <dt>{t("externalServices.detail.clientId")}</dt>
        <dd>
          <code class="secret">{service.clientId}</code>
        </dd>
        <dt>{t("externalServices.secret.label")}</dt>
        <dd>
          <code class="secret" id="secret-client">
            {secret}
          </code>
        </dd>
      </dl>
      <p>{t("externalServices.secret.usage")}</p>
      <p>
        <a class="button" href={paths.one(service.id)}>
          {t("externalServices.secret.continue")}
        </a>
      </p>
    </section>
  );
}
