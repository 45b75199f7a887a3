// Pages of « Demander un accès »: the form, « Mes demandes d'accès », « Demandes d'accès reçues » and one request's
// page with « Approuver » and « Refuser », and the refusal page's « Ce qui vous manque ».
import type { ComponentChildren } from "preact";
import type { AccessRight } from "../../db/schema.js";
import { ACCESS_RIGHTS } from "../../policy/registry.rules.js";
import { formatDay, montrealDay } from "../../util/days.js";
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  RequiredNote,
  SelectField,
  TextAreaField,
  TextField,
} from "../../web/forms.js";
import { ServiceTitle, serviceTitle } from "../../web/localized.js";
import type { MessageKey, Translate } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import type { MissingItem, RefusalExplanation } from "./refusal.js";
import type { RequestRow } from "./right-requests.queries.js";
import {
  MESSAGE_MAX,
  OWN_PATH,
  RECEIVED_PATH,
  type ReceivedRequest,
  type RequestOrganization,
} from "./right-requests.service.js";

type NamedService = { code: string; name: string; name_en?: string | null };

function day(at: Date | string, page: Page): string {
  return formatDay(montrealDay(typeof at === "string" ? new Date(at) : at), page.locale);
}

function statusText(t: Translate, row: RequestRow, page: Page): string {
  switch (row.status) {
    case "open":
      return row.access_right.startsWith("agent.") && !row.associated
        ? t("rightRequests.status.openUnassociated", { date: day(row.expires_at, page) })
        : t("rightRequests.status.open", { date: day(row.expires_at, page) });
    case "approved":
      return t("rightRequests.status.approved", {
        name: row.decider_name ?? "",
        date: day(row.decided_at ?? row.created_at, page),
      });
    case "refused":
      return t("rightRequests.status.refused", {
        name: row.decider_name ?? "",
        date: day(row.decided_at ?? row.created_at, page),
        reason: row.refusal_reason ?? "",
      });
    case "expired":
      return t("rightRequests.status.expired");
  }
}

function dossierText(t: Translate, row: RequestRow): string {
  return row.application_number === null
    ? t("rightRequests.noDossier")
    : `${row.application_number} — ${row.application_title ?? ""}`;
}

function serviceOf(row: RequestRow): NamedService {
  return { code: row.service_code, name: row.service_name, name_en: row.service_name_en };
}

// --- The form

const ASK_LABELS: Record<string, MessageKey> = {
  organisation: "rightRequests.organization",
  droit: "rightRequests.right",
  dossier: "rightRequests.dossier",
  message: "rightRequests.message",
};

export type AskValues = { organization: string; right: string; dossier: string; message: string };

export function AskView({
  page,
  service,
  organizations,
  values,
  submissionKey,
  days,
  errors,
}: {
  page: Page;
  service: NamedService;
  organizations: readonly RequestOrganization[];
  values: AskValues;
  submissionKey: string;
  days: number;
  errors: FieldErrors;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("rightRequests.askTitle")}</h1>
      <p>
        <ServiceTitle locale={page.locale} service={service} />
      </p>
      <ErrorSummary t={t} errors={errors} labels={ASK_LABELS} />
      <p>{t("rightRequests.askIntro", { service: serviceTitle(page.locale, service), days })}</p>
      <RequiredNote t={t} />
      <form
        method="post"
        action={`/services/${encodeURIComponent(service.code)}/demander-un-acces`}
        novalidate
      >
        <CsrfField token={page.csrfToken} />
        <input type="hidden" name={SUBMISSION_FIELD} value={submissionKey} />
        <SelectField
          t={t}
          name="organisation"
          label="rightRequests.organization"
          value={values.organization}
          error={errors.organisation}
          options={[
            { value: "", label: t("rightRequests.chooseOrganization") },
            ...organizations.map((o) => ({ value: String(o.id), label: o.name })),
          ]}
          required
        />
        <SelectField
          t={t}
          name="droit"
          label="rightRequests.right"
          value={values.right}
          error={errors.droit}
          options={[
            { value: "", label: t("rightRequests.rightRequired") },
            ...ACCESS_RIGHTS.map((right) => ({ value: right, label: t(`registry.right.${right}`) })),
          ]}
          required
        />
        <TextField
          t={t}
          name="dossier"
          label="rightRequests.dossier"
          hint="rightRequests.dossierHint"
          value={values.dossier}
          error={errors.dossier}
          inputMode="numeric"
          maxLength={15}
        />
        <TextAreaField
          t={t}
          name="message"
          label="rightRequests.message"
          hint="rightRequests.messageHint"
          value={values.message}
          error={errors.message}
          maxLength={MESSAGE_MAX}
        />
        <div class="actions">
          <button type="submit">{t("rightRequests.submit")}</button>
          <a href={OWN_PATH}>{t("rightRequests.ownTitle")}</a>
        </div>
      </form>
    </section>
  );
}

