// Pages of « Transfert de fichiers » (seed 004), all usable without JavaScript: choosing the recipient is a GET
// step; each file is its own form; /static/file-transfer.js adds a progress bar to « Ajouter un fichier », and shows a
// recipient's instructions as soon as it is chosen (without the script, « Afficher les consignes » does).
import {
  CsrfField,
  describedByOf,
  ErrorSummary,
  type FieldErrors,
  FieldNotes,
  Notice,
} from "../../web/forms.js";
import { FrenchName, Localized, langOf, localizedText } from "../../web/localized.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import { formatSize } from "./file-size.js";
import type { SendPage, TransferWithFiles } from "./file-transfers.service.js";

export const SEND_PATH = "/transfert-fichiers";
export const HISTORY_PATH = "/transfert-fichiers/historique";
export const INBOXES_PATH = "/transfert-fichiers/reception";

export function sendPathFor(recipientCode: string): string {
  return `${SEND_PATH}?destinataire=${encodeURIComponent(recipientCode)}`;
}

const FILE_LIST_ID = "fichiers";
/** The answers to « Ajouter un fichier » and « Supprimer », after which the focus goes back to the list of files. */
const FILE_LIST_FLASHES: ReadonlySet<MessageKey> = new Set([
  "fileTransfers.fileAdded",
  "fileTransfers.fileReplaced",
  "fileTransfers.fileRemoved",
  "fileTransfers.fileAlreadyRemoved",
]);

export function uploadPathFor(recipientCode: string): string {
  return `${SEND_PATH}/${encodeURIComponent(recipientCode)}/fichiers`;
}

export function inboxPathFor(recipientCode: string): string {
  return `${INBOXES_PATH}/${encodeURIComponent(recipientCode)}`;
}

export function downloadPathFor(fileId: number): string {
  return `${INBOXES_PATH}/fichiers/${fileId}`;
}

const CANNOT: Partial<Record<string, MessageKey>> = {
  not_sending_organization: "fileTransfers.cannot.not_sending_organization",
  no_procuration: "fileTransfers.cannot.no_procuration",
  service_not_covered: "fileTransfers.cannot.service_not_covered",
};

export type SendErrors = FieldErrors<"fichier" | "fichiers" | "certification">;

/** Short (2026-12-07 10 h 05), so that the date column of a list of transfers stays on one line. */
function dateTime(page: Page, at: Date): string {
  return new Intl.DateTimeFormat(page.locale === "fr" ? "fr-CA" : "en-CA", {
    timeZone: "America/Montreal",
    dateStyle: "short",
    timeStyle: "short",
  }).format(at);
}

