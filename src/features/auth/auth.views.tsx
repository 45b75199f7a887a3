// Pages of sign-in, account activation and the user's own profile.
import type { ComponentChildren } from "preact";
import type { FieldErrors } from "../../web/forms.js";
import { CsrfField, civilityText, ErrorSummary, Notice, RequiredNote, TextField } from "../../web/forms.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { PasskeyForm, SecondFactorForm } from "../factors/factors.views.js";

export function SignInView({
  page,
  userCode,
  failure,
  errors,
  returnTo,
}: {
  page: Page;
  userCode: string;
  failure: string | null;
  errors: FieldErrors<"userCode" | "password">;
  returnTo: string;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("signIn.title")}</h1>
      <h2>{t("signIn.subtitle")}</h2>
      <p>{t("signIn.intro")}</p>
      {failure ? <Notice kind="error">{failure}</Notice> : null}
      <ErrorSummary
        t={t}
        errors={errors}
        labels={{ userCode: "signIn.userCode", password: "signIn.password" }}
      />
      <form method="post" action="/connexion" novalidate>
        <CsrfField token={page.csrfToken} />
        <input type="hidden" name="retour" value={returnTo} />
        <RequiredNote t={t} />
        <TextField
          t={t}
          name="userCode"
          label="signIn.userCode"
          value={userCode}
          error={errors.userCode}
          required
          autocomplete="username"
          maxLength={7}
        />
        <TextField
          t={t}
          name="password"
          label="signIn.password"
          type="password"
          error={errors.password}
          required
          autocomplete="current-password"
        />
        <div class="actions">
          <button type="submit">{t("signIn.submit")}</button>
        </div>
      </form>
      <PasskeyForm
        page={page}
        action="/connexion/cle"
        ceremony="get"
        label="passkeys.use"
        hidden={{ retour: returnTo }}
      >
        <p>{t("passkeys.signInHint")}</p>
      </PasskeyForm>
      <p>{t("signIn.noCode")}</p>
      <p class="hint">{t("signIn.confidential")}</p>
    </section>
  );
}

export function AccountLinkView({
  page,
  token,
  purpose,
  name,
  userCode,
  errors,
}: {
  page: Page;
  token: string;
  purpose: "activation" | "reset";
  name: string;
  userCode: string;
  errors: FieldErrors<"password" | "confirmation">;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t(purpose === "activation" ? "activation.title" : "activation.resetTitle")}</h1>
      <p>{t("activation.intro", { name, code: userCode })}</p>
      <ErrorSummary
        t={t}
        errors={errors}
        labels={{ password: "profile.newPassword", confirmation: "profile.confirmPassword" }}
      />
      <form method="post" action={`/activation/${token}`} novalidate>
        <CsrfField token={page.csrfToken} />
        <NewPasswordFields page={page} userCode={userCode} errors={errors} />
        <div class="actions">
          <button type="submit">{t("activation.submit")}</button>
        </div>
      </form>
    </section>
  );
}

/** The new password and its confirmation; the hidden user name lets password managers file it under the right code. */
function NewPasswordFields({
  page,
  userCode,
  errors,
}: {
  page: Page;
  userCode: string;
  errors: FieldErrors<"password" | "confirmation">;
}) {
  const { t } = page;
  return (
    <>
      <input type="text" name="username" value={userCode} autocomplete="username" hidden readOnly />
      <TextField
        t={t}
        name="password"
        label="profile.newPassword"
        type="password"
        hint="password.rules"
        error={errors.password}
        required
        autocomplete="new-password"
      />
      <TextField
        t={t}
        name="confirmation"
        label="profile.confirmPassword"
        type="password"
        error={errors.confirmation}
        required
        autocomplete="new-password"
      />
    </>
  );
}

export function InvalidLinkView({ page }: { page: Page }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("activation.title")}</h1>
      <Notice kind="error">{t("activation.invalid")}</Notice>
      <p>
        <a href="/connexion">{t("header.signIn")}</a>
      </p>
    </section>
  );
}

export type ProfileFacts = {
  userCode: string;
  civility: string | null;
  firstName: string;
  lastName: string;
  jobTitle: string | null;
  phone: string | null;
  phoneExtension: string | null;
  email: string;
  organizationName: string;
  isServicesOfficer: boolean;
};

export function ProfileView({
  page,
  profile,
  errors,
  children,
}: {
  page: Page;
  profile: ProfileFacts;
  errors: FieldErrors<"current" | "password" | "confirmation">;
  /** Sections other features add to the profile, such as the user's procurations. */
  children?: ComponentChildren;
}) {
  const { t } = page;
  const phone = [
    profile.phone,
    profile.phoneExtension ? `${t("person.extension")} ${profile.phoneExtension}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return (
    <section>
      <h1>{t("profile.title")}</h1>
      <dl class="details">
        <dt>{t("person.userCode")}</dt>
        <dd>{profile.userCode}</dd>
        <dt>{t("person.name")}</dt>
        <dd>{`${profile.civility ? `${civilityText(t, profile.civility)} ` : ""}${profile.firstName} ${profile.lastName}`}</dd>
        <dt>{t("person.jobTitle")}</dt>
        <dd>{profile.jobTitle ?? "—"}</dd>
        <dt>{t("person.phone")}</dt>
        <dd>{phone || "—"}</dd>
        <dt>{t("person.email")}</dt>
        <dd>{profile.email}</dd>
        <dt>{t("person.organization")}</dt>
        <dd>{profile.organizationName}</dd>
        {profile.isServicesOfficer ? (
          <>
            <dt>{t("profile.roles")}</dt>
            <dd>{t("users.roleRse")}</dd>
          </>
        ) : null}
      </dl>
      <p>{t("profile.intro")}</p>
      <p>
        <a href="/profil/securite">{t("factors.profileLink")}</a>
      </p>
      <p>
        <a href="/profil/historique">{t("history.profileLink")}</a>
      </p>
      {children}
      <h2 id="mot-de-passe">{t("profile.passwordTitle")}</h2>
      <ErrorSummary
        t={t}
        errors={errors}
        labels={{
          current: "profile.currentPassword",
          password: "profile.newPassword",
          confirmation: "profile.confirmPassword",
        }}
      />
      <form method="post" action="/profil/mot-de-passe" novalidate>
        <CsrfField token={page.csrfToken} />
        <TextField
          t={t}
          name="current"
          label="profile.currentPassword"
          type="password"
          error={errors.current}
          required
          autocomplete="current-password"
        />
        <NewPasswordFields page={page} userCode={profile.userCode} errors={errors} />
        <div class="actions">
          <button type="submit">{t("form.save")}</button>
        </div>
      </form>
    </section>
  );
}

/** The second step of a sign-in: the code of the person's authenticator app, or one of their recovery codes. */
export function SecondStepView({
  page,
  error,
  hasPasskey,
}: {
  page: Page;
  /** A wrong code (a field error), or a sentence such as the throttle's. */
  error: { key: MessageKey } | { text: string } | null;
  /** The person has a passkey: a button offers it (with JavaScript). */
  hasPasskey: boolean;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("signIn.factor.title")}</h1>
      <p>{t("signIn.factor.intro")}</p>
      <SecondFactorForm
        page={page}
        action="/connexion/verification"
        error={error}
        passkeyAction={hasPasskey ? "/connexion/verification/cle" : null}
      />
      <p>
        <a href="/connexion">{t("signIn.factor.restart")}</a>
      </p>
    </section>
  );
}
