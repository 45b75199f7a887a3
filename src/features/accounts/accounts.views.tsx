// Pages of the services officer's user management.
import type { FieldErrors } from "../../web/forms.js";
import {
  CsrfField,
  civilityOptions,
  ErrorSummary,
  RequiredNote,
  SelectField,
  TextField,
} from "../../web/forms.js";
import { FrenchName, Message } from "../../web/localized.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import type { ProfileField, ProfileInput } from "./accounts.validation.js";

export type UserRow = {
  user_code: string;
  first_name: string;
  last_name: string;
  email: string;
  is_services_officer: boolean;
  disabled_at: Date | null;
  activated: boolean;
};

const LABELS: Record<ProfileField, MessageKey> = {
  civility: "person.civility",
  firstName: "person.firstName",
  lastName: "person.lastName",
  jobTitle: "person.jobTitle",
  phone: "person.phone",
  phoneExtension: "person.extension",
  email: "person.email",
};

function status(user: UserRow): { key: MessageKey; className: string } {
  if (user.disabled_at) return { key: "users.status.disabled", className: "status-disabled" };
  if (!user.activated) return { key: "users.status.pending", className: "status-pending" };
  return { key: "users.status.active", className: "status-active" };
}

export function UserListView({
  page,
  users,
  organization,
}: {
  page: Page;
  users: UserRow[];
  organization: string;
}) {
  const { t } = page;
  const title = (
    <Message
      t={t}
      k="users.title"
      parts={{ organization: <FrenchName locale={page.locale} name={organization} /> }}
    />
  );
  return (
    <section>
      <h1>{title}</h1>
      <p>
        <a class="button" href="/utilisateurs/nouveau">
          {t("users.create")}
        </a>
      </p>
      {users.length === 0 ? (
        <p>{t("users.empty")}</p>
      ) : (
        <DataTable
          t={t}
          id="utilisateurs"
          caption={title}
          columns={[
            "users.col.code",
            "users.col.name",
            "users.col.email",
            "users.col.status",
            "users.col.actions",
          ]}
        >
          <tbody>
            {users.map((user) => {
              const state = status(user);
              return (
                <tr key={user.user_code}>
                  <td>{user.user_code}</td>
                  <td>
                    {`${user.last_name}, ${user.first_name}`}
                    {user.is_services_officer ? <div class="hint">{t("users.roleRse")}</div> : null}
                  </td>
                  <td>{user.email}</td>
                  <td class={state.className}>{t(state.key)}</td>
                  <td>
                    <a
                      href={`/utilisateurs/${user.user_code}`}
                      aria-label={`${t("users.edit")} ${user.user_code}`}
                    >
                      {t("users.edit")}
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

function ProfileFields({
  page,
  values,
  errors,
}: {
  page: Page;
  values: ProfileInput;
  errors: FieldErrors<ProfileField>;
}) {
  const { t } = page;
  return (
    <>
      <SelectField
        t={t}
        name="civility"
        label="person.civility"
        value={values.civility}
        error={errors.civility}
        options={civilityOptions(t, true)}
      />
      <TextField
        t={t}
        name="firstName"
        label="person.firstName"
        value={values.firstName}
        error={errors.firstName}
        required
        autocomplete="off"
        maxLength={100}
      />
      <TextField
        t={t}
        name="lastName"
        label="person.lastName"
        value={values.lastName}
        error={errors.lastName}
        required
        autocomplete="off"
        maxLength={100}
      />
      <TextField
        t={t}
        name="jobTitle"
        label="person.jobTitle"
        value={values.jobTitle}
        error={errors.jobTitle}
        maxLength={100}
      />
      <TextField
        t={t}
        name="phone"
        label="person.phone"
        type="tel"
        value={values.phone}
        error={errors.phone}
        inputMode="tel"
      />
      <TextField
        t={t}
        name="phoneExtension"
        label="person.extension"
        value={values.phoneExtension}
        error={errors.phoneExtension}
        inputMode="numeric"
        maxLength={6}
      />
      <TextField
        t={t}
        name="email"
        label="person.email"
        type="email"
        value={values.email}
        error={errors.email}
        required
        maxLength={254}
      />
    </>
  );
}

export function CreateUserView({
  page,
  values,
  errors,
  submissionKey,
}: {
  page: Page;
  values: ProfileInput;
  errors: FieldErrors<ProfileField>;
  submissionKey: string;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("users.createTitle")}</h1>
      <p>{t("users.createIntro")}</p>
      <ErrorSummary t={t} errors={errors} labels={LABELS} />
      <form method="post" action="/utilisateurs" novalidate>
        <CsrfField token={page.csrfToken} />
        <input type="hidden" name={SUBMISSION_FIELD} value={submissionKey} />
        <RequiredNote t={t} />
        <ProfileFields page={page} values={values} errors={errors} />
        <div class="actions">
          <button type="submit">{t("users.create")}</button>
          <a href="/utilisateurs">{t("form.cancel")}</a>
        </div>
      </form>
    </section>
  );
}

export function EditUserView({
  page,
  user,
  values,
  errors,
  canDisable,
}: {
  page: Page;
  user: UserRow;
  values: ProfileInput;
  errors: FieldErrors<ProfileField>;
  canDisable: boolean;
}) {
  const { t } = page;
  const state = status(user);
  const base = `/utilisateurs/${user.user_code}`;
  return (
    <section>
      <h1>{t("users.editTitle", { name: `${user.first_name} ${user.last_name}`, code: user.user_code })}</h1>
      <p>
        {t("form.labelled", { label: t("users.col.status"), value: "" })}
        <span class={state.className}>{t(state.key)}</span>
      </p>
      <ErrorSummary t={t} errors={errors} labels={LABELS} />
      <form method="post" action={base} novalidate>
        <CsrfField token={page.csrfToken} />
        <RequiredNote t={t} />
        <ProfileFields page={page} values={values} errors={errors} />
        <div class="actions">
          <button type="submit">{t("form.save")}</button>
          <a href="/utilisateurs">{t("form.back")}</a>
        </div>
      </form>
      <h2>{t("users.accountActions")}</h2>
      <div class="actions">
        {user.disabled_at ? (
          <form method="post" action={`${base}/reactivation`} novalidate>
            <CsrfField token={page.csrfToken} />
            <button type="submit">{t("users.enable")}</button>
          </form>
        ) : (
          <>
            <form method="post" action={`${base}/reinitialisation`} novalidate>
              <CsrfField token={page.csrfToken} />
              <button type="submit" class="button-secondary">
                {t("users.resetPassword")}
              </button>
            </form>
            {canDisable ? (
              <form method="post" action={`${base}/facteurs/reinitialisation`} novalidate>
                <CsrfField token={page.csrfToken} />
                <button type="submit" class="button-secondary" aria-describedby="aide-facteurs">
                  {t("users.resetFactors")}
                </button>
              </form>
            ) : null}
            {canDisable ? (
              <form method="post" action={`${base}/desactivation`} novalidate>
                <CsrfField token={page.csrfToken} />
                <button type="submit" class="button-danger">
                  {t("users.disable")}
                </button>
              </form>
            ) : (
              <p class="hint">{t("users.cannotDisableSelf")}</p>
            )}
          </>
        )}
      </div>
      {canDisable && !user.disabled_at ? (
        <p class="hint" id="aide-facteurs">
          {t("users.resetFactorsHint")}
        </p>
      ) : null}
    </section>
  );
}
