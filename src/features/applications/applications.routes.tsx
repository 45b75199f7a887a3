// Routes of « Demandes d'aide financière »: validate, call one service function, render. The service and the
// organization are in the URL; the policy decides, and refuses anything else with an audited 403 or a 404.
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { openFileStore } from "../../storage/index.js";
import { type FieldErrors, readFields, readRouteId } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { UPLOAD_BUFFERS } from "../file-transfers/checked-upload.js";
import { sendDownload } from "../file-transfers/file-transfers.routes.js";
import type { RegistryService } from "../registry/registry.service.js";
import { getService } from "../services/services.service.js";
import { newSubmissionKey, readSubmissionKey } from "../submissions/submissions.service.js";
import {
  type ApplicationPage,
  applicationListPage,
  applicationPage,
  createApplication,
  previewTransmission,
  saveApplication,
  transmitApplication,
  versionPage,
  versionsPage,
} from "./applications.service.js";
import {
  ApplicationListView,
  ApplicationView,
  type EditState,
  paths,
  TransmitConfirmView,
  TransmittedView,
  VersionsView,
  VersionView,
} from "./applications.views.js";
import {
  type AttachmentDeps,
  type AttachmentRefusal,
  addAttachment,
  newVersionWithAttachments,
  openAttachment,
  openAttachmentAsMinistry,
  openAttachmentUpload,
  removeAttachment,
} from "./attachments.js";
import { inputValues } from "./form-definition.js";

type OrgParams = { Params: { code: string; org: string } };
type NumberParams = { Params: { code: string; number: string } };
type FieldParams = { Params: { code: string; number: string; field: string } };
type AttachmentParams = { Params: { code: string; number: string; id: string } };
type RevisionParams = { Params: { code: string; number: string; revision: string } };

const FIELD_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** The fields of a submitted form as typed (the service trims them), leaving out the CSRF token and the revision. */
function readFormFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof body !== "object" || body === null) return fields;
  for (const [name, value] of Object.entries(body)) {
    if (FIELD_NAME.test(name) && name !== "revision" && typeof value === "string") fields[name] = value;
  }
  return fields;
}

/** The service and the application a URL names. */
async function applicationOf(request: FastifyRequest<NumberParams>) {
  const ctx = request.ctx();
  const number = readRouteId(request.params.number);
  const service: RegistryService = await getService(ctx, request.params.code);
  return { ctx, service, number };
}

