// Pages of « Sécurité du compte »: the second factors of one's own account, adding an app, the recovery codes.
import type { ComponentChildren } from "preact";
import { formatMoment } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { CsrfField, ErrorSummary, Notice, TextField } from "../../web/forms.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import { STEP_UP_PATH } from "./factor-gate.js";
import type { Enrolment, FactorError, SecurityOverview } from "./factors.service.js";
import type { PasskeyRow } from "./passkeys.service.js";
import type { StepUpAct } from "./step-up.service.js";

export const SECURITY_PATH = "/profil/securite";

/** A form of one button, with a line saying what it does. */
function ButtonForm({
  page,
  action,
  label,
  hint,
  secondary,
}: {
  page: Page;
  action: string;
  label: MessageKey;
  hint?: MessageKey;
  secondary?: boolean;
}) {
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={page.csrfToken} />
      {hint ? <p class="hint">{page.t(hint)}</p> : null}
      <div class="actions">
        <button type="submit" class={secondary ? "button-secondary" : undefined}>
          {page.t(label)}
        </button>
      </div>
    </form>
  );
}

/**
 * A form that a passkey answers: /static/passkeys.js shows it when the browser can use passkeys, asks the server for
 * the ceremony's options, then fills « credential » and sends the form. Without JavaScript it stays hidden and the
 * paragraph before it says why.
 */
/**
 * The second factor asked again (the second step of a sign-in, step-up): a code of the app or a recovery code, and,
 * when the person has one, a passkey (with JavaScript).
 */
export function SecondFactorForm({
  page,
  action,
  error,
  hidden = {},
  passkeyAction,
}: {
  page: Page;
  action: string;
  /** A wrong code (a field error), or a sentence such as the throttle's. */
  error: { key: MessageKey } | { text: string } | null;
  hidden?: Record<string, string>;
  passkeyAction: string | null;
}) {
  const { t } = page;
  const errors: FieldErrors<"code"> = error && "key" in error ? { code: { key: error.key } } : {};
  return (
    <>
      {error && "text" in error ? <Notice kind="error">{error.text}</Notice> : null}
      <ErrorSummary t={t} errors={errors} labels={{ code: "signIn.factor.code" }} />
      <form method="post" action={action} novalidate>
        <CsrfField token={page.csrfToken} />
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <TextField
          t={t}
          name="code"
          label="signIn.factor.code"
          hint="signIn.factor.hint"
          error={errors.code}
          required
          autocomplete="one-time-code"
          maxLength={24}
        />
        <div class="actions">
          <button type="submit">{t("signIn.factor.submit")}</button>
        </div>
      </form>
      {passkeyAction ? (
        <PasskeyForm page={page} action={passkeyAction} ceremony="get" label="passkeys.use" hidden={hidden} />
      ) : null}
    </>
  );
}

