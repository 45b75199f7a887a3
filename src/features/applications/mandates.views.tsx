// Pages of « Gestion des mandats »: the organization's current mandates across the infrastructure services, with
// « Mettre fin », and the two steps of assigning one (application number and user code, then « Confirmer »).

import { formatMoment } from "../../util/days.js";
import { CsrfField, ErrorSummary, type FieldErrors, TextField } from "../../web/forms.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import type { MandatePreview } from "./applications.service.js";
import { PostButton, paths, TableHead } from "./applications.views.js";

export type MandateRow = {
  id: number;
  assigned_at: Date;
  number: number;
  title: string;
  status: "draft" | "transmitted";
  service_code: string;
  agent_code: string;
  agent_first_name: string;
  agent_last_name: string;
  firm_name: string;
  assigned_by_first_name: string;
  assigned_by_last_name: string;
};

export type MandateForm = { number: string; agent: string; errors: FieldErrors };

const LABELS: Record<string, MessageKey> = {
  demande: "applications.mandate.number",
  agent: "applications.mandate.agentCode",
};

export function MandatesView({ page, rows, form }: { page: Page; rows: MandateRow[]; form: MandateForm }) {
  const { t, locale } = page;
  return (
    <section>
      <h1>{t("applications.mandates.title")}</h1>
      <p>{t("applications.mandates.intro")}</p>
      <section aria-labelledby="attribuer">
        <h2 id="attribuer">{t("applications.mandate.assignTitle")}</h2>
        <ErrorSummary t={t} errors={form.errors} labels={LABELS} />
        <form method="post" action={paths.mandatePreview} novalidate>
          <CsrfField token={page.csrfToken} />
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
        <table>
          <TableHead
            page={page}
            columns={[
              "applications.mandates.service",
              "applications.mandates.application",
              "applications.mandates.agent",
              "applications.mandates.since",
              "users.col.actions",
            ]}
          />
          <tbody>
            {rows.map((row) => {
              const agent = `${row.agent_first_name} ${row.agent_last_name} (${row.agent_code})`;
              return (
                <tr key={row.id}>
                  <td>{row.service_code}</td>
                  <td>{`${row.number} — ${row.title}`}</td>
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
                      what={`${agent}, ${row.number}`}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The step before « Confirmer »: the application and the person found, as they will be bound. */
export function MandateConfirmView({
  page,
  preview,
  agentCode,
}: {
  page: Page;
  preview: MandatePreview & { ok: true };
  agentCode: string;
}) {
  const { t } = page;
  const { application, service, person } = preview;
  return (
    <section>
      <h1>{t("applications.mandate.confirmTitle")}</h1>
      <dl>
        <dt>{t("applications.mandates.application")}</dt>
        <dd>{`${application.number} — ${application.title}`}</dd>
        <dt>{t("applications.mandates.service")}</dt>
        <dd>{`${service.code} — ${service.name}`}</dd>
        <dt>{t("applications.mandates.agent")}</dt>
        <dd>{`${person.first_name} ${person.last_name} (${person.user_code}) — ${person.organization_name}`}</dd>
      </dl>
      <form method="post" action={paths.mandates} novalidate>
        <CsrfField token={page.csrfToken} />
        <input type="hidden" name="demande" value={String(application.number)} />
        <input type="hidden" name="agent" value={agentCode} />
        <div class="actions">
          <button type="submit">{t("applications.mandate.confirm")}</button>
          <a href={paths.mandates}>{t("form.cancel")}</a>
        </div>
      </form>
    </section>
  );
}
