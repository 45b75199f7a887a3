// « Services sans gestionnaire »: the ministry's services' scopes with current rights and no manager able to act, the
// days since, and the ministry's own actions (name a deputy, the replacement requests) beside each.
import { ErrorSummary } from "../../web/forms.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { GAPS_PATH, managersPath, queuePath } from "../manager-gaps/manager-gaps.service.js";
import type { GapList } from "./back-office.service.js";
import { MinistryServiceFilter } from "./back-office.views.js";

export function GapsView({ page, list, ministryName }: { page: Page; list: GapList; ministryName: string }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("backOffice.gaps.title")}</h1>
      <p>{t("backOffice.gaps.intro", { ministry: ministryName })}</p>
      <ErrorSummary t={t} errors={list.errors} labels={{ service: "backOffice.gaps.service" }} />
      <MinistryServiceFilter
        page={page}
        action={GAPS_PATH}
        label="backOffice.gaps.service"
        apply="backOffice.gaps.apply"
        services={list.services}
        value={list.query.service}
        error={list.errors.service}
      />
      {list.rows.length === 0 ? (
        <p>{t("backOffice.gaps.empty")}</p>
      ) : (
        <>
          <p role="status">{t("backOffice.gaps.count", { count: list.rows.length })}</p>
          <DataTable
            t={t}
            id="sans-gestionnaire"
            caption={t("backOffice.gaps.title")}
            columns={[
              "backOffice.gaps.col.organization",
              "backOffice.gaps.col.service",
              "backOffice.gaps.col.role",
              "backOffice.gaps.col.manager",
              "backOffice.gaps.col.cause",
              "backOffice.gaps.col.days",
              "backOffice.gaps.col.actions",
            ]}
          >
            <tbody>
              {list.rows.map((row) => (
                <tr
                  key={`${row.role}/${row.organization_id}/${row.service_point_id ?? ""}/${row.service_id}`}
                >
                  <td>
                    {row.organization_name}
                    {row.service_point_name ? ` — ${row.service_point_name}` : null}
                  </td>
                  <td>{row.service_code}</td>
                  <td>{t(`backOffice.role.${row.role}`)}</td>
                  <td>
                    {row.manager_first_name === null
                      ? t("backOffice.none")
                      : `${row.manager_first_name} ${row.manager_last_name ?? ""}`}
                  </td>
                  <td>{t(`managerGaps.cause.${row.cause}`)}</td>
                  <td>
                    {row.days === null
                      ? t("backOffice.gaps.unknownSince")
                      : t("backOffice.gaps.days", { days: row.days })}
                  </td>
                  <td>
                    {row.role === "local_manager" ? (
                      <>
                        <a href={managersPath(row)}>{t("backOffice.gaps.nameDeputy")}</a>
                        <br />
                      </>
                    ) : null}
                    <a href={queuePath(row)}>{t("backOffice.gaps.requests")}</a>
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
