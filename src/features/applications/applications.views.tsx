// Pages of « Demandes d'aide financière »: the list, the form drawn from the program's definition, its attachments,
// the transmission and its confirmation, the versions, and the read-only views. Without JavaScript; every text from
// the catalogue or from the definition's own French and English labels.
import { createElement } from "preact";
import { formatDay, formatMoment, isDay } from "../../util/days.js";
import {
  CsrfField,
  describedByOf,
  ErrorSummary,
  type FieldError,
  type FieldErrors,
  FieldNotes,
  Notice,
  RequiredNote,
  TextField,
  widthClassOf,
} from "../../web/forms.js";
import { FrenchName, ServiceTitle } from "../../web/localized.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { formatSize } from "../file-transfers/file-size.js";
import { SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import type { ApplicationRow, AttachmentRow } from "./applications.queries.js";
import type { ApplicationListPage, ApplicationPage } from "./applications.service.js";
import {
  type FieldDefinition,
  type FieldType,
  type FormData,
  type FormDefinition,
  fieldsOf,
  formatMoney,
  type SectionDefinition,
} from "./form-definition.js";

// --- Addresses

const serviceBase = (code: string) => `/services/${encodeURIComponent(code)}`;

export const paths = {
  list: (code: string, organizationId: number) =>
    `${serviceBase(code)}/organisations/${organizationId}/demandes`,
  application: (code: string, number: number) => `${serviceBase(code)}/demandes/${number}`,
  transmit: (code: string, number: number) => `${paths.application(code, number)}/transmettre`,
  transmitted: (code: string, number: number) => `${paths.application(code, number)}/transmise`,
  newVersion: (code: string, number: number) => `${paths.application(code, number)}/nouvelle-version`,
  versions: (code: string, number: number) => `${paths.application(code, number)}/versions`,
  version: (code: string, number: number, revision: number) => `${paths.versions(code, number)}/${revision}`,
  upload: (code: string, number: number, field: string) =>
    `${paths.application(code, number)}/pieces-jointes/${field}`,
  attachment: (code: string, number: number, id: number) =>
    `${paths.application(code, number)}/pieces-jointes/${id}`,
  removeAttachment: (code: string, number: number, id: number) =>
    `${paths.attachment(code, number, id)}/supprimer`,
  mandates: "/mandats",
  mandatePreview: "/mandats/verification",
  serviceMandates: (code: string) => `${serviceBase(code)}/mandats`,
  endMandate: (code: string, mandateId: number) => `${serviceBase(code)}/mandats/${mandateId}/fin`,
  ministryList: "/ministere/demandes-transmises",
  ministryApplication: (number: number) => `/ministere/demandes-transmises/${number}`,
  ministryAttachment: (number: number, id: number) =>
    `/ministere/demandes-transmises/${number}/pieces-jointes/${id}`,
};

// --- Small pieces

type Service = { code: string; name: string; name_en?: string | null };

const STATUS: Record<ApplicationRow["status"], MessageKey> = {
  draft: "applications.status.draft",
  transmitted: "applications.status.transmitted",
};

function labelOf(page: Page, field: { label: Record<"fr" | "en", string> }): string {
  return field.label[page.locale];
}

/** The error summary's names for the definition's fields, in the page's language. */
function fieldTexts(page: Page, form: FormDefinition): Record<string, string> {
  return Object.fromEntries(fieldsOf(form).map((field) => [field.name, labelOf(page, field)]));
}

function personName(first: string, last: string): string {
  return `${first} ${last}`;
}

/** A one-button form that posts to an address: « Supprimer », « Mettre fin »; `what` names its object for screen readers. */
export function PostButton({
  page,
  action,
  label,
  what,
  hidden = {},
}: {
  page: Page;
  action: string;
  label: MessageKey;
  what: string;
  /** Fields sent along, such as where the answer should lead. */
  hidden?: Record<string, string>;
}) {
  return (
    <form method="post" action={action} class="inline-form" novalidate>
      <CsrfField token={page.csrfToken} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="link-button">
        {page.t(label)}
        <span class="visually-hidden">{` : ${what}`}</span>
      </button>
    </form>
  );
}

function StatusText({ page, status }: { page: Page; status: ApplicationRow["status"] }) {
  return <span class={`status-${status}`}>{page.t(STATUS[status])}</span>;
}

/** The title block of every page about one application. */
function ApplicationHeading({
  page,
  service,
  application,
  title,
}: {
  page: Page;
  service: Service;
  application: ApplicationRow;
  title?: string;
}) {
  const { t, locale } = page;
  return (
    <>
      <h1>
        {title ?? t("applications.page.title", { number: application.number, title: application.title })}
      </h1>
      <p class="hint">
        <ServiceTitle locale={locale} service={service} />
        {" · "}
        <FrenchName locale={locale} name={application.organization_name} />
      </p>
      <p>
        {t("applications.page.status")} <StatusText page={page} status={application.status} />
        {application.status === "transmitted" && application.transmitted_at && application.transmission_number
          ? ` — ${t("applications.page.transmittedOn", {
              date: formatMoment(application.transmitted_at, locale),
              number: application.transmission_number,
            })}`
          : ` — ${t("applications.page.updatedOn", {
              date: formatMoment(application.updated_at, locale),
              name: personName(application.updated_by_first_name, application.updated_by_last_name),
            })}`}
      </p>
    </>
  );
}

// --- The list

export function ApplicationListView({
  page,
  service,
  data,
  create,
}: {
  page: Page;
  service: Service & { id: number };
  data: ApplicationListPage;
  create: { title: string; errors: FieldErrors; key: string };
}) {
  const { t, locale } = page;
  const { organization, applications } = data;
  return (
    <section>
      <h1>{t("applications.list.title")}</h1>
      <p class="hint">
        <ServiceTitle locale={locale} service={service} />
        {` · ${organization.name}`}
      </p>
      {data.canCreate ? (
        <section aria-labelledby="nouvelle-demande">
          <h2 id="nouvelle-demande">{t("applications.list.new")}</h2>
          <ErrorSummary t={t} errors={create.errors} labels={{ titre: "applications.list.newTitle" }} />
          <form method="post" action={paths.list(service.code, organization.id)} novalidate>
            <CsrfField token={page.csrfToken} />
            <input type="hidden" name={SUBMISSION_FIELD} value={create.key} />
            <TextField
              t={t}
              name="titre"
              label="applications.list.newTitle"
              hint="applications.list.newHint"
              value={create.title}
              error={create.errors.titre}
              maxLength={200}
              required
            />
            <button type="submit">{t("applications.list.create")}</button>
          </form>
        </section>
      ) : null}
      <h2>{t("applications.list.heading")}</h2>
      {applications.length === 0 ? (
        <p>{t("applications.list.empty")}</p>
      ) : (
        <DataTable
          t={t}
          id="demandes"
          caption={t("applications.list.heading")}
          columns={[
            "applications.col.number",
            "applications.col.title",
            "applications.col.status",
            "applications.col.updated",
            "applications.col.updatedBy",
          ]}
        >
          <tbody>
            {applications.map((row) => (
              <tr key={row.id}>
                <td>
                  <a href={paths.application(service.code, row.number)}>{String(row.number)}</a>
                </td>
                <td>{row.title}</td>
                <td>
                  <StatusText page={page} status={row.status} />
                </td>
                <td>{formatMoment(row.updated_at, locale)}</td>
                <td>{`${personName(row.updated_by_first_name, row.updated_by_last_name)} (${row.updated_by_code})`}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

// --- Values, read only

function displayValue(page: Page, field: FieldDefinition, value: FormData[string] | undefined): string {
  if (value === undefined || value === "") return page.t("applications.value.empty");
  if (field.type === "money" && typeof value === "number") return formatMoney(value, page.locale);
  if (field.type === "date" && typeof value === "string" && isDay(value))
    return formatDay(value, page.locale);
  return String(value);
}

function AttachmentList({
  page,
  attachments,
  href,
  remove,
}: {
  page: Page;
  attachments: AttachmentRow[];
  /** Where an attachment downloads from; null for one whose bytes are gone (removed from the draft since). */
  href?: ((id: number) => string | null) | undefined;
  remove?: ((id: number) => string) | undefined;
}) {
  const { t, locale } = page;
  if (attachments.length === 0) return <p>{t("applications.attachment.none")}</p>;
  return (
    <ul class="attachments">
      {attachments.map((attachment) => {
        const link = href?.(attachment.id) ?? null;
        return (
          <li key={attachment.id}>
            {link ? <a href={link}>{attachment.name}</a> : <span>{attachment.name}</span>}
            {` (${formatSize(attachment.size_bytes, t, locale)})`}
            {remove ? (
              <>
                {" "}
                <PostButton
                  page={page}
                  action={remove(attachment.id)}
                  label="applications.attachment.remove"
                  what={attachment.name}
                />
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** Every section of the form with its values, as a definition list; PDF fields list their attachments. */
export function ApplicationValues({
  page,
  form,
  data,
  attachments,
  attachmentHref,
}: {
  page: Page;
  form: FormDefinition;
  data: FormData;
  attachments: AttachmentRow[];
  attachmentHref?: (id: number) => string | null;
}) {
  return (
    <div class="application-values">
      {form.sections.map((section) => (
        <section key={section.id} aria-labelledby={`section-${section.id}`}>
          <h2 id={`section-${section.id}`}>{labelOf(page, { label: section.title })}</h2>
          <dl class="details">
            {section.fields.map((field) => (
              <div key={field.name}>
                <dt>{labelOf(page, field)}</dt>
                <dd>
                  {field.type === "pdf" ? (
                    <AttachmentList
                      page={page}
                      attachments={attachments.filter((a) => a.field === field.name)}
                      href={attachmentHref}
                    />
                  ) : (
                    displayValue(page, field, data[field.name])
                  )}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}

// --- The form

const INPUT_TYPES: Partial<Record<FieldType, string>> = { date: "date", email: "email", phone: "tel" };

function FormField({
  page,
  field,
  value,
  error,
}: {
  page: Page;
  field: FieldDefinition;
  value: string;
  error: FieldError | undefined;
}) {
  const { t } = page;
  const id = `champ-${field.name}`;
  const hint = field.hint ? field.hint[page.locale] : null;
  const common = {
    id,
    name: field.name,
    "aria-invalid": error ? "true" : undefined,
    "aria-describedby": describedByOf(id, { hint: hint !== null, error: error !== undefined }),
    maxLength: field.maxLength ?? (field.type === "textarea" ? 5000 : 200),
  };
  const control =
    field.type === "textarea"
      ? createElement("textarea", { ...common, rows: 6 }, value)
      : createElement("input", {
          ...common,
          // A draft may leave any field empty: « required » would stop a browser from saving it.
          type: INPUT_TYPES[field.type] ?? "text",
          value,
          inputMode: field.type === "money" ? "decimal" : undefined,
          autocomplete: field.type === "email" ? "email" : field.type === "phone" ? "tel" : undefined,
          // An amount is as wide as « 1 250 000,00 »; dates, phones and short codes as wide as theirs.
          class:
            field.type === "money"
              ? "input-sm"
              : widthClassOf({
                  type: field.type === "date" ? "date" : field.type === "phone" ? "tel" : "text",
                  maxLength: field.maxLength,
                }),
        });
  return (
    <div class={error ? "field field-error" : "field"}>
      <label for={id}>
        {labelOf(page, field)}
        {field.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <FieldNotes t={t} id={id} hint={hint} error={error} />
      {control}
    </div>
  );
}

function FormSection({
  page,
  section,
  values,
  errors,
}: {
  page: Page;
  section: SectionDefinition;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const fields = section.fields.filter((field) => field.type !== "pdf");
  if (fields.length === 0) return null;
  return (
    <fieldset>
      <legend>{labelOf(page, { label: section.title })}</legend>
      {fields.map((field) => (
        <FormField
          key={field.name}
          page={page}
          field={field}
          value={values[field.name] ?? ""}
          error={errors[field.name]}
        />
      ))}
    </fieldset>
  );
}

/** One PDF field of a draft: its files with « Supprimer », and « Ajouter » while there is room. */
function AttachmentField({
  page,
  service,
  application,
  field,
  attachments,
  error,
}: {
  page: Page;
  service: Service;
  application: ApplicationRow;
  field: FieldDefinition;
  attachments: AttachmentRow[];
  error: FieldError | undefined;
}) {
  const { t } = page;
  const id = `champ-${field.name}`;
  const max = field.maxFiles ?? 10;
  // The CSRF token travels in the address: the streamed body is read after the check (as « Transfert de fichiers »).
  const action = `${paths.upload(service.code, application.number, field.name)}?_csrf=${encodeURIComponent(page.csrfToken)}`;
  return (
    <div class={error ? "field field-error attachment-field" : "field attachment-field"}>
      <h3>
        {labelOf(page, field)}
        {field.required ? <span aria-hidden="true"> *</span> : null}
      </h3>
      <AttachmentList
        page={page}
        attachments={attachments}
        href={(attachmentId) => paths.attachment(service.code, application.number, attachmentId)}
        remove={(attachmentId) => paths.removeAttachment(service.code, application.number, attachmentId)}
      />
      {attachments.length < max ? (
        <form method="post" action={action} enctype="multipart/form-data" novalidate>
          <label for={id}>{t("applications.attachment.choose", { field: labelOf(page, field) })}</label>
          <FieldNotes t={t} id={id} hint={t("applications.attachment.hint", { max })} error={error} />
          <input
            type="file"
            id={id}
            name="fichier"
            accept=".pdf,application/pdf"
            required
            aria-invalid={error ? "true" : undefined}
            aria-describedby={describedByOf(id, { hint: true, error: error !== undefined })}
          />{" "}
          <button type="submit" class="button-secondary">
            {t("applications.attachment.add")}
          </button>
        </form>
      ) : (
        <FieldNotes t={t} id={id} hint={t("applications.attachment.full", { max })} error={error} />
      )}
    </div>
  );
}

export type EditState = {
  values: Record<string, string>;
  revision: number;
  errors: FieldErrors;
};

function EditForm({ page, data, edit }: { page: Page; data: ApplicationPage; edit: EditState }) {
  const { t } = page;
  const { application, form, service } = data;
  const pdfFields = fieldsOf(form).filter((field) => field.type === "pdf");
  return (
    <>
      <form method="post" action={paths.application(service.code, application.number)} novalidate>
        <CsrfField token={page.csrfToken} />
        <input type="hidden" name="revision" value={String(edit.revision)} />
        <RequiredNote t={t} then="applications.form.draftHint" />
        {form.sections.map((section) => (
          <FormSection
            key={section.id}
            page={page}
            section={section}
            values={edit.values}
            errors={edit.errors}
          />
        ))}
        <div class="actions">
          <button type="submit">{t("applications.form.save")}</button>
        </div>
      </form>
      {pdfFields.length > 0 ? (
        <section aria-labelledby="pieces-jointes">
          <h2 id="pieces-jointes">{t("applications.attachment.title")}</h2>
          <p class="hint">{t("applications.attachment.intro")}</p>
          {pdfFields.map((field) => (
            <AttachmentField
              key={field.name}
              page={page}
              service={service}
              application={application}
              field={field}
              attachments={data.attachments.filter((a) => a.field === field.name)}
              error={edit.errors[field.name]}
            />
          ))}
        </section>
      ) : null}
    </>
  );
}

function MandateForm({ page, application }: { page: Page; application: ApplicationRow }) {
  const { t } = page;
  return (
    <section aria-labelledby="mandater">
      <h2 id="mandater">{t("applications.mandate.assignTitle")}</h2>
      <p class="hint">{t("applications.mandate.assignHint")}</p>
      <form method="post" action={paths.mandatePreview} novalidate>
        <CsrfField token={page.csrfToken} />
        <input type="hidden" name="demande" value={String(application.number)} />
        <TextField t={t} name="agent" label="applications.mandate.agentCode" maxLength={7} />
        <button type="submit">{t("form.continue")}</button>
      </form>
    </section>
  );
}

/** What sits above a page's content when something went wrong: the summary with links to the fields. */
function Problems({ page, form, errors }: { page: Page; form: FormDefinition; errors: FieldErrors }) {
  return <ErrorSummary t={page.t} errors={errors} labels={{}} texts={fieldTexts(page, form)} />;
}

/**
 * One application: the form while the actor may edit the draft, its values otherwise; its attachments; and the ways
 * on (transmit, new version, versions, mandate, back to the list).
 */
export function ApplicationView({
  page,
  data,
  edit,
}: {
  page: Page;
  data: ApplicationPage;
  edit: EditState;
}) {
  const { t } = page;
  const { application, form, service } = data;
  const editing = data.can["application.edit"];
  return (
    <section>
      <Problems page={page} form={form} errors={edit.errors} />
      <ApplicationHeading page={page} service={service} application={application} />
      {edit.errors.revision ? (
        <p id="champ-revision">
          <a href={paths.application(service.code, application.number)}>
            {t("applications.form.openCurrent")}
          </a>
        </p>
      ) : null}
      {editing ? (
        <EditForm page={page} data={data} edit={edit} />
      ) : (
        <ApplicationValues
          page={page}
          form={form}
          data={application.data}
          attachments={data.attachments}
          attachmentHref={(id) => paths.attachment(service.code, application.number, id)}
        />
      )}
      {data.can["application.transmit"] ? (
        <section aria-labelledby="transmission">
          <h2 id="transmission">{t("applications.transmit.title")}</h2>
          <p>{t("applications.transmit.intro")}</p>
          <form method="get" action={paths.transmit(service.code, application.number)} novalidate>
            <button type="submit">{t("applications.transmit.button")}</button>
          </form>
        </section>
      ) : null}
      {application.status === "transmitted" && data.nextVersion !== null ? (
        <Notice kind="info">
          {t("applications.version.nextExists")}{" "}
          <a href={paths.application(service.code, data.nextVersion)}>
            {t("applications.version.open", { number: data.nextVersion })}
          </a>
        </Notice>
      ) : null}
      {application.status === "transmitted" && data.writer && data.nextVersion === null ? (
        <form method="post" action={paths.newVersion(service.code, application.number)} novalidate>
          <CsrfField token={page.csrfToken} />
          <p class="hint">{t("applications.version.newHint")}</p>
          <button type="submit">{t("applications.version.new")}</button>
        </form>
      ) : null}
      {data.canMandate ? <MandateForm page={page} application={application} /> : null}
      <ul class="links">
        <li>
          <a href={paths.versions(service.code, application.number)}>{t("applications.versions.link")}</a>
        </li>
        <li>
          <a href={paths.list(service.code, application.organization_id)}>{t("applications.backToList")}</a>
        </li>
      </ul>
    </section>
  );
}

// --- Transmission

/** « Transmettre »: the draft as it will be transmitted, and « Confirmer la transmission ». */
export function TransmitConfirmView({
  page,
  data,
  errors,
}: {
  page: Page;
  data: ApplicationPage;
  errors: FieldErrors;
}) {
  const { t } = page;
  const { application, form, service } = data;
  return (
    <section>
      <Problems page={page} form={form} errors={errors} />
      <ApplicationHeading
        page={page}
        service={service}
        application={application}
        title={t("applications.transmit.confirmTitle", { number: application.number })}
      />
      <Notice kind="info">{t("applications.transmit.warning")}</Notice>
      <ApplicationValues
        page={page}
        form={form}
        data={application.data}
        attachments={data.attachments}
        attachmentHref={(id) => paths.attachment(service.code, application.number, id)}
      />
      <form method="post" action={paths.transmit(service.code, application.number)} novalidate>
        <CsrfField token={page.csrfToken} />
        <input type="hidden" name="revision" value={String(application.revision)} />
        <div class="actions">
          <button type="submit">{t("applications.transmit.confirm")}</button>
          <a href={paths.application(service.code, application.number)}>{t("form.cancel")}</a>
        </div>
      </form>
    </section>
  );
}

/** After « Confirmer la transmission »: the transmission number and date, and the receipt on its way. */
export function TransmittedView({ page, data }: { page: Page; data: ApplicationPage }) {
  const { t, locale } = page;
  const { application, service } = data;
  return (
    <section>
      <h1>{t("applications.transmitted.title")}</h1>
      <Notice kind="success">
        {t("applications.transmitted.notice", {
          number: application.transmission_number ?? "",
          date: application.transmitted_at ? formatMoment(application.transmitted_at, locale) : "",
        })}
      </Notice>
      <p>
        {t("applications.transmitted.application", { number: application.number, title: application.title })}
      </p>
      <p>{t("applications.transmitted.receipt")}</p>
      <ul class="links">
        <li>
          <a href={paths.application(service.code, application.number)}>
            {t("applications.transmitted.view")}
          </a>
        </li>
        <li>
          <a href={paths.list(service.code, application.organization_id)}>{t("applications.backToList")}</a>
        </li>
      </ul>
    </section>
  );
}

// --- Versions

export function VersionsView({
  page,
  service,
  application,
  versions,
}: {
  page: Page;
  service: Service;
  application: ApplicationRow;
  versions: {
    revision: number;
    status: ApplicationRow["status"];
    title: string;
    saved_at: Date;
    first_name: string;
    last_name: string;
    user_code: string;
  }[];
}) {
  const { t, locale } = page;
  return (
    <section>
      <ApplicationHeading
        page={page}
        service={service}
        application={application}
        title={t("applications.versions.title", { number: application.number })}
      />
      <DataTable
        t={t}
        id="versions"
        caption={t("applications.versions.title", { number: application.number })}
        columns={[
          "applications.versions.revision",
          "applications.col.status",
          "applications.col.title",
          "applications.versions.savedAt",
          "applications.versions.savedBy",
        ]}
      >
        <tbody>
          {versions.map((version) => (
            <tr key={version.revision}>
              <td>
                <a href={paths.version(service.code, application.number, version.revision)}>
                  {t("applications.versions.view", { revision: version.revision })}
                </a>
              </td>
              <td>
                <StatusText page={page} status={version.status} />
              </td>
              <td>{version.title}</td>
              <td>{formatMoment(version.saved_at, locale)}</td>
              <td>{`${personName(version.first_name, version.last_name)} (${version.user_code})`}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      <p>
        <a href={paths.application(service.code, application.number)}>
          {t("applications.backToApplication")}
        </a>
      </p>
    </section>
  );
}

export function VersionView({
  page,
  service,
  application,
  form,
  version,
  attachments,
}: {
  page: Page;
  service: Service;
  application: ApplicationRow;
  form: FormDefinition;
  version: { revision: number; status: ApplicationRow["status"]; data: FormData; saved_at: Date };
  attachments: AttachmentRow[];
}) {
  const { t, locale } = page;
  const current = new Set(
    attachments.filter((attachment) => attachment.removed_at === null).map((attachment) => attachment.id),
  );
  return (
    <section>
      <ApplicationHeading
        page={page}
        service={service}
        application={application}
        title={t("applications.version.title", { number: application.number, revision: version.revision })}
      />
      <Notice kind="info">
        {t("applications.version.savedAt", {
          date: formatMoment(version.saved_at, locale),
          status: t(STATUS[version.status]),
        })}
      </Notice>
      <ApplicationValues
        page={page}
        form={form}
        data={version.data}
        attachments={attachments}
        attachmentHref={(id) =>
          current.has(id) ? paths.attachment(service.code, application.number, id) : null
        }
      />
      <p>
        <a href={paths.versions(service.code, application.number)}>{t("applications.versions.back")}</a>
      </p>
    </section>
  );
}

// --- The ministry: transmitted applications only

type TransmittedRow = ApplicationRow & { service_code: string };

export function MinistryListView({ page, rows }: { page: Page; rows: TransmittedRow[] }) {
  const { t, locale } = page;
  return (
    <section>
      <h1>{t("applications.ministry.title")}</h1>
      <p>{t("applications.ministry.intro")}</p>
      {rows.length === 0 ? (
        <p>{t("applications.ministry.empty")}</p>
      ) : (
        <DataTable
          t={t}
          id="demandes-transmises"
          caption={t("applications.ministry.title")}
          columns={[
            "applications.ministry.transmission",
            "applications.mandates.service",
            "applications.ministry.organization",
            "applications.col.title",
            "applications.ministry.transmittedAt",
          ]}
        >
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td>
                  <a href={paths.ministryApplication(row.number)}>{String(row.transmission_number ?? "")}</a>
                </td>
                <td>{row.service_code}</td>
                <td>
                  <FrenchName locale={locale} name={row.organization_name} />
                </td>
                <td>{`${row.number} — ${row.title}`}</td>
                <td>{row.transmitted_at ? formatMoment(row.transmitted_at, locale) : ""}</td>
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

export function MinistryApplicationView({
  page,
  service,
  application,
  form,
  attachments,
}: {
  page: Page;
  service: Service;
  application: ApplicationRow;
  form: FormDefinition;
  attachments: AttachmentRow[];
}) {
  const { t } = page;
  return (
    <section>
      <ApplicationHeading page={page} service={service} application={application} />
      <ApplicationValues
        page={page}
        form={form}
        data={application.data}
        attachments={attachments}
        attachmentHref={(id) => paths.ministryAttachment(application.number, id)}
      />
      <p>
        <a href={paths.ministryList}>{t("applications.ministry.back")}</a>
      </p>
    </section>
  );
}

// --- The home page

export type ApplicationSpace = {
  code: string;
  name: string;
  organization_id: number;
  organization_name: string;
};

/** « Demandes d'aide financière » and « Gestion des mandats » on the home page, for those they open to. */
export function ApplicationsHomeSection({
  page,
  spaces,
  managesMandates,
}: {
  page: Page;
  spaces: ApplicationSpace[];
  managesMandates: boolean;
}) {
  const { t } = page;
  if (spaces.length === 0 && !managesMandates) return null;
  return (
    <section aria-labelledby="demandes-aide">
      <h2 id="demandes-aide">{t("applications.home.title")}</h2>
      <ul class="card-list">
        {spaces.map((space) => (
          <li key={`${space.code}/${space.organization_id}`}>
            <a href={paths.list(space.code, space.organization_id)}>
              {t("applications.home.list", { service: space.code, organization: space.organization_name })}
            </a>
            <p class="hint">{space.name}</p>
          </li>
        ))}
        {managesMandates ? (
          <li>
            <a href={paths.mandates}>{t("applications.mandates.title")}</a>
            <p class="hint">{t("applications.home.mandatesHint")}</p>
          </li>
        ) : null}
      </ul>
    </section>
  );
}