export function SendView({
  page,
  data,
  errors,
  submissionKey,
}: {
  page: Page;
  data: SendPage;
  errors: SendErrors;
  submissionKey: string;
}) {
  const { t } = page;
  const chosen = data.chosen;
  const organization = page.actor.kind === "user" ? page.actor.organizationName : "";
  const refusal = data.organizationDecision.allowed ? null : data.organizationDecision.reason;
  return (
    <section>
      <h1>{t("fileTransfers.title")}</h1>
      {/* « No file yet » is mended by the file field, in the form beside the list. */}
      <ErrorSummary t={t} errors={errors} labels={{}} targets={{ fichiers: "champ-fichier" }} />
      {refusal === "not_sending_organization" ? (
        <Notice kind="info">{t("fileTransfers.cannot.not_sending_organization")}</Notice>
      ) : null}
      {data.staffOf.length > 0 ? (
        <p>
          <a href={INBOXES_PATH}>{t("fileTransfers.inboxes")}</a>
        </p>
      ) : null}
      {data.canSeeHistory ? (
        <p>
          <a href={HISTORY_PATH}>{t("fileTransfers.history")}</a>
        </p>
      ) : null}
      <form method="get" action={SEND_PATH} class="recipient-choice" novalidate>
        <div class="field">
          <label for="champ-destinataire">{t("fileTransfers.recipient")}</label>
          <p class="hint" id="champ-destinataire-aide">
            {t("fileTransfers.recipientHint")}
          </p>
          <select id="champ-destinataire" name="destinataire" aria-describedby="champ-destinataire-aide">
            <option value="">{t("fileTransfers.choose")}</option>
            {data.recipients.map((recipient) => (
              <option
                key={recipient.id}
                value={recipient.code}
                selected={chosen?.recipient.id === recipient.id}
                {...langOf(page.locale, recipient.name, recipient.name_en)}
              >
                {localizedText(page.locale, recipient.name, recipient.name_en)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button-secondary">
          {t("fileTransfers.showRecipient")}
        </button>
      </form>
      {/* With the script, choosing a recipient fills this region at once (its instructions and forms). */}
      <div id="destinataire-choisi" aria-live="polite">
        {chosen ? (
          <ChosenRecipient
            page={page}
            chosen={chosen}
            errors={errors}
            submissionKey={submissionKey}
            organization={organization}
          />
        ) : null}
      </div>
      <script src="/static/file-transfer.js" defer />
    </section>
  );
}

function ChosenRecipient({
  page,
  chosen,
  errors,
  submissionKey,
  organization,
}: {
  page: Page;
  chosen: NonNullable<SendPage["chosen"]>;
  errors: SendErrors;
  submissionKey: string;
  organization: string;
}) {
  const { t } = page;
  const { recipient, decision, draft } = chosen;
  const extensions = recipient.allowed_extensions.join(", ");
  const example = `${chosen.geoCode ?? "23027"} Démarche.${recipient.allowed_extensions[0] ?? "pdf"}`;
  const maxLabel = formatSize(chosen.limit, t, page.locale);
  return (
    <section aria-labelledby="consignes">
      <h2 id="consignes" {...langOf(page.locale, recipient.name, recipient.name_en)}>
        {localizedText(page.locale, recipient.name, recipient.name_en)}
      </h2>
      <p {...langOf(page.locale, recipient.instructions, recipient.instructions_en)}>
        {localizedText(page.locale, recipient.instructions, recipient.instructions_en)}
      </p>
      <ul>
        <li>{t("fileTransfers.allowedExtensions", { extensions })}</li>
        <li>{t("fileTransfers.maxSize", { max: maxLabel })}</li>
        {recipient.name_rule === "geo_code_prefix" ? (
          <li>{t("fileTransfers.nameRuleGeoCode", { example })}</li>
        ) : null}
        <li>
          {t("fileTransfers.receivedBy", {
            unit: localizedText(page.locale, recipient.unit_name, recipient.unit_name_en),
          })}
        </li>
      </ul>
      {decision.allowed ? (
        <>
          <FileList page={page} files={draft?.files ?? []} error={errors.fichiers} />
          <AddFileForm
            page={page}
            code={recipient.code}
            extensions={recipient.allowed_extensions}
            maxBytes={chosen.limit}
            maxLabel={maxLabel}
            error={errors.fichier}
            listError={errors.fichiers}
          />
          <form
            method="post"
            action={`${SEND_PATH}/${encodeURIComponent(recipient.code)}/transferer`}
            class="transfer-form"
            novalidate
          >
            <CsrfField token={page.csrfToken} />
            <input type="hidden" name={SUBMISSION_FIELD} value={submissionKey} />
            <input type="hidden" name="brouillon" value={draft ? String(draft.id) : ""} />
            <div class={errors.certification ? "certify field-error" : "certify"}>
              {errors.certification ? (
                <p class="error-message" id="champ-certification-erreur">
                  {t(errors.certification.key, errors.certification.params)}
                </p>
              ) : null}
              <input
                type="checkbox"
                id="champ-certification"
                name="certification"
                value="1"
                required
                aria-invalid={errors.certification ? "true" : undefined}
                aria-describedby={errors.certification ? "champ-certification-erreur" : undefined}
              />{" "}
              <label for="champ-certification">{t("fileTransfers.certify")}</label>
            </div>
            <button type="submit">{t("fileTransfers.submit")}</button>
          </form>
        </>
      ) : (
        <Notice kind="info">
          {t(CANNOT[decision.reason] ?? "fileTransfers.cannot.other", {
            organization,
            ministry: recipient.ministry_acronym ?? recipient.ministry_name,
          })}
        </Notice>
      )}
    </section>
  );
}

function FileList({
  page,
  files,
  error,
}: {
  page: Page;
  files: NonNullable<NonNullable<SendPage["chosen"]>["draft"]>["files"];
  error: SendErrors["fichiers"];
}) {
  const { t } = page;
  return (
    <section aria-labelledby={FILE_LIST_ID} class={error ? "field-error" : undefined}>
      {/* After a file is added or removed (with the script too, which loads the same page), the focus comes back
          to the list, where the file now stands or no longer does, rather than to the top of the page. */}
      <h3
        id={FILE_LIST_ID}
        tabindex={-1}
        autofocus={page.flash !== null && FILE_LIST_FLASHES.has(page.flash.key)}
      >
        {t("fileTransfers.files")}
      </h3>
      <FieldNotes t={t} id="champ-fichiers" error={error} />
      {files.length === 0 ? (
        <p>{t("fileTransfers.noFilesYet")}</p>
      ) : (
        <DataTable
          t={t}
          id="fichiers-ajoutes"
          caption={t("fileTransfers.files")}
          columns={["fileTransfers.fileName", "fileTransfers.fileSize", "fileTransfers.fileActions"]}
          class="staged-files"
        >
          <tbody>
            {files.map((file) => (
              <tr key={file.id}>
                <td>{file.name}</td>
                <td>{formatSize(file.size_bytes, t, page.locale)}</td>
                <td>
                  <form
                    method="post"
                    action={`${SEND_PATH}/fichiers/${file.id}/supprimer`}
                    class="inline-form"
                    novalidate
                  >
                    <CsrfField token={page.csrfToken} />
                    <button type="submit" class="link-button">
                      {t("fileTransfers.remove")}
                      <span class="visually-hidden">{` : ${file.name}`}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

function AddFileForm({
  page,
  code,
  extensions,
  maxBytes,
  maxLabel,
  error,
  listError,
}: {
  page: Page;
  code: string;
  extensions: readonly string[];
  maxBytes: number;
  maxLabel: string;
  error: SendErrors["fichier"];
  /** The list's own error (no file yet): this field is what mends it. */
  listError: SendErrors["fichiers"];
}) {
  const { t } = page;
  // The CSRF token travels in the address: a streamed body is read after the check, and the logs drop query strings.
  const action = `${uploadPathFor(code)}?_csrf=${encodeURIComponent(page.csrfToken)}`;
  return (
    <form
      method="post"
      action={action}
      enctype="multipart/form-data"
      class="upload-form"
      data-max-bytes={String(maxBytes)}
      data-too-large={t("fileTransfers.refusal.tooLarge", { max: maxLabel })}
      data-uploading={t("fileTransfers.uploading")}
      data-failed={t("fileTransfers.uploadFailed")}
      novalidate
    >
      <div class={error ? "field field-error" : "field"}>
        <label for="champ-fichier">{t("fileTransfers.fileField")}</label>
        <p class="hint" id="champ-fichier-aide">
          {t("fileTransfers.fileHint")}
        </p>
        {error ? (
          <p class="error-message" id="champ-fichier-erreur">
            {t(error.key, error.params)}
          </p>
        ) : null}
        <input
          type="file"
          id="champ-fichier"
          name="fichier"
          required
          accept={extensions.map((e) => `.${e}`).join(",")}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={[
            describedByOf("champ-fichier", { hint: true, error: error !== undefined }),
            listError ? "champ-fichiers-erreur" : "",
          ]
            .filter(Boolean)
            .join(" ")}
        />
      </div>
      <div class="upload-progress" aria-live="polite" />
      <button type="submit" class="button-secondary">
        {t("fileTransfers.addFile")}
      </button>
    </form>
  );
}

function TransferTable({
  page,
  caption,
  transfers,
  received,
}: {
  page: Page;
  caption: string;
  transfers: TransferWithFiles[];
  /** An inbox: the sending organization is shown, and each file is a download link. */
  received: boolean;
}) {
  const { t } = page;
  return (
    <DataTable
      t={t}
      id="transferts"
      caption={caption}
      columns={[
        "fileTransfers.number",
        "fileTransfers.date",
        received ? "fileTransfers.organization" : "fileTransfers.recipient",
        "fileTransfers.sender",
        received ? "fileTransfers.filesReceived" : "fileTransfers.filesSent",
      ]}
      class="transfers"
    >
      <tbody>
        {transfers.map((transfer) => (
          <tr key={transfer.id}>
            <td>{String(transfer.confirmation_number)}</td>
            <td class="nowrap">{dateTime(page, transfer.sent_at)}</td>
            <td>
              {received ? (
                <FrenchName locale={page.locale} name={transfer.organization_name} />
              ) : (
                <Localized
                  locale={page.locale}
                  fr={transfer.recipient_name}
                  en={transfer.recipient_name_en}
                />
              )}
            </td>
            <td>{`${transfer.sender_first_name} ${transfer.sender_last_name} (${transfer.sender_code})`}</td>
            <td>
              <ul class="transfer-files">
                {transfer.files.map((file) => (
                  <li key={file.id}>
                    {received ? (
                      <a href={downloadPathFor(file.id)} download={file.name}>
                        {file.name}
                      </a>
                    ) : (
                      file.name
                    )}
                    {` — ${formatSize(file.size_bytes, t, page.locale)}`}
                    <br />
                    <span class="hint sha256">
                      {t("form.labelled", { label: "SHA-256", value: file.sha256 })}
                    </span>
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

/** A list of transfers with their files: the sender's history or a recipient's inbox. */
function TransfersPage({
  page,
  title,
  intro,
  empty,
  back,
  transfers,
  received,
}: {
  page: Page;
  title: string;
  intro: MessageKey;
  empty: MessageKey;
  back: { href: string; label: MessageKey };
  transfers: TransferWithFiles[];
  /** An inbox: the sending organization is shown, and each file is a download link. */
  received: boolean;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{title}</h1>
      <p>{t(intro)}</p>
      {transfers.length === 0 ? (
        <p>{t(empty)}</p>
      ) : (
        <TransferTable page={page} caption={title} transfers={transfers} received={received} />
      )}
      <p>
        <a href={back.href}>{t(back.label)}</a>
      </p>
    </section>
  );
}

export function HistoryView({ page, transfers }: { page: Page; transfers: TransferWithFiles[] }) {
  const organization = page.actor.kind === "user" ? page.actor.organizationName : "";
  return (
    <TransfersPage
      page={page}
      title={page.t("fileTransfers.historyTitle", { organization })}
      intro="fileTransfers.historyIntro"
      empty="fileTransfers.historyEmpty"
      back={{ href: SEND_PATH, label: "fileTransfers.backToTransfer" }}
      transfers={transfers}
      received={false}
    />
  );
}

export function InboxView({
  page,
  recipient,
  transfers,
}: {
  page: Page;
  recipient: { name: string; name_en: string | null };
  transfers: TransferWithFiles[];
}) {
  return (
    <TransfersPage
      page={page}
      title={page.t("fileTransfers.inboxTitle", {
        recipient: localizedText(page.locale, recipient.name, recipient.name_en),
      })}
      intro="fileTransfers.inboxIntro"
      empty="fileTransfers.inboxEmpty"
      back={{ href: INBOXES_PATH, label: "fileTransfers.backToInboxes" }}
      transfers={transfers}
      received={true}
    />
  );
}

export function InboxesView({
  page,
  recipients,
}: {
  page: Page;
  recipients: { code: string; name: string; name_en: string | null }[];
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("fileTransfers.inboxes")}</h1>
      <p>{t("fileTransfers.inboxesIntro")}</p>
      {recipients.length === 0 ? (
        <p>{t("fileTransfers.inboxesEmpty")}</p>
      ) : (
        <ul class="card-list">
          {recipients.map((recipient) => (
            <li key={recipient.code}>
              <a
                href={inboxPathFor(recipient.code)}
                {...langOf(page.locale, recipient.name, recipient.name_en)}
              >
                {localizedText(page.locale, recipient.name, recipient.name_en)}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