export function PasskeyForm({
  page,
  action,
  ceremony,
  label,
  hidden,
  children,
}: {
  page: Page;
  action: string;
  ceremony: "create" | "get";
  label: MessageKey;
  hidden?: Record<string, string>;
  children?: ComponentChildren;
}) {
  return (
    <>
      <form
        method="post"
        action={action}
        data-passkey={ceremony}
        data-options={`${action}/options`}
        hidden
        novalidate
      >
        <CsrfField token={page.csrfToken} />
        {Object.entries(hidden ?? {}).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="credential" value="" />
        {children}
        <div class="actions">
          <button type="submit" class={ceremony === "get" ? "button-secondary" : undefined}>
            {page.t(label)}
          </button>
        </div>
      </form>
      <script src="/static/passkeys.js" defer />
    </>
  );
}

export const PASSKEYS_PATH = `${SECURITY_PATH}/cles`;

function PasskeysSection({
  page,
  passkeys,
  name,
  error,
}: {
  page: Page;
  passkeys: PasskeyRow[];
  name: string;
  error: FieldErrors<"name">["name"];
}) {
  const { t, locale } = page;
  return (
    <>
      <h2 id="cles">{t("passkeys.heading")}</h2>
      <p>{t("passkeys.intro")}</p>
      {passkeys.length === 0 ? (
        <p>{t("passkeys.none")}</p>
      ) : (
        <DataTable t={t} id="cles-acces" caption={t("passkeys.heading")} class="passkeys">
          <thead>
            <tr>
              <th scope="col">{t("passkeys.colName")}</th>
              <th scope="col">{t("passkeys.colAdded")}</th>
              <th scope="col">{t("passkeys.colLastUsed")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("passkeys.remove")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {passkeys.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>{formatMoment(p.createdAt, locale)}</td>
                <td>{p.lastUsedAt ? formatMoment(p.lastUsedAt, locale) : t("passkeys.never")}</td>
                <td>
                  <form method="post" action={`${PASSKEYS_PATH}/${p.id}/retirer`} novalidate>
                    <CsrfField token={page.csrfToken} />
                    <button
                      type="submit"
                      class="button-secondary"
                      aria-label={t("form.labelled", { label: t("passkeys.remove"), value: p.name })}
                    >
                      {t("passkeys.remove")}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <p class="hint passkey-no-script">{t("passkeys.needsScript")}</p>
      <PasskeyForm page={page} action={PASSKEYS_PATH} ceremony="create" label="passkeys.add">
        <TextField
          t={t}
          name="name"
          label="passkeys.name"
          hint="passkeys.nameHint"
          value={name}
          error={error}
          required
          maxLength={60}
        />
      </PasskeyForm>
    </>
  );
}

export function SecurityView({
  page,
  overview,
  passkeys,
  passkeyName = "",
  passkeyError,
}: {
  page: Page;
  overview: SecurityOverview;
  passkeys: PasskeyRow[];
  passkeyName?: string;
  /** A refused passkey: a name to fix (by its field), or a refusal of the authenticator's answer. */
  passkeyError?: FactorError | undefined;
}) {
  const { t, locale } = page;
  const nameError =
    passkeyError === "passkeys.nameRequired" || passkeyError === "passkeys.nameLength"
      ? { key: passkeyError }
      : undefined;
  const { totp } = overview;
  return (
    <section>
      <h1>{t("factors.title")}</h1>
      <p>{t("factors.intro")}</p>
      <h2>{t("factors.totp.heading")}</h2>
      {totp ? (
        <>
          <p>{t("factors.totp.active", { date: formatMoment(totp.confirmedAt, locale) })}</p>
          {totp.lastUsedAt ? (
            <p>{t("factors.totp.lastUsed", { date: formatMoment(totp.lastUsedAt, locale) })}</p>
          ) : null}
          <ButtonForm
            page={page}
            action={`${SECURITY_PATH}/application/retirer`}
            label="factors.totp.remove"
            hint="factors.totp.removeHint"
            secondary
          />
        </>
      ) : (
        <>
          <p>{t("factors.totp.none")}</p>
          <ButtonForm page={page} action={`${SECURITY_PATH}/application`} label="factors.totp.add" />
        </>
      )}
      <ErrorSummary t={t} errors={nameError ? { name: nameError } : {}} labels={{ name: "passkeys.name" }} />
      {passkeyError && !nameError ? <Notice kind="error">{t(passkeyError)}</Notice> : null}
      <PasskeysSection page={page} passkeys={passkeys} name={passkeyName} error={nameError} />
      <h2>{t("factors.recovery.heading")}</h2>
      {!overview.hasFactor ? (
        <p>{t("factors.recovery.needFactor")}</p>
      ) : (
        <>
          <p>
            {overview.recoveryCodesLeft > 0 && overview.recoveryCodesCreatedAt
              ? t("factors.recovery.left", {
                  count: overview.recoveryCodesLeft,
                  date: formatMoment(overview.recoveryCodesCreatedAt, locale),
                })
              : t("factors.recovery.none")}
          </p>
          <ButtonForm
            page={page}
            action={`${SECURITY_PATH}/codes`}
            label="factors.recovery.renew"
            hint="factors.recovery.renewHint"
            secondary
          />
        </>
      )}
      <p>
        <a href="/profil">{t("form.back")}</a>
      </p>
    </section>
  );
}

export function EnrolmentView({
  page,
  enrolment,
  errors,
}: {
  page: Page;
  enrolment: Enrolment | null;
  errors: FieldErrors<"code">;
}) {
  const { t, locale } = page;
  if (!enrolment) {
    return (
      <section>
        <h1>{t("factors.enrol.title")}</h1>
        <ErrorSummary t={t} errors={errors} labels={{ code: "factors.code" }} />
        <Notice kind="info">{t("factors.enrol.none")}</Notice>
        <ButtonForm page={page} action={`${SECURITY_PATH}/application`} label="factors.totp.add" />
        <p>
          <a href={SECURITY_PATH}>{t("form.back")}</a>
        </p>
      </section>
    );
  }
  const userCode = page.actor.kind === "user" ? page.actor.userCode : "";
  return (
    <section>
      <h1>{t("factors.enrol.title")}</h1>
      <ErrorSummary t={t} errors={errors} labels={{ code: "factors.code" }} />
      <p>{t("factors.enrol.scan")}</p>
      <p>
        <img
          class="qr-code"
          src={enrolment.qrCode}
          alt={t("factors.enrol.qrAlt", { code: userCode })}
          width={200}
          height={200}
        />
      </p>
      <p>{t("factors.enrol.manual")}</p>
      <p>
        <code class="secret">{enrolment.secretGroups}</code>
      </p>
      <form method="post" action={`${SECURITY_PATH}/application/confirmer`} novalidate>
        <CsrfField token={page.csrfToken} />
        <p>{t("factors.enrol.confirmIntro")}</p>
        <p class="hint">{t("factors.enrol.expires", { time: formatMoment(enrolment.expiresAt, locale) })}</p>
        <TextField
          t={t}
          name="code"
          label="factors.code"
          error={errors.code}
          required
          autocomplete="one-time-code"
          inputMode="numeric"
          maxLength={7}
        />
        <div class="actions">
          <button type="submit">{t("factors.confirm")}</button>
        </div>
      </form>
      <p>
        <a href={SECURITY_PATH}>{t("form.cancel")}</a>
      </p>
    </section>
  );
}

/** The recovery codes, shown once: with a download that gives them back to the server as a file. */
export function RecoveryCodesView({
  page,
  codes,
  added,
}: {
  page: Page;
  codes: string[];
  /** The factor just added, whose success the page states first. */
  added: "factors.totp.added" | "passkeys.added" | false;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("factors.recovery.shownTitle")}</h1>
      {added ? <Notice kind="success">{t(added)}</Notice> : null}
      <p>{t("factors.recovery.shownIntro")}</p>
      <ul class="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <form method="post" action={`${SECURITY_PATH}/codes/fichier`} novalidate>
        <CsrfField token={page.csrfToken} />
        {codes.map((code) => (
          <input key={code} type="hidden" name="codes" value={code} />
        ))}
        <div class="actions">
          <button type="submit" class="button-secondary">
            {t("factors.recovery.download")}
          </button>
        </div>
      </form>
      <p>
        <a href={SECURITY_PATH}>{t("factors.recovery.done")}</a>
      </p>
    </section>
  );
}

/** Step-up: the act waiting, and the code that lets it go ahead. */
export function StepUpView({
  page,
  token,
  act,
  error,
  hasPasskey,
}: {
  page: Page;
  token: string;
  act: StepUpAct;
  error: { key: MessageKey } | { text: string } | null;
  hasPasskey: boolean;
}) {
  const { t } = page;
  return (
    <section>
      <h1>{t("stepUp.title")}</h1>
      <p>{t("stepUp.act", { act: t(`stepUp.act.${act}`) })}</p>
      <p>{t("stepUp.intro")}</p>
      <SecondFactorForm
        page={page}
        action={STEP_UP_PATH}
        error={error}
        hidden={{ demande: token }}
        passkeyAction={hasPasskey ? `${STEP_UP_PATH}/cle` : null}
      />
      <p>
        <a href="/">{t("form.cancel")}</a>
      </p>
    </section>
  );
}

/** After step-up: the act, as it was filled in, waits for « Confirmer ». */
export function StepUpConfirmView({ page, token, act }: { page: Page; token: string; act: StepUpAct }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("stepUp.confirmedTitle")}</h1>
      <p>{t("stepUp.act", { act: t(`stepUp.act.${act}`) })}</p>
      <p>{t("stepUp.confirmedIntro")}</p>
      <form method="post" action={`${STEP_UP_PATH}/confirmer`} novalidate>
        <CsrfField token={page.csrfToken} />
        <input type="hidden" name="demande" value={token} />
        <div class="actions">
          <button type="submit">{t("stepUp.confirm")}</button>
          <a href="/">{t("form.cancel")}</a>
        </div>
      </form>
    </section>
  );
}

export function StepUpExpiredView({ page }: { page: Page }) {
  const { t } = page;
  return (
    <section>
      <h1>{t("stepUp.title")}</h1>
      <Notice kind="info">{t("stepUp.expired")}</Notice>
      <p>
        <a href="/">{t("site.home")}</a>
      </p>
    </section>
  );
}
