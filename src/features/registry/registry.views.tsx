// Pages of a service's space and its « Utilitaires »: the registry of access rights with « Nouvelle inscription »,
// the deputies, the agent manager's associations and « Qui a accès ». Server-rendered, every step works without
// JavaScript; buttons show only what the policy allows, and the server decides again on every post.

import type { AccessRight, Day } from "../../db/schema.js";
import type { Reason } from "../../policy/decision.js";
import { formatDay, montrealDay } from "../../util/days.js";
import {
  CsrfField,
  ErrorSummary,
  type FieldError,
  type FieldErrors,
  Notice,
  SelectField,
  TextField,
} from "../../web/forms.js";
import { FrenchName, Message, ServiceTitle, serviceTitle } from "../../web/localized.js";
import type { MessageKey } from "../../web/messages.js";
import type { Page } from "../../web/page.js";
import { DataTable } from "../../web/tables.js";
import type { ProcurationGap } from "../procurations/procurations.service.js";
import { askPath, OWN_PATH, RECEIVED_PATH } from "../right-requests/right-requests.service.js";
import { SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import type { AssociationRow, GrantRow } from "./registry.queries.js";
import { officersText, type Person, type RegistryService } from "./registry.service.js";
import type { NamedOrganization, NamedServicePoint, ServiceSpace } from "./service-space.js";
import { type AccessRow, chainOf, kindLabel } from "./who-has-access.js";

// --- Addresses

const encode = encodeURIComponent;

export const paths = {
  service: (code: string) => `/services/${encode(code)}`,
  organization: (code: string, organizationId: number) =>
    `/services/${encode(code)}/organisations/${organizationId}`,
  registry: (code: string, organizationId: number) => `${paths.organization(code, organizationId)}/registre`,
  registration: (code: string, organizationId: number) =>
    `${paths.registry(code, organizationId)}/inscription`,
  grant: (code: string, organizationId: number, grantId: number) =>
    `${paths.registry(code, organizationId)}/droits/${grantId}`,
  deputies: (code: string, organizationId: number) => `${paths.organization(code, organizationId)}/adjoints`,
  whoHasAccess: (code: string, organizationId: number) =>
    `${paths.organization(code, organizationId)}/qui-a-acces`,
  association: (code: string, servicePointId: number) =>
    `/services/${encode(code)}/points/${servicePointId}/association`,
};

// --- Pieces

type Service = Pick<RegistryService, "code" | "name" | "name_en">;

function since(at: Date, page: Page): string {
  return formatDay(montrealDay(at), page.locale);
}

function until(day: Day | null, page: Page): string {
  return day ? formatDay(day, page.locale) : page.t("registry.noEnd");
}

const personName = (p: { first_name: string; last_name: string }) => `${p.first_name} ${p.last_name}`;

function BackToService({ page, service }: { page: Page; service: Service }) {
  return (
    <p>
      <a href={paths.service(service.code)}>{page.t("space.back", { service: service.code })}</a>
    </p>
  );
}

/** The person a look-up found: name, organization, and whether their firm associated them with the service. */
function PersonCard({ page, person }: { page: Page; person: Person }) {
  const { t } = page;
  return (
    <dl class="details person">
      <dt>{t("registry.person.name")}</dt>
      <dd>{`${personName(person)} (${person.user_code})`}</dd>
      <dt>{t("registry.person.organization")}</dt>
      <dd>
        <FrenchName locale={page.locale} name={person.organization_name} />
      </dd>
      <dt>{t("registry.person.association")}</dt>
      <dd>
        {person.association_point_name
          ? t("registry.person.associated", { point: person.association_point_name })
          : t("registry.person.notAssociated")}
      </dd>
    </dl>
  );
}

/** « Confirmer » (or « Annuler », back to the list) for the person a summary shows: the code rides in a hidden field. */
function ConfirmPersonForm({
  page,
  action,
  field,
  userCode,
}: {
  page: Page;
  action: string;
  field: string;
  userCode: string;
}) {
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={page.csrfToken} />
      <input type="hidden" name={field} value={userCode} />
      <div class="actions">
        <button type="submit">{page.t("registry.confirm")}</button>
        <a href={action}>{page.t("form.cancel")}</a>
      </div>
    </form>
  );
}

