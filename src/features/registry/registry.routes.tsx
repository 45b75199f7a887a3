// Routes of a service's space and its « Utilitaires » (registry, deputies, associations, « Qui a accès »):
// validate, call one service function, render. The organization and the service point are in the URL; the policy
// decides whether the actor may act there, and refuses a forged one with an audited 403.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import { isAccessRight } from "../../policy/registry.rules.js";
import { sendCsv } from "../../web/downloads.js";
import { type FieldErrors, hasErrors, readFields, readRouteId } from "../../web/forms.js";
import { serviceTitle } from "../../web/localized.js";
import type { MessageKey, Translate } from "../../web/messages.js";
import { type Page, pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { hasRegistry } from "../right-requests/right-requests.service.js";
import { getService } from "../services/services.service.js";
import { newSubmissionKey, readSubmissionKey } from "../submissions/submissions.service.js";
import {
  associate,
  dissociate,
  grantRight,
  listAssociations,
  listDeputies,
  listRegistry,
  nameDeputy,
  previewDeputy,
  removeDeputy,
  revokeRight,
  type ServiceTarget,
} from "./registry.service.js";
import {
  AssociationConfirmView,
  AssociationLookupView,
  AssociationView,
  ChangeGrantView,
  DeputiesView,
  DeputyConfirmView,
  DissociateView,
  paths,
  RegistrationConfirmView,
  RegistrationLookupView,
  RegistryView,
  ServiceSpaceView,
  WhoHasAccessView,
} from "./registry.views.js";
import {
  changeFromForm,
  findGrantOfRegistry,
  type LookedUp,
  lookUpAssociate,
  lookUpGrantee,
  openServiceSpace,
  organizationOfUrl,
  previewDissociation,
  registryAbilities,
  rightsOfPair,
  servicePointOfUrl,
} from "./service-space.js";
import { listWhoHasAccess, whoHasAccessCsv } from "./who-has-access.js";

type CodeParams = { Params: { code: string } };
type OrgParams = { Params: { code: string; org: string } };
type GrantParams = { Params: { code: string; org: string; grant: string } };
type DeputyParams = { Params: { code: string; org: string; role: string } };
type PointParams = { Params: { code: string; point: string } };
type AssociationParams = { Params: { code: string; point: string; association: string } };

const ORG = "/services/:code/organisations/:org";
const POINT = "/services/:code/points/:point/association";

/** The service and the organization a registry URL names, and the target the policy decides on. */
async function registryOf(request: FastifyRequest<OrgParams>) {
  const ctx = request.ctx();
  const organizationId = readRouteId(request.params.org);
  const service = await getService(ctx, request.params.code);
  const organization = await organizationOfUrl(ctx, organizationId);
  const target: ServiceTarget = { service, organizationId: organization.id };
  return { ctx, service, organization, target };
}

/** The service and the service point an agent manager's URL names; the point's firm is the organization. */
async function pointOf(request: FastifyRequest<PointParams>) {
  const ctx = request.ctx();
  const servicePointId = readRouteId(request.params.point);
  const service = await getService(ctx, request.params.code);
  const point = await servicePointOfUrl(ctx, servicePointId);
  const target = { service, organizationId: point.organizationId, servicePointId: point.id };
  return { ctx, service, point, target };
}

/** One page of the registry: its title (a catalogue key, or built from the translator) and its body. */
function render(
  request: FastifyRequest,
  reply: FastifyReply,
  title: MessageKey | ((t: Translate) => string),
  body: (page: Page) => ComponentChildren,
  status = 200,
) {
  const page = pageOf(request, reply);
  return sendPage(reply, page, typeof title === "string" ? page.t(title) : title(page.t), body(page), status);
}

function lookedUpParts(result: LookedUp | { errors: FieldErrors }) {
  return "person" in result
    ? { person: result.person, rights: result.rights, errors: result.errors, status: result.status }
    : { person: null, rights: [], errors: result.errors, status: 400 as const };
}

export async function registryRoutes(app: FastifyInstance): Promise<void> {
  // --- The service's space

  app.get<CodeParams>("/services/:code", async (request, reply) => {
    const ctx = request.ctx();
    const service = await getService(ctx, request.params.code);
    const space = await openServiceSpace(ctx, service);
    return render(
      request,
      reply,
      () => serviceTitle(request.locale, service),
      (page) => (
        <ServiceSpaceView
          page={page}
          service={service}
          ministry={service.ministry_acronym ?? service.ministry_name}
          space={space}
          askable={hasRegistry(service)}
        />
      ),
    );
  });

  // --- Registry

  async function showRegistry(
    request: FastifyRequest<OrgParams>,
    reply: FastifyReply,
    notice?: FieldErrors[string],
    status = 200,
  ) {
    const { ctx, service, organization, target } = await registryOf(request);
    const grants = await listRegistry(ctx, target);
    return render(
      request,
      reply,
      "registry.title",
      (page) => (
        <RegistryView
          page={page}
          service={service}
          organization={organization}
          grants={grants}
          notice={notice}
        />
      ),
      status,
    );
  }

  app.get<OrgParams>(`${ORG}/registre`, (request, reply) => showRegistry(request, reply));

  async function showLookup(
    request: FastifyRequest<OrgParams>,
    reply: FastifyReply,
    userCode: string,
    override?: { errors: FieldErrors; status: number },
  ) {
    const { ctx, service, organization, target } = await registryOf(request);
    const found = lookedUpParts(await lookUpGrantee(ctx, target, userCode));
    return render(
      request,
      reply,
      "registry.new",
      (page) => (
        <RegistrationLookupView
          page={page}
          service={service}
          organization={organization}
          userCode={userCode}
          person={found.person}
          rights={found.rights}
          errors={hasErrors(found.errors) ? found.errors : (override?.errors ?? {})}
        />
      ),
      override?.status ?? found.status,
    );
  }

  // « Chercher »: the person behind the code, with a « + » for each right this registry may give them.
  app.get<OrgParams>(`${ORG}/registre/inscription`, (request, reply) => {
    const { utilisateur } = readFields(request.query, ["utilisateur"]);
    return showLookup(request, reply, utilisateur);
  });

  async function showConfirm(
    request: FastifyRequest<OrgParams>,
    reply: FastifyReply,
    form: { userCode: string; right: string; validUntil: string; key: string },
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { ctx, service, organization, target } = await registryOf(request);
    const found = lookedUpParts(await lookUpGrantee(ctx, target, form.userCode, form.right));
    const right = found.rights.find((r) => r === form.right);
    if (!found.person || !right || found.status !== 200) {
      return showLookup(request, reply, form.userCode, {
        errors: { ...found.errors, ...errors },
        status: status === 200 ? found.status : status,
      });
    }
    return render(
      request,
      reply,
      "registry.confirmTitle",
      (page) => (
        <RegistrationConfirmView
          page={page}
          service={service}
          organization={organization}
          person={found.person}
          right={right}
          validUntil={form.validUntil}
          submissionKey={form.key}
          errors={errors}
        />
      ),
      status,
    );
  }

  // « + »: the right chosen; the end date and « Confirmer » come next, with a fresh one-time key.
  app.get<OrgParams>(`${ORG}/registre/inscription/confirmation`, (request, reply) => {
    const { utilisateur, droit } = readFields(request.query, ["utilisateur", "droit"]);
    return showConfirm(request, reply, {
      userCode: utilisateur,
      right: droit,
      validUntil: "",
      key: newSubmissionKey(),
    });
  });

  // « Confirmer »
  app.post<OrgParams>(
    `${ORG}/registre/inscription`,
    { config: { stepUp: "registry.grant" } },
    async (request, reply) => {
      const key = readSubmissionKey(request.body);
      const fields = readFields(request.body, ["utilisateur", "droit", "fin"]);
      const { ctx, service, organization, target } = await registryOf(request);
      const result = await grantRight(ctx, target, {
        userCode: fields.utilisateur,
        right: fields.droit,
        validUntil: fields.fin,
        submissionKey: key,
      });
      if (!result.ok) {
        return showConfirm(
          request,
          reply,
          { userCode: fields.utilisateur, right: fields.droit, validUntil: fields.fin, key },
          result.errors,
          result.status,
        );
      }
      const right = isAccessRight(fields.droit) ? request.t(`registry.right.${fields.droit}`) : fields.droit;
      return redirectWithFlash(reply, paths.registry(service.code, organization.id), {
        kind: result.repeated ? "info" : "success",
        key: result.repeated ? "registry.repeated" : "registry.granted",
        params: { name: result.name, right },
      });
    },
  );

  // « Modifier »: the right within its pair, and the end date.
  async function showChange(
    request: FastifyRequest<GrantParams>,
    reply: FastifyReply,
    input: { right: string; validUntil: string } | null,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { ctx, service, organization, target } = await registryOf(request);
    const grant = await findGrantOfRegistry(ctx, target, readRouteId(request.params.grant));
    return render(
      request,
      reply,
      "registry.changeTitle",
      (page) => (
        <ChangeGrantView
          page={page}
          service={service}
          organization={organization}
          grant={grant}
          choices={rightsOfPair(grant.access_right)}
          values={input ?? { right: grant.access_right, validUntil: grant.valid_until ?? "" }}
          errors={errors}
        />
      ),
      status,
    );
  }

  app.get<GrantParams>(`${ORG}/registre/droits/:grant/modifier`, (request, reply) =>
    showChange(request, reply, null),
  );

  app.post<GrantParams>(
    `${ORG}/registre/droits/:grant/modifier`,
    { config: { stepUp: "registry.change" } },
    async (request, reply) => {
      const grantId = readRouteId(request.params.grant);
      const fields = readFields(request.body, ["droit", "fin"]);
      const input = { right: fields.droit, validUntil: fields.fin };
      const { ctx, service, organization, target } = await registryOf(request);
      const { outcome } = await changeFromForm(ctx, target, grantId, input);
      if (outcome && !outcome.ok) return showChange(request, reply, input, outcome.errors, outcome.status);
      const unchanged = outcome !== null && "unchanged" in outcome;
      return redirectWithFlash(reply, paths.registry(service.code, organization.id), {
        kind: unchanged ? "info" : "success",
        key: unchanged ? "registry.unchanged" : "registry.changed",
        params: { name: outcome?.name ?? "" },
      });
    },
  );

  // « Retirer »: a right ended twice is refused with a message, and nothing changes.
  app.post<GrantParams>(
    `${ORG}/registre/droits/:grant/retrait`,
    { config: { stepUp: "registry.revoke" } },
    async (request, reply) => {
      const grantId = readRouteId(request.params.grant);
      const { ctx, service, organization, target } = await registryOf(request);
      const result = await revokeRight(ctx, target, grantId);
      if (!result.ok) return showRegistry(request, reply, Object.values(result.errors)[0], result.status);
      return redirectWithFlash(reply, paths.registry(service.code, organization.id), {
        kind: "success",
        key: "registry.revoked",
        params: { name: result.name },
      });
    },
  );

  // --- Deputies: the local manager names and removes them; a deputy sees the list only.

  async function showDeputies(
    request: FastifyRequest<OrgParams>,
    reply: FastifyReply,
    form: { userCode: string; errors: FieldErrors; notice?: FieldErrors[string] } = {
      userCode: "",
      errors: {},
    },
    status = 200,
  ) {
    const { ctx, service, organization, target } = await registryOf(request);
    const deputies = await listDeputies(ctx, target);
    const { manageDeputies } = await registryAbilities(ctx, target);
    return render(
      request,
      reply,
      "deputies.title",
      (page) => (
        <DeputiesView
          page={page}
          service={service}
          organization={organization}
          deputies={deputies}
          manage={manageDeputies}
          userCode={form.userCode}
          errors={form.errors}
          notice={form.notice}
        />
      ),
      status,
    );
  }

  app.get<OrgParams>(`${ORG}/adjoints`, (request, reply) => showDeputies(request, reply));

  // The user code, then the summary with « Confirmer » (warning of a missing procuration), then the naming.
  app.get<OrgParams>(`${ORG}/adjoints/confirmation`, async (request, reply) => {
    const { adjoint } = readFields(request.query, ["adjoint"]);
    const { ctx, service, organization, target } = await registryOf(request);
    const preview = await previewDeputy(ctx, target, adjoint);
    if (!preview.ok)
      return showDeputies(request, reply, { userCode: adjoint, errors: preview.errors }, preview.status);
    return render(request, reply, "deputies.confirmTitle", (page) => (
      <DeputyConfirmView
        page={page}
        service={service}
        organization={organization}
        person={preview.person}
        gap={preview.gap}
      />
    ));
  });

  app.post<OrgParams>(`${ORG}/adjoints`, { config: { stepUp: "deputy.name" } }, async (request, reply) => {
    const { adjoint } = readFields(request.body, ["adjoint"]);
    const { ctx, service, organization, target } = await registryOf(request);
    const result = await nameDeputy(ctx, target, adjoint);
    if (!result.ok)
      return showDeputies(request, reply, { userCode: adjoint, errors: result.errors }, result.status);
    return redirectWithFlash(reply, paths.deputies(service.code, organization.id), {
      kind: "success",
      key: "deputies.named",
      params: { name: result.name },
    });
  });

  app.post<DeputyParams>(
    `${ORG}/adjoints/:role/retrait`,
    { config: { stepUp: "deputy.remove" } },
    async (request, reply) => {
      const roleId = readRouteId(request.params.role);
      const { ctx, service, organization, target } = await registryOf(request);
      const result = await removeDeputy(ctx, target, roleId);
      if (!result.ok) {
        const notice = Object.values(result.errors)[0];
        return showDeputies(request, reply, { userCode: "", errors: {}, notice }, result.status);
      }
      return redirectWithFlash(reply, paths.deputies(service.code, organization.id), {
        kind: "success",
        key: "deputies.removed",
        params: { name: result.name },
      });
    },
  );

  // --- « Qui a accès », on the page and as CSV

  app.get<OrgParams>(`${ORG}/qui-a-acces`, async (request, reply) => {
    const { ctx, service, organization, target } = await registryOf(request);
    const rows = await listWhoHasAccess(ctx, target);
    return render(request, reply, "whoHasAccess.title", (page) => (
      <WhoHasAccessView page={page} service={service} organization={organization} rows={rows} />
    ));
  });

  app.get<OrgParams>(`${ORG}/qui-a-acces.csv`, async (request, reply) => {
    const { ctx, service, organization, target } = await registryOf(request);
    const rows = await listWhoHasAccess(ctx, target);
    const name = `qui-a-acces-${service.code}-${organization.id}.csv`;
    return sendCsv(reply, name, whoHasAccessCsv(request.t, rows));
  });

  // --- Associations: the agent manager of one service point

  async function showAssociations(
    request: FastifyRequest<PointParams>,
    reply: FastifyReply,
    notice?: FieldErrors[string],
    status = 200,
  ) {
    const { ctx, service, point, target } = await pointOf(request);
    const associations = await listAssociations(ctx, target);
    return render(
      request,
      reply,
      "association.title",
      (page) => (
        <AssociationView
          page={page}
          service={service}
          point={point}
          associations={associations}
          notice={notice}
        />
      ),
      status,
    );
  }

  app.get<PointParams>(POINT, (request, reply) => showAssociations(request, reply));

  async function showAssociationLookup(
    request: FastifyRequest<PointParams>,
    reply: FastifyReply,
    userCode: string,
    confirm: boolean,
    override?: { errors: FieldErrors; status: number },
  ) {
    const { ctx, service, point, target } = await pointOf(request);
    const found = lookedUpParts(await lookUpAssociate(ctx, target, userCode));
    const person = found.person;
    if (confirm && person && found.status === 200 && !override) {
      return render(request, reply, "association.confirmTitle", (page) => (
        <AssociationConfirmView page={page} service={service} point={point} person={person} />
      ));
    }
    return render(
      request,
      reply,
      "association.new",
      (page) => (
        <AssociationLookupView
          page={page}
          service={service}
          point={point}
          userCode={userCode}
          person={person}
          errors={hasErrors(found.errors) ? found.errors : (override?.errors ?? {})}
        />
      ),
      override?.status ?? found.status,
    );
  }

  // The user code, then the person shown with « OK »…
  app.get<PointParams>(`${POINT}/nouvelle`, (request, reply) => {
    const { utilisateur } = readFields(request.query, ["utilisateur"]);
    return showAssociationLookup(request, reply, utilisateur, false);
  });

  // …then « Confirmer ».
  app.get<PointParams>(`${POINT}/confirmation`, (request, reply) => {
    const { utilisateur } = readFields(request.query, ["utilisateur"]);
    return showAssociationLookup(request, reply, utilisateur, true);
  });

  app.post<PointParams>(POINT, { config: { stepUp: "association.add" } }, async (request, reply) => {
    const { utilisateur } = readFields(request.body, ["utilisateur"]);
    const { ctx, service, point, target } = await pointOf(request);
    const result = await associate(ctx, target, utilisateur);
    if (!result.ok) {
      return showAssociationLookup(request, reply, utilisateur, false, {
        errors: result.errors,
        status: result.status,
      });
    }
    return redirectWithFlash(reply, paths.association(service.code, point.id), {
      kind: "success",
      key: "association.associated",
      params: { name: result.name },
    });
  });

  // « Dissocier »: a confirmation that says what ends with it, then the cascade.
  app.get<AssociationParams>(`${POINT}/:association/dissocier`, async (request, reply) => {
    const associationId = readRouteId(request.params.association);
    const { ctx, service, point, target } = await pointOf(request);
    const preview = await previewDissociation(ctx, target, associationId);
    if (!preview) {
      return redirectWithFlash(reply, paths.association(service.code, point.id), {
        kind: "info",
        key: "registry.alreadyDissociated",
      });
    }
    return render(
      request,
      reply,
      (t) =>
        t("association.dissociateTitle", {
          name: `${preview.association.first_name} ${preview.association.last_name}`,
        }),
      (page) => (
        <DissociateView
          page={page}
          service={service}
          point={point}
          association={preview.association}
          rights={preview.rights}
        />
      ),
    );
  });

  app.post<AssociationParams>(
    `${POINT}/:association/dissocier`,
    { config: { stepUp: "association.remove" } },
    async (request, reply) => {
      const associationId = readRouteId(request.params.association);
      const { ctx, service, point, target } = await pointOf(request);
      const result = await dissociate(ctx, target, associationId);
      if (!result.ok) return showAssociations(request, reply, Object.values(result.errors)[0], result.status);
      return redirectWithFlash(reply, paths.association(service.code, point.id), {
        kind: "success",
        key: "association.dissociated",
        params: { name: result.name },
      });
    },
  );
}