export async function applicationRoutes(app: FastifyInstance): Promise<void> {
  const { config } = app.guichet;
  const deps: AttachmentDeps = { store: openFileStore(config), maxFileBytes: config.transferMaxFileBytes };
  app.addHook("onClose", async () => deps.store.close());
  // preservePath: a name such as « ../x.pdf » reaches the name check as it was sent.
  await app.register(multipart, { preservePath: true, throwFileSizeLimit: false });

  // --- The list and « Nouvelle demande »

  async function showList(
    request: FastifyRequest<OrgParams>,
    reply: FastifyReply,
    create: { title: string; errors: FieldErrors; key: string } = {
      title: "",
      errors: {},
      key: newSubmissionKey(),
    },
    status = 200,
  ) {
    const ctx = request.ctx();
    const service = await getService(ctx, request.params.code);
    const data = await applicationListPage(ctx, service, readRouteId(request.params.org));
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.list.title"),
      <ApplicationListView page={page} service={service} data={data} create={create} />,
      status,
    );
  }

  app.get<OrgParams>("/services/:code/organisations/:org/demandes", (request, reply) =>
    showList(request, reply),
  );

  app.post<OrgParams>("/services/:code/organisations/:org/demandes", async (request, reply) => {
    const ctx = request.ctx();
    const key = readSubmissionKey(request.body);
    const { titre } = readFields(request.body, ["titre"]);
    const service = await getService(ctx, request.params.code);
    const organizationId = readRouteId(request.params.org);
    const result = await createApplication(ctx, { service, organizationId }, { title: titre, key });
    if (!result.ok) {
      const errors = { titre: result.errors.title };
      return showList(request, reply, { title: titre, errors, key }, result.status);
    }
    return redirectWithFlash(reply, paths.application(service.code, result.number), {
      kind: "success",
      key: "applications.created",
      params: { number: result.number },
    });
  });

  // --- One application

  async function showApplication(
    request: FastifyRequest<NumberParams>,
    reply: FastifyReply,
    options: { data?: ApplicationPage; edit?: Partial<EditState>; status?: number } = {},
  ) {
    const { ctx, service, number } = await applicationOf(request);
    const data = options.data ?? (await applicationPage(ctx, service, number));
    const edit: EditState = {
      values: options.edit?.values ?? inputValues(data.form, data.application.data, request.locale),
      revision: options.edit?.revision ?? data.application.revision,
      errors: options.edit?.errors ?? {},
    };
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.page.title", { number: data.application.number, title: data.application.title }),
      <ApplicationView page={page} data={data} edit={edit} />,
      options.status ?? 200,
    );
  }

  app.get<NumberParams>("/services/:code/demandes/:number", (request, reply) =>
    showApplication(request, reply),
  );

  // « Enregistrer »: a refused save shows the form again with what the user typed, and the revision they started from.
  app.post<NumberParams>("/services/:code/demandes/:number", async (request, reply) => {
    const { ctx, service, number } = await applicationOf(request);
    const { revision } = readFields(request.body, ["revision"]);
    const fields = readFormFields(request.body);
    const result = await saveApplication(ctx, service, number, { revision, fields, locale: request.locale });
    if (!result.ok) {
      const started = /^\d{1,9}$/.test(revision) ? Number(revision) : undefined;
      return showApplication(request, reply, {
        edit: { values: result.data, errors: result.errors, ...(started ? { revision: started } : {}) },
        status: result.status,
      });
    }
    return redirectWithFlash(reply, paths.application(service.code, number), {
      kind: "success",
      key: "applications.saved",
    });
  });

  // --- Attachments

  function refuseUpload(
    request: FastifyRequest<NumberParams>,
    reply: FastifyReply,
    field: string,
    refused: AttachmentRefusal,
  ) {
    // The rest of a refused body is not read: the connection closes once the answer is sent.
    reply.header("connection", "close");
    return showApplication(request, reply, {
      edit: { errors: { [field]: refused.refusal } },
      status: refused.status,
    });
  }

  app.post<FieldParams>(
    "/services/:code/demandes/:number/pieces-jointes/:field",
    { config: { upload: true } },
    async (request, reply) => {
      const { ctx, service, number } = await applicationOf(request);
      const field = request.params.field;
      const opened = await openAttachmentUpload(ctx, service, number, field);
      if (!opened.ok) return refuseUpload(request, reply, field, opened);
      if (!request.isMultipart())
        return refuseUpload(request, reply, field, {
          ok: false,
          status: 400,
          refusal: { key: "applications.attachment.notMultipart" },
        });
      const part = await request.file({
        ...UPLOAD_BUFFERS,
        // One byte over the limit is enough to know a file is too large; busboy drops anything beyond.
        limits: { fileSize: deps.maxFileBytes + 1, files: 1, fields: 4, parts: 5 },
        throwFileSizeLimit: false,
      });
      const result = await addAttachment(
        ctx,
        deps,
        opened.target,
        part ? { filename: part.filename, stream: part.file } : undefined,
        request.locale,
      );
      if (!result.ok) return refuseUpload(request, reply, field, result);
      return redirectWithFlash(reply, paths.application(service.code, number), {
        kind: "success",
        key: "applications.attachment.added",
        params: { name: result.name },
      });
    },
  );

  app.post<AttachmentParams>(
    "/services/:code/demandes/:number/pieces-jointes/:id/supprimer",
    async (request, reply) => {
      const { ctx, service, number } = await applicationOf(request);
      const result = await removeAttachment(ctx, deps, service, number, readRouteId(request.params.id));
      const location = paths.application(service.code, number);
      if (!result.ok) return redirectWithFlash(reply, location, { kind: "error", ...result.refusal });
      return redirectWithFlash(
        reply,
        location,
        result.name === null
          ? { kind: "info", key: "applications.attachment.alreadyRemoved" }
          : { kind: "success", key: "applications.attachment.removed", params: { name: result.name } },
      );
    },
  );

  app.get<AttachmentParams>("/services/:code/demandes/:number/pieces-jointes/:id", async (request, reply) => {
    const { ctx, service, number } = await applicationOf(request);
    const file = await openAttachment(ctx, deps, service, number, readRouteId(request.params.id));
    return sendDownload(reply, { ...file, contentType: "application/pdf" });
  });

  app.get<{ Params: { number: string; id: string } }>(
    "/ministere/demandes-transmises/:number/pieces-jointes/:id",
    async (request, reply) => {
      const file = await openAttachmentAsMinistry(
        request.ctx(),
        deps,
        readRouteId(request.params.number),
        readRouteId(request.params.id),
      );
      return sendDownload(reply, { ...file, contentType: "application/pdf" });
    },
  );

  // --- « Transmettre », « Confirmer la transmission », and the confirmation

  async function showConfirmation(
    request: FastifyRequest<NumberParams>,
    reply: FastifyReply,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { ctx, service, number } = await applicationOf(request);
    const preview = await previewTransmission(ctx, service, number, request.locale);
    const { page: data } = preview;
    if (data.application.status !== "draft")
      return redirectWithFlash(reply, paths.application(service.code, number), {
        kind: "info",
        key: "applications.alreadyTransmitted",
      });
    // An incomplete draft goes back to its form, every missing piece named.
    if (Object.keys(preview.errors).length > 0)
      return showApplication(request, reply, { data, edit: { errors: preview.errors }, status: 400 });
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.transmit.confirmTitle", { number }),
      <TransmitConfirmView page={page} data={data} errors={errors} />,
      status,
    );
  }

  app.get<NumberParams>("/services/:code/demandes/:number/transmettre", (request, reply) =>
    showConfirmation(request, reply),
  );

  app.post<NumberParams>("/services/:code/demandes/:number/transmettre", async (request, reply) => {
    const { ctx, service, number } = await applicationOf(request);
    const { revision } = readFields(request.body, ["revision"]);
    const result = await transmitApplication(ctx, service, number, { revision, locale: request.locale });
    if (result.ok) return reply.redirect(paths.transmitted(service.code, number), 303);
    const stale = result.errors.revision?.key === "applications.staleRevision";
    if (stale) return showConfirmation(request, reply, result.errors, result.status);
    return showApplication(request, reply, { edit: { errors: result.errors }, status: result.status });
  });

  app.get<NumberParams>("/services/:code/demandes/:number/transmise", async (request, reply) => {
    const { ctx, service, number } = await applicationOf(request);
    const data = await applicationPage(ctx, service, number);
    if (data.application.status !== "transmitted")
      return reply.redirect(paths.application(service.code, number), 303);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.transmitted.title"),
      <TransmittedView page={page} data={data} />,
    );
  });

  // --- Versions

  app.post<NumberParams>("/services/:code/demandes/:number/nouvelle-version", async (request, reply) => {
    const { ctx, service, number } = await applicationOf(request);
    const created = await newVersionWithAttachments(ctx, deps, service, number);
    return redirectWithFlash(reply, paths.application(service.code, created), {
      kind: "success",
      key: "applications.version.created",
      params: { number: created, previous: number },
    });
  });

  app.get<NumberParams>("/services/:code/demandes/:number/versions", async (request, reply) => {
    const { ctx, service, number } = await applicationOf(request);
    const data = await versionsPage(ctx, service, number);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.versions.title", { number }),
      <VersionsView page={page} service={service} application={data.application} versions={data.versions} />,
    );
  });

  app.get<RevisionParams>("/services/:code/demandes/:number/versions/:revision", async (request, reply) => {
    const { ctx, service, number } = await applicationOf(request);
    const data = await versionPage(ctx, service, number, readRouteId(request.params.revision));
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.version.title", { number, revision: data.version.revision }),
      <VersionView
        page={page}
        service={service}
        application={data.application}
        form={data.form}
        version={data.version}
        attachments={data.attachments}
      />,
    );
  });
}
