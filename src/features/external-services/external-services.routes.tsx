// Routes of « Services en ligne externes » in the ministry's back office: validate, call one service function, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type FieldErrors, readRouteId } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { newSubmissionKey, readSubmissionKey } from "../submissions/submissions.service.js";
import {
  changeExternalService,
  type ExternalService,
  formOf,
  getExternalService,
  type Issued,
  listExternalServices,
  openRegistration,
  registerExternalService,
  rotateClientSecret,
  setClientEnabled,
} from "./external-services.service.js";
import { type Field, readServiceForm, type ServiceForm } from "./external-services.validation.js";
import { DetailView, ListView, paths, SecretView, ServiceFormView } from "./external-services.views.js";

type IdParams = { Params: { id: string } };

const EMPTY_FORM: ServiceForm = {
  code: "",
  nom: "",
  categorie: "infrastructures",
  adresse: "",
  redirections: "",
  retours: "",
  deconnexion: "",
  methode: "client_secret_basic",
  jwks: "",
  assurance: "mfa",
};

export async function externalServiceRoutes(app: FastifyInstance): Promise<void> {
  app.get(paths.list, async (request, reply) => {
    const { ministryName, services } = await listExternalServices(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("externalServices.title"),
      <ListView page={page} ministryName={ministryName} services={services} />,
    );
  });

  function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    service: ExternalService | null,
    form: ServiceForm,
    errors: FieldErrors<Field> = {},
    status = 200,
  ) {
    const page = pageOf(request, reply);
    const title = service
      ? page.t("externalServices.edit.title", { code: service.service_code })
      : page.t("externalServices.new.title");
    return sendPage(
      reply,
      page,
      title,
      <ServiceFormView page={page} service={service} form={form} errors={errors} />,
      status,
    );
  }

  /** After a registration or a change: the secret once if one was issued, else the service's page. */
  function showIssued(
    request: FastifyRequest,
    reply: FastifyReply,
    issued: Issued,
    flash: "externalServices.registered" | "externalServices.changed",
  ) {
    if (issued.secret === null) {
      return redirectWithFlash(reply, paths.one(issued.id), {
        kind: "success",
        key: flash,
        params: { code: issued.code },
      });
    }
    return showSecret(request, reply, issued, issued.secret);
  }

  // The secret exists in clear only in this response: not in a redirect, a flash, a log or the audit log.
  function showSecret(request: FastifyRequest, reply: FastifyReply, issued: Issued, secret: string) {
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("externalServices.secret.title", { code: issued.code }),
      <SecretView page={page} service={issued} secret={secret} />,
    );
  }

  app.get(paths.new, (request, reply) => {
    openRegistration(request.ctx());
    return showForm(request, reply, null, EMPTY_FORM);
  });

  app.post(paths.list, { config: { stepUp: "externalService.register" } }, async (request, reply) => {
    const form = readServiceForm(request.body);
    const result = await registerExternalService(request.ctx(), form);
    if (!result.ok) return showForm(request, reply, null, form, result.errors, result.status);
    return showIssued(request, reply, result, "externalServices.registered");
  });

  async function showService(request: FastifyRequest, reply: FastifyReply, id: number) {
    const service = await getExternalService(request.ctx(), id);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("externalServices.detail.title", { code: service.service_code, name: service.name }),
      <DetailView page={page} service={service} submissionKey={newSubmissionKey()} />,
    );
  }

  app.get<IdParams>(`${paths.list}/:id`, (request, reply) =>
    showService(request, reply, readRouteId(request.params.id)),
  );

  app.get<IdParams>(`${paths.list}/:id/modifier`, async (request, reply) => {
    const service = await getExternalService(request.ctx(), readRouteId(request.params.id));
    return showForm(request, reply, service, formOf(service));
  });

  app.post<IdParams>(
    `${paths.list}/:id`,
    { config: { stepUp: "externalService.change" } },
    async (request, reply) => {
      const id = readRouteId(request.params.id);
      const form = readServiceForm(request.body);
      const result = await changeExternalService(request.ctx(), id, form);
      if (!result.ok) {
        const service = await getExternalService(request.ctx(), id);
        return showForm(request, reply, service, form, result.errors, result.status);
      }
      return showIssued(request, reply, result, "externalServices.changed");
    },
  );

  app.post<IdParams>(
    `${paths.list}/:id/secret`,
    { config: { stepUp: "externalService.rotateSecret" } },
    async (request, reply) => {
      const id = readRouteId(request.params.id);
      const key = readSubmissionKey(request.body);
      const result = await rotateClientSecret(request.ctx(), id, key);
      if (!result.ok) {
        return redirectWithFlash(reply, paths.one(id), { kind: "info", key: result.key });
      }
      return showSecret(request, reply, result, result.secret);
    },
  );

  for (const [suffix, enabled] of [
    ["desactivation", false],
    ["reactivation", true],
  ] as const) {
    app.post<IdParams>(`${paths.list}/:id/${suffix}`, async (request, reply) => {
      const id = readRouteId(request.params.id);
      const result = await setClientEnabled(request.ctx(), id, enabled);
      const key = enabled
        ? result.changed
          ? "externalServices.enabled"
          : "externalServices.alreadyEnabled"
        : result.changed
          ? "externalServices.disabled"
          : "externalServices.alreadyDisabled";
      return redirectWithFlash(reply, paths.one(id), {
        kind: result.changed ? "success" : "info",
        key,
        params: { code: result.code },
      });
    });
  }
}