/**
 * One request in a list: when, who (the managers' queue), the service, for which organization (one's own list), the
 * right, the dossier and what became of it.
 */
function RequestCells({
  page,
  row,
  person,
  organization,
}: {
  page: Page;
  row: RequestRow;
  person?: ComponentChildren;
  organization?: ComponentChildren;
}) {
  const { t } = page;
  return (
    <tr>
      <td>{day(row.created_at, page)}</td>
      {person}
      <td>
        <ServiceTitle locale={page.locale} service={serviceOf(row)} />
      </td>
      {organization}
      <td>{t(`registry.right.${row.access_right}`)}</td>
      <td>{dossierText(t, row)}</td>
      <td>{statusText(t, row, page)}</td>
    </tr>
  );
}

// --- « Mes demandes d'accès »

const OWN_COLUMNS: readonly MessageKey[] = [
  "rightRequests.col.date",
  "rightRequests.col.service",
  "rightRequests.col.organization",
  "rightRequests.col.right",
  "rightRequests.col.dossier",
  "rightRequests.col.status",
];

export function OwnRequestsView({ page, rows }: { page: Page; rows: readonly RequestRow[] }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("rightRequests.ownTitle")}</h1>
      {rows.length === 0 ? (
        <p>{t("rightRequests.ownNone")}</p>
      ) : (
        <DataTable t={t} id="mes-demandes" caption={t("rightRequests.ownTitle")} columns={OWN_COLUMNS}>
          <tbody>
            {rows.map((row) => (
              <RequestCells
                key={row.id}
                page={page}
                row={row}
                organization={<td>{row.organization_name}</td>}
              />
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

// --- « Demandes d'accès reçues »

const RECEIVED_COLUMNS: readonly MessageKey[] = [
  "rightRequests.col.date",
  "rightRequests.col.person",
  "rightRequests.col.service",
  "rightRequests.col.right",
  "rightRequests.col.dossier",
  "rightRequests.col.status",
];

export function ReceivedView({ page, rows }: { page: Page; rows: readonly RequestRow[] }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("rightRequests.receivedTitle")}</h1>
      <p>{t("rightRequests.receivedIntro")}</p>
      {rows.length === 0 ? (
        <p>{t("rightRequests.receivedNone")}</p>
      ) : (
        <DataTable
          t={t}
          id="demandes-recues"
          caption={t("rightRequests.receivedTitle")}
          columns={RECEIVED_COLUMNS}
        >
          <tbody>
            {rows.map((row) => (
              <RequestCells
                key={row.id}
                page={page}
                row={row}
                person={
                  <td>
                    <a href={`${RECEIVED_PATH}/${row.id}`}>
                      {row.person_name} ({row.person_code})
                    </a>
                    <br />
                    {row.person_organization}
                  </td>
                }
              />
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

const REVIEW_LABELS: Record<string, MessageKey> = {
  demande: "rightRequests.col.status",
  motif: "rightRequests.refuseReason",
};

export function ReviewView({
  page,
  request,
  submissionKey,
  reason,
  errors,
}: {
  page: Page;
  request: ReceivedRequest;
  submissionKey: string;
  reason: string;
  errors: FieldErrors;
}) {
  const { t } = page;
  const base = `${RECEIVED_PATH}/${request.id}`;
  const open = request.status === "open";
  const waitsForAssociation = open && request.access_right.startsWith("agent.") && !request.associated;
  return (
    <section>
      <h1>{t("rightRequests.reviewTitle", { name: request.person_name })}</h1>
      <ErrorSummary t={t} errors={errors} labels={REVIEW_LABELS} targets={{ demande: "decision" }} />
      <dl class="details">
        <dt>{t("rightRequests.col.person")}</dt>
        <dd>
          {request.person_name} ({request.person_code}), {request.person_organization}
        </dd>
        <dt>{t("rightRequests.col.service")}</dt>
        <dd>
          <ServiceTitle locale={page.locale} service={serviceOf(request)} />
        </dd>
        <dt>{t("rightRequests.col.organization")}</dt>
        <dd>{request.organization_name}</dd>
        <dt>{t("rightRequests.col.right")}</dt>
        <dd>{t(`registry.right.${request.access_right}`)}</dd>
        <dt>{t("rightRequests.col.dossier")}</dt>
        <dd>{dossierText(t, request)}</dd>
        <dt>{t("rightRequests.reviewMessage")}</dt>
        <dd>{request.message === "" ? t("rightRequests.noMessage") : request.message}</dd>
        <dt>{t("rightRequests.col.date")}</dt>
        <dd>{day(request.created_at, page)}</dd>
        <dt>{t("rightRequests.col.status")}</dt>
        <dd id="decision">{statusText(t, request, page)}</dd>
      </dl>
      {waitsForAssociation ? (
        <p class="notice notice-info" role="status">
          {t("rightRequests.needsAssociation", { name: request.person_name })}
        </p>
      ) : null}
      {open ? (
        <>
          <form method="post" action={`${base}/approbation`} novalidate>
            <CsrfField token={page.csrfToken} />
            <input type="hidden" name={SUBMISSION_FIELD} value={submissionKey} />
            <p class="hint">{t("rightRequests.approveHint")}</p>
            <div class="actions">
              <button type="submit">{t("rightRequests.approve")}</button>
            </div>
          </form>
          <form method="post" action={`${base}/refus`} novalidate>
            <CsrfField token={page.csrfToken} />
            <TextAreaField
              t={t}
              name="motif"
              label="rightRequests.refuseReason"
              hint="rightRequests.refuseHint"
              value={reason}
              error={errors.motif}
              maxLength={MESSAGE_MAX}
              required
            />
            <div class="actions">
              <button type="submit" class="secondary">
                {t("rightRequests.refuse")}
              </button>
            </div>
          </form>
        </>
      ) : null}
      <p>
        <a href={RECEIVED_PATH}>{t("rightRequests.backToReceived")}</a>
      </p>
    </section>
  );
}

// --- The refusal page's « Ce qui vous manque »

function names(people: MissingItem["people"]): string {
  return people.map((person) => `${person.name} (${person.email})`).join(", ");
}

function rightsText(t: Translate, rights: readonly AccessRight[]): string {
  return rights.map((right) => `« ${t(`registry.right.${right}`)} »`).join(t("refusal.or"));
}

export function MissingView({ page, explanation }: { page: Page; explanation: RefusalExplanation }) {
  const { t } = page;
  const service = serviceTitle(page.locale, explanation.service);
  return (
    <section class="refusal-missing" aria-labelledby="ce-qui-manque">
      <h2 id="ce-qui-manque">{t("refusal.title")}</h2>
      <p>
        {t("refusal.intro", {
          action: t(`refusal.action.${explanation.action}`),
          organization: explanation.organization.name,
          service,
        })}
      </p>
      <ul>
        {explanation.items.map((item) => (
          <li key={item.kind}>
            <strong>
              {item.kind === "right"
                ? t("refusal.right", { rights: rightsText(t, explanation.rights) })
                : t(`refusal.${item.kind}`)}
            </strong>{" "}
            {item.people.length > 0
              ? t(`refusal.${item.kind}.who`, { names: names(item.people) })
              : t(`refusal.${item.kind}.nobody`)}
          </li>
        ))}
      </ul>
      {explanation.askedAt ? (
        <p>
          {t("refusal.asked", { date: day(explanation.askedAt, page) })}{" "}
          <a href={OWN_PATH}>{t("refusal.ownRequests")}</a>
        </p>
      ) : explanation.ask ? (
        <p>
          <a class="button" href={explanation.ask}>
            {t("rightRequests.askLink")}
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** The home page's links: one's own requests, and the queue for a local manager or deputy. */
export function RightRequestsHomeSection({ page, manages }: { page: Page; manages: boolean }) {
  const { t } = page;
  if (page.actor.kind !== "user" || page.actor.organizationKind === "ministry") return null;
  return (
    <section aria-labelledby="demandes-d-acces">
      <h2 id="demandes-d-acces">{t("rightRequests.homeTitle")}</h2>
      <ul class="card-list">
        {manages ? (
          <li>
            <a href={RECEIVED_PATH}>{t("rightRequests.receivedTitle")}</a>
            <p class="hint">{t("rightRequests.receivedHint")}</p>
          </li>
        ) : null}
        <li>
          <a href={OWN_PATH}>{t("rightRequests.ownTitle")}</a>
          <p class="hint">{t("rightRequests.ownHint")}</p>
        </li>
      </ul>
    </section>
  );
}