function HiddenFields({ fields }: { fields: Record<string, string> }) {
  return (
    <>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/** A right's optional last day. */
function EndDateField({ page, value, error }: { page: Page; value: string; error: FieldError | undefined }) {
  return (
    <TextField
      t={page.t}
      name="fin"
      type="date"
      label="registry.validUntil"
      hint="registry.validUntilHint"
      value={value}
      error={error}
    />
  );
}

/** A one-button form (« Retirer », « Dissocier »…), named for screen readers with the person it acts on. */
export function ActionButton({
  page,
  action,
  label,
  about,
  danger,
}: {
  page: Page;
  action: string;
  label: MessageKey;
  about: string;
  danger?: boolean;
}) {
  return (
    <form method="post" action={action} class="inline-form" novalidate>
      <CsrfField token={page.csrfToken} />
      <button type="submit" class={danger ? "button-danger" : undefined}>
        {page.t(label)}
        <span class="visually-hidden">{` : ${about}`}</span>
      </button>
    </form>
  );
}

/** A user code and « Chercher »: a GET, since looking someone up changes nothing. */
function CodeSearch({
  page,
  action,
  userCode,
  error,
}: {
  page: Page;
  action: string;
  userCode: string;
  error: FieldError | undefined;
}) {
  const { t } = page;
  return (
    <form method="get" action={action} novalidate>
      <TextField
        t={t}
        name="utilisateur"
        label="registry.userCode"
        hint="registry.userCodeHint"
        value={userCode}
        error={error}
        maxLength={7}
        autocomplete="off"
        required
      />
      <div class="actions">
        <button type="submit">{t("registry.search")}</button>
      </div>
    </form>
  );
}

// --- The service's space

const REFUSAL: Partial<Record<Reason, MessageKey>> = {
  no_procuration: "space.refused.noProcuration",
  service_not_covered: "space.refused.serviceNotCovered",
};

const ROLE: Record<"local_manager" | "deputy", MessageKey> = {
  local_manager: "services.role.local_manager",
  deputy: "services.role.deputy",
};

export function ServiceSpaceView({
  page,
  service,
  ministry,
  space,
  askable,
}: {
  page: Page;
  service: Service;
  ministry: string;
  space: ServiceSpace;
  /** Whether rights are asked for in this service (« Demander un accès »): it keeps a registry. */
  askable: boolean;
}) {
  const { t } = page;
  const empty = space.managed.length === 0 && space.points.length === 0 && space.rights.length === 0;
  return (
    <section>
      <h1>
        <ServiceTitle locale={page.locale} service={service} />
      </h1>
      {empty ? <Notice kind="info">{t("space.nothing")}</Notice> : null}
      {space.rights.length > 0 ? (
        <section aria-labelledby="agir-pour">
          <h2 id="agir-pour">{t("space.actFor")}</h2>
          <ul class="acting-for">
            {space.rights.map((r) => (
              <li key={`${r.organization.id}-${r.right}`}>
                {t("space.rightFor", {
                  organization: r.organization.name,
                  right: t(`registry.right.${r.right}`),
                  until: until(r.validUntil, page),
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {space.managed.length > 0 || space.points.length > 0 ? (
        <section aria-labelledby="utilitaires">
          <h2 id="utilitaires">{t("space.utilities")}</h2>
          {space.managed.map((entry) => (
            <section key={entry.organization.id} aria-labelledby={`organisation-${entry.organization.id}`}>
              <h3 id={`organisation-${entry.organization.id}`}>
                <Message
                  t={t}
                  k="space.managedFor"
                  parts={{ organization: <FrenchName locale={page.locale} name={entry.organization.name} /> }}
                />
              </h3>
              <p>{t("space.yourRoles", { roles: entry.roles.map((role) => t(ROLE[role])).join(", ") })}</p>
              {entry.refusal ? (
                <Notice kind="error">
                  {t(REFUSAL[entry.refusal] ?? "space.refused.other", { ministry })}
                </Notice>
              ) : (
                <ul class="card-list">
                  {entry.registry ? (
                    <li>
                      <a href={paths.registry(service.code, entry.organization.id)}>{t("registry.title")}</a>
                      <p class="hint">{t("space.registryHint")}</p>
                    </li>
                  ) : null}
                  {entry.whoHasAccess ? (
                    <li>
                      <a href={paths.whoHasAccess(service.code, entry.organization.id)}>
                        {t("whoHasAccess.title")}
                      </a>
                      <p class="hint">{t("space.whoHasAccessHint")}</p>
                    </li>
                  ) : null}
                  {entry.registry ? (
                    <li>
                      <a href={`${paths.organization(service.code, entry.organization.id)}/revue`}>
                        {t("reviews.title")}
                      </a>
                      <p class="hint">{t("reviews.homeHint")}</p>
                    </li>
                  ) : null}
                  {entry.registry ? (
                    <li>
                      <a href={`/journal?service=${encodeURIComponent(service.code)}`}>
                        {t("journal.title")}
                      </a>
                      <p class="hint">{t("journal.spaceHint")}</p>
                    </li>
                  ) : null}
                  {entry.registry ? (
                    <li>
                      <a href={paths.deputies(service.code, entry.organization.id)}>
                        {t(entry.manageDeputies ? "space.deputies" : "deputies.title")}
                      </a>
                      <p class="hint">
                        {t(entry.manageDeputies ? "space.deputiesHint" : "space.deputiesViewHint")}
                      </p>
                    </li>
                  ) : null}
                </ul>
              )}
              <p class="hint">{t("space.managerNoAccess")}</p>
            </section>
          ))}
          {space.points.map((entry) => (
            <section key={entry.point.id} aria-labelledby={`point-${entry.point.id}`}>
              <h3 id={`point-${entry.point.id}`}>
                <Message
                  t={t}
                  k="space.pointOf"
                  parts={{
                    firm: <FrenchName locale={page.locale} name={entry.point.organizationName} />,
                    point: <FrenchName locale={page.locale} name={entry.point.name} />,
                  }}
                />
              </h3>
              <p>{t("space.yourRoles", { roles: t("services.role.agent_manager") })}</p>
              {entry.allowed ? (
                <ul class="card-list">
                  <li>
                    <a href={paths.association(service.code, entry.point.id)}>{t("association.title")}</a>
                    <p class="hint">{t("space.associationHint")}</p>
                  </li>
                </ul>
              ) : (
                <Notice kind="error">
                  {t((entry.refusal ? REFUSAL[entry.refusal] : undefined) ?? "space.refused.other", {
                    ministry,
                  })}
                </Notice>
              )}
            </section>
          ))}
        </section>
      ) : null}
      {askable ? (
        <section aria-labelledby="demander-un-acces">
          <h2 id="demander-un-acces">{t("rightRequests.askTitle")}</h2>
          <p>{t("space.askHint")}</p>
          <ul class="card-list">
            <li>
              <a href={askPath(service.code, {})}>{t("rightRequests.askLink")}</a>
            </li>
            <li>
              <a href={OWN_PATH}>{t("rightRequests.ownTitle")}</a>
            </li>
            {space.managed.length > 0 ? (
              <li>
                <a href={RECEIVED_PATH}>{t("rightRequests.receivedTitle")}</a>
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}
      <p>
        <a href="/">{t("space.home")}</a>
      </p>
    </section>
  );
}

// --- Registry

type RegistryHead = { page: Page; service: Service; organization: NamedOrganization };

function RegistryHeading({ page, service, organization, title }: RegistryHead & { title: MessageKey }) {
  return (
    <>
      <h1>{page.t(title)}</h1>
      <p class="lead">
        {page.t("registry.subtitle", {
          organization: organization.name,
          service: serviceTitle(page.locale, service),
        })}
      </p>
    </>
  );
}

function GrantsTable({ page, service, organization, grants }: RegistryHead & { grants: GrantRow[] }) {
  const { t } = page;
  if (grants.length === 0) return <p>{t("registry.empty")}</p>;
  return (
    <DataTable
      t={t}
      id="droits"
      caption={t("registry.title")}
      columns={[
        "registry.col.person",
        "registry.col.right",
        "registry.col.firm",
        "registry.col.grantedBy",
        "registry.col.since",
        "registry.col.until",
        "registry.col.actions",
      ]}
      class="grants"
    >
      <tbody>
        {grants.map((g) => {
          const who = `${personName(g)} (${g.user_code})`;
          return (
            <tr key={g.id} data-grant={String(g.id)}>
              <td>{who}</td>
              <td>{t(`registry.right.${g.access_right}`)}</td>
              <td>
                {g.service_point_name
                  ? t("registry.firmPoint", {
                      firm: g.user_organization_name,
                      point: g.service_point_name,
                    })
                  : ""}
              </td>
              <td>{`${g.granted_by_first_name} ${g.granted_by_last_name}`}</td>
              <td>{since(g.granted_at, page)}</td>
              <td>{until(g.valid_until, page)}</td>
              <td>
                <div class="actions">
                  <a
                    class="button button-secondary"
                    href={`${paths.grant(service.code, organization.id, g.id)}/modifier`}
                  >
                    {t("registry.change")}
                    <span class="visually-hidden">{` : ${who}`}</span>
                  </a>
                  <ActionButton
                    page={page}
                    action={`${paths.grant(service.code, organization.id, g.id)}/retrait`}
                    label="registry.revoke"
                    about={who}
                    danger
                  />
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </DataTable>
  );
}

const LOOKUP_LABELS: Record<string, MessageKey> = {
  utilisateur: "registry.userCode",
  droit: "registry.col.right",
  fin: "registry.validUntil",
};

export function RegistryView({
  page,
  service,
  organization,
  grants,
  notice,
}: RegistryHead & { grants: GrantRow[]; notice?: FieldError | undefined }) {
  const { t } = page;
  return (
    <section>
      <RegistryHeading page={page} service={service} organization={organization} title="registry.title" />
      {notice ? <Notice kind="error">{t(notice.key, notice.params)}</Notice> : null}
      <h2>{t("registry.current")}</h2>
      <GrantsTable page={page} service={service} organization={organization} grants={grants} />
      <section aria-labelledby="nouvelle-inscription">
        <h2 id="nouvelle-inscription">{t("registry.new")}</h2>
        <p>{t("registry.newIntro")}</p>
        <CodeSearch
          page={page}
          action={paths.registration(service.code, organization.id)}
          userCode=""
          error={undefined}
        />
      </section>
      <p>
        <a href={paths.whoHasAccess(service.code, organization.id)}>{t("whoHasAccess.title")}</a>
      </p>
      <BackToService page={page} service={service} />
    </section>
  );
}

/** After « Chercher »: the person, and a « + » for each right this registry may give them. */
export function RegistrationLookupView({
  page,
  service,
  organization,
  userCode,
  person,
  rights,
  errors,
}: RegistryHead & {
  userCode: string;
  person: Person | null;
  rights: AccessRight[];
  errors: FieldErrors;
}) {
  const { t } = page;
  const base = paths.registration(service.code, organization.id);
  return (
    <section>
      <RegistryHeading page={page} service={service} organization={organization} title="registry.new" />
      <ErrorSummary t={t} errors={errors} labels={LOOKUP_LABELS} />
      <CodeSearch page={page} action={base} userCode={userCode} error={errors.utilisateur} />
      {person ? (
        <section aria-labelledby="personne-trouvee">
          <h2 id="personne-trouvee">{t("registry.personFound")}</h2>
          <PersonCard page={page} person={person} />
          {rights.length > 0 ? (
            <form method="get" action={`${base}/confirmation`} novalidate>
              <input type="hidden" name="utilisateur" value={person.user_code} />
              <DataTable
                t={t}
                id="droits-offerts"
                caption={t("registry.rightsOffered")}
                captionShown
                columns={["registry.col.right", "registry.col.add"]}
                class="rights-offered"
              >
                <tbody>
                  {rights.map((right) => (
                    <tr key={right}>
                      <td>{t(`registry.right.${right}`)}</td>
                      <td>
                        <button type="submit" name="droit" value={right} class="add-right">
                          <span aria-hidden="true">+</span>
                          <span class="visually-hidden">
                            {t("registry.add", { right: t(`registry.right.${right}`) })}
                          </span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </DataTable>
              <p class="hint">{t("registry.rightsOfferedHint")}</p>
            </form>
          ) : null}
        </section>
      ) : null}
      <p>
        <a href={paths.registry(service.code, organization.id)}>{t("registry.backToRegistry")}</a>
      </p>
    </section>
  );
}

/** The right chosen with « + »: an optional end date, then « Confirmer » with the form's one-time key. */
export function RegistrationConfirmView({
  page,
  service,
  organization,
  person,
  right,
  validUntil,
  submissionKey,
  errors,
}: RegistryHead & {
  person: Person;
  right: AccessRight;
  validUntil: string;
  submissionKey: string;
  errors: FieldErrors;
}) {
  const { t } = page;
  const base = paths.registration(service.code, organization.id);
  return (
    <section>
      <RegistryHeading
        page={page}
        service={service}
        organization={organization}
        title="registry.confirmTitle"
      />
      <ErrorSummary t={t} errors={errors} labels={LOOKUP_LABELS} />
      <PersonCard page={page} person={person} />
      <p>
        {t("registry.confirmIntro", {
          name: personName(person),
          right: t(`registry.right.${right}`),
        })}
      </p>
      <form method="post" action={base} novalidate>
        <CsrfField token={page.csrfToken} />
        <HiddenFields
          fields={{ utilisateur: person.user_code, droit: right, [SUBMISSION_FIELD]: submissionKey }}
        />
        <EndDateField page={page} value={validUntil} error={errors.fin} />
        <div class="actions">
          <button type="submit">{t("registry.confirm")}</button>
          <a href={`${base}?${new URLSearchParams({ utilisateur: person.user_code }).toString()}`}>
            {t("registry.chooseAnother")}
          </a>
        </div>
      </form>
    </section>
  );
}

const CHANGE_LABELS: Record<string, MessageKey> = { droit: "registry.col.right", fin: "registry.validUntil" };

export function ChangeGrantView({
  page,
  service,
  organization,
  grant,
  choices,
  values,
  errors,
}: RegistryHead & {
  grant: GrantRow;
  choices: AccessRight[];
  values: { right: string; validUntil: string };
  errors: FieldErrors;
}) {
  const { t } = page;
  const action = `${paths.grant(service.code, organization.id, grant.id)}/modifier`;
  return (
    <section>
      <RegistryHeading
        page={page}
        service={service}
        organization={organization}
        title="registry.changeTitle"
      />
      <ErrorSummary t={t} errors={errors} labels={CHANGE_LABELS} />
      <p>
        {t("registry.changeIntro", {
          name: personName(grant),
          code: grant.user_code,
          right: t(`registry.right.${grant.access_right}`),
        })}
      </p>
      <form method="post" action={action} novalidate>
        <CsrfField token={page.csrfToken} />
        <SelectField
          t={t}
          name="droit"
          label="registry.col.right"
          value={values.right}
          error={errors.droit}
          options={choices.map((right) => ({ value: right, label: t(`registry.right.${right}`) }))}
          required
        />
        <EndDateField page={page} value={values.validUntil} error={errors.fin} />
        <div class="actions">
          <button type="submit">{t("registry.save")}</button>
          <a href={paths.registry(service.code, organization.id)}>{t("form.cancel")}</a>
        </div>
      </form>
    </section>
  );
}

// --- Deputies

const DEPUTY_COLUMNS: readonly MessageKey[] = [
  "registry.col.person",
  "deputies.col.userCode",
  "registry.col.since",
];

export type DeputyRow = {
  id: number;
  user_code: string;
  first_name: string;
  last_name: string;
  granted_at: Date;
};

export function DeputiesView({
  page,
  service,
  organization,
  deputies,
  manage,
  userCode,
  errors,
  notice,
}: RegistryHead & {
  deputies: DeputyRow[];
  /** The local manager's buttons; a deputy sees the list only. */
  manage: boolean;
  userCode: string;
  errors: FieldErrors;
  notice?: FieldError | undefined;
}) {
  const { t } = page;
  const base = paths.deputies(service.code, organization.id);
  return (
    <section>
      <RegistryHeading page={page} service={service} organization={organization} title="deputies.title" />
      <ErrorSummary t={t} errors={errors} labels={{ adjoint: "deputies.userCode" }} />
      {notice ? <Notice kind="error">{t(notice.key, notice.params)}</Notice> : null}
      <p>{t("deputies.intro")}</p>
      {deputies.length === 0 ? (
        <p>{t("deputies.empty")}</p>
      ) : (
        <DataTable
          t={t}
          id="adjoints"
          caption={t("deputies.title")}
          columns={manage ? [...DEPUTY_COLUMNS, "registry.col.actions"] : DEPUTY_COLUMNS}
          class="deputies"
        >
          <tbody>
            {deputies.map((d) => (
              <tr key={d.id}>
                <td>{personName(d)}</td>
                <td>{d.user_code}</td>
                <td>{since(d.granted_at, page)}</td>
                {manage ? (
                  <td>
                    <ActionButton
                      page={page}
                      action={`${base}/${d.id}/retrait`}
                      label="deputies.remove"
                      about={personName(d)}
                      danger
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {manage ? (
        <section aria-labelledby="nommer-adjoint">
          <h2 id="nommer-adjoint">{t("deputies.name")}</h2>
          <form method="get" action={`${base}/confirmation`} novalidate>
            <TextField
              t={t}
              name="adjoint"
              label="deputies.userCode"
              hint="registry.userCodeHint"
              value={userCode}
              error={errors.adjoint}
              maxLength={7}
              autocomplete="off"
              required
            />
            <div class="actions">
              <button type="submit">{t("deputies.submit")}</button>
            </div>
          </form>
        </section>
      ) : (
        <p class="hint">{t("deputies.readOnly")}</p>
      )}
      <BackToService page={page} service={service} />
    </section>
  );
}

/**
 * The summary before « Confirmer »: who becomes a deputy, and, when their procurations do not cover the service,
 * what they lack and which services officers (RSE) can give it, so that the manager does not name someone who
 * cannot act.
 */
export function DeputyConfirmView({
  page,
  service,
  organization,
  person,
  gap,
}: RegistryHead & { person: Person; gap: ProcurationGap | null }) {
  const { t } = page;
  const base = paths.deputies(service.code, organization.id);
  const name = personName(person);
  return (
    <section>
      <RegistryHeading
        page={page}
        service={service}
        organization={organization}
        title="deputies.confirmTitle"
      />
      <PersonCard page={page} person={person} />
      <p>
        {t("deputies.confirmIntro", {
          name,
          code: person.user_code,
          organization: organization.name,
          service: serviceTitle(page.locale, service),
        })}
      </p>
      {gap ? (
        <Notice kind="info">
          <h2>{t("deputies.gapTitle")}</h2>
          <p>
            {t(`deputies.gap.${gap.reason}`, {
              name,
              organization: organization.name,
              service: serviceTitle(page.locale, service),
            })}
          </p>
          <p>{t("deputies.gapFix", { officers: officersText(t, gap) })}</p>
        </Notice>
      ) : null}
      <ConfirmPersonForm page={page} action={base} field="adjoint" userCode={person.user_code} />
    </section>
  );
}

// --- Associations (agent manager)

type PointHead = { page: Page; service: Service; point: NamedServicePoint };

function PointHeading({ page, service, point, title }: PointHead & { title: string }) {
  return (
    <>
      <h1>{title}</h1>
      <p class="lead">
        {page.t("association.subtitle", {
          firm: point.organizationName,
          point: point.name,
          service: serviceTitle(page.locale, service),
        })}
      </p>
    </>
  );
}

export function AssociationView({
  page,
  service,
  point,
  associations,
  notice,
}: PointHead & { associations: AssociationRow[]; notice?: FieldError | undefined }) {
  const { t } = page;
  const base = paths.association(service.code, point.id);
  return (
    <section>
      <PointHeading page={page} service={service} point={point} title={t("association.title")} />
      {notice ? <Notice kind="error">{t(notice.key, notice.params)}</Notice> : null}
      <p>{t("association.intro")}</p>
      {associations.length === 0 ? (
        <p>{t("association.empty")}</p>
      ) : (
        <DataTable
          t={t}
          id="associations"
          caption={t("association.title")}
          columns={[
            "registry.col.person",
            "deputies.col.userCode",
            "association.col.associatedBy",
            "registry.col.since",
            "registry.col.actions",
          ]}
          class="associations"
        >
          <tbody>
            {associations.map((a) => (
              <tr key={a.id}>
                <td>{personName(a)}</td>
                <td>{a.user_code}</td>
                <td>{`${a.associated_by_first_name} ${a.associated_by_last_name}`}</td>
                <td>{since(a.associated_at, page)}</td>
                <td>
                  <a class="button button-danger" href={`${base}/${a.id}/dissocier`}>
                    {t("association.dissociate")}
                    <span class="visually-hidden">{` : ${personName(a)}`}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <section aria-labelledby="nouvelle-association">
        <h2 id="nouvelle-association">{t("association.new")}</h2>
        <p>{t("association.newIntro")}</p>
        <CodeSearch page={page} action={`${base}/nouvelle`} userCode="" error={undefined} />
      </section>
      <BackToService page={page} service={service} />
    </section>
  );
}

/** The person behind the code, and « OK » to go on; or the reason they cannot be associated. */
export function AssociationLookupView({
  page,
  service,
  point,
  userCode,
  person,
  errors,
}: PointHead & { userCode: string; person: Person | null; errors: FieldErrors }) {
  const { t } = page;
  const base = paths.association(service.code, point.id);
  const ok = person !== null && Object.keys(errors).length === 0;
  return (
    <section>
      <PointHeading page={page} service={service} point={point} title={t("association.new")} />
      <ErrorSummary t={t} errors={errors} labels={{ utilisateur: "registry.userCode" }} />
      <CodeSearch page={page} action={`${base}/nouvelle`} userCode={userCode} error={errors.utilisateur} />
      {person ? (
        <section aria-labelledby="personne-trouvee">
          <h2 id="personne-trouvee">{t("registry.personFound")}</h2>
          <PersonCard page={page} person={person} />
          {ok ? (
            <form method="get" action={`${base}/confirmation`} novalidate>
              <input type="hidden" name="utilisateur" value={person.user_code} />
              <p>{t("association.question", { name: personName(person), point: point.name })}</p>
              <div class="actions">
                <button type="submit">{t("association.ok")}</button>
                <a href={base}>{t("form.cancel")}</a>
              </div>
            </form>
          ) : null}
        </section>
      ) : null}
      <p>
        <a href={base}>{t("association.back")}</a>
      </p>
    </section>
  );
}

export function AssociationConfirmView({ page, service, point, person }: PointHead & { person: Person }) {
  const { t } = page;
  const base = paths.association(service.code, point.id);
  return (
    <section>
      <PointHeading page={page} service={service} point={point} title={t("association.confirmTitle")} />
      <PersonCard page={page} person={person} />
      <p>
        {t("association.confirmIntro", {
          name: personName(person),
          code: person.user_code,
          service: serviceTitle(page.locale, service),
          point: point.name,
          firm: point.organizationName,
        })}
      </p>
      <ConfirmPersonForm page={page} action={base} field="utilisateur" userCode={person.user_code} />
    </section>
  );
}

export function DissociateView({
  page,
  service,
  point,
  association,
  rights,
}: PointHead & {
  association: { id: number; user_code: string; first_name: string; last_name: string };
  rights: { id: number; organization_name: string; access_right: AccessRight; valid_until: Day | null }[];
}) {
  const { t } = page;
  const base = paths.association(service.code, point.id);
  const name = personName(association);
  return (
    <section>
      <PointHeading
        page={page}
        service={service}
        point={point}
        title={t("association.dissociateTitle", { name })}
      />
      <Notice kind="error">{t("association.dissociateWarning", { name, service: service.code })}</Notice>
      <h2>{t("association.rightsEnding")}</h2>
      {rights.length === 0 ? (
        <p>{t("association.noRights")}</p>
      ) : (
        <ul class="rights-ending">
          {rights.map((r) => (
            <li key={r.id}>
              {t("association.rightEnding", {
                organization: r.organization_name,
                right: t(`registry.right.${r.access_right}`),
              })}
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`${base}/${association.id}/dissocier`} novalidate>
        <CsrfField token={page.csrfToken} />
        <div class="actions">
          <button type="submit" class="button-danger">
            {t("association.confirmDissociate")}
          </button>
          <a href={base}>{t("form.cancel")}</a>
        </div>
      </form>
    </section>
  );
}

// --- Qui a accès

export function WhoHasAccessView({
  page,
  service,
  organization,
  rows,
}: RegistryHead & { rows: AccessRow[] }) {
  const { t } = page;
  return (
    <section>
      <RegistryHeading page={page} service={service} organization={organization} title="whoHasAccess.title" />
      <p>{t("whoHasAccess.intro")}</p>
      <p>
        <a
          class="button button-secondary"
          href={`${paths.whoHasAccess(service.code, organization.id)}.csv`}
          download
        >
          {t("whoHasAccess.csv")}
        </a>
      </p>
      {rows.length === 0 ? (
        <p>{t("whoHasAccess.empty")}</p>
      ) : (
        <DataTable
          t={t}
          id="qui-a-acces"
          caption={t("whoHasAccess.title")}
          columns={[
            "whoHasAccess.col.person",
            "whoHasAccess.col.organization",
            "whoHasAccess.col.access",
            "whoHasAccess.col.chain",
          ]}
          class="who-has-access"
        >
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.kind}-${row.user_id}`} data-kind={row.kind}>
                <td>{`${personName(row)} (${row.user_code})`}</td>
                <td>
                  <FrenchName locale={page.locale} name={row.organization_name} />
                </td>
                <td>{kindLabel(t, row)}</td>
                <td>{chainOf(t, row)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <p>
        <a href={paths.registry(service.code, organization.id)}>{t("registry.backToRegistry")}</a>
      </p>
      <BackToService page={page} service={service} />
    </section>
  );
}
