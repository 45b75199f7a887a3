// Routes of « Gestion des mandats »: validate, call one service function, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { readFields, readRouteId } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { getService } from "../services/services.service.js";
import {
  confirmMandate,
  endMandate,
  listMandates,
  type MandateInput,
  mandateDossiersPage,
  mandateServices,
  previewMandate,
} from "./applications.service.js";
import { paths } from "./applications.views.js";
import {
  BACK_TO_DOSSIERS,
  EMPTY_MANDATE_FORM,
  MandateConfirmView,
  MandateDossiersView,
  type MandateForm,
  MandatesView,
} from "./mandates.views.js";

type CodeParams = { Params: { code: string } };
type ListQuery = { Querystring: { texte?: unknown; mandataire?: unknown; page?: unknown } };

function textOf(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** A page number from the address; anything else is the first page. */
function pageNumberOf(value: unknown): number {
  const text = textOf(value);
  return /^\d{1,6}$/.test(text) ? Math.max(1, Number(text)) : 1;
}

/** The mandate forms' fields: `demande` (a number) or `service` and `dossier` (a declared dossier), and `agent`. */
function mandateInputOf(body: unknown): MandateInput {
  const { demande, service, dossier, agent } = readFields(body, ["demande", "service", "dossier", "agent"]);
  return { number: demande, service, dossier, agent };
}

export async function mandateRoutes(app: FastifyInstance): Promise<void> {
  async function showMandates(
    request: FastifyRequest,
    reply: FastifyReply,
    form: MandateForm = EMPTY_MANDATE_FORM,
    status = 200,
  ) {
    const { rows, services } = await listMandates(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.mandates.title"),
      <MandatesView page={page} rows={rows} services={services} form={form} />,
      status,
    );
  }

  async function showDossiers(
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    query: { text: string; agent: string; page: number },
    form: MandateForm = EMPTY_MANDATE_FORM,
    status = 200,
  ) {
    const ctx = request.ctx();
    const service = await getService(ctx, code);
    const list = await mandateDossiersPage(ctx, service, query);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.dossiers.title", { service: service.code }),
      <MandateDossiersView page={page} list={list} form={form} />,
      status,
    );
  }

  /** A refused mandate: its form again with the messages, on the list it was chosen from, or the number form. */
  async function showRefusal(
    request: FastifyRequest,
    reply: FastifyReply,
    input: MandateInput,
    refusal: { status: number; errors: MandateForm["errors"] },
  ) {
    const form = { ...input, errors: refusal.errors };
    const services = await mandateServices(request.ctx());
    // A service whose list the actor may not open (or no service at all): the form of « Gestion des mandats ».
    if (!services.some((service) => service.code === input.service))
      return showMandates(request, reply, form, refusal.status);
    return showDossiers(
      request,
      reply,
      input.service,
      { text: "", agent: "", page: 1 },
      form,
      refusal.status,
    );
  }

  app.get(paths.mandates, (request, reply) => showMandates(request, reply));

  app.get<CodeParams & ListQuery>("/services/:code/mandats", (request, reply) =>
    showDossiers(request, reply, request.params.code, {
      text: textOf(request.query.texte),
      agent: textOf(request.query.mandataire),
      page: pageNumberOf(request.query.page),
    }),
  );

  app.post(paths.mandatePreview, async (request, reply) => {
    const input = mandateInputOf(request.body);
    const preview = await previewMandate(request.ctx(), input);
    if (!preview.ok) return showRefusal(request, reply, input, preview);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.mandate.confirmTitle"),
      <MandateConfirmView
        page={page}
        preview={preview}
        agentCode={input.agent.toUpperCase()}
        fromList={input.service !== ""}
      />,
    );
  });

  app.post(paths.mandates, { config: { stepUp: "mandate.assign" } }, async (request, reply) => {
    const input = mandateInputOf(request.body);
    const result = await confirmMandate(request.ctx(), input);
    if (!result.ok) return showRefusal(request, reply, input, result);
    const { dossier } = result;
    return redirectWithFlash(
      reply,
      input.service === "" ? paths.mandates : paths.serviceMandates(input.service),
      {
        kind: "success",
        key:
          dossier.kind === "declared"
            ? "applications.mandate.assignedDossier"
            : "applications.mandate.assigned",
        params: { name: result.name, number: dossier.reference },
      },
    );
  });

  app.post<CodeParams & { Params: { id: string } }>(
    "/services/:code/mandats/:id/fin",
    { config: { stepUp: "mandate.end" } },
    async (request, reply) => {
      const ctx = request.ctx();
      const service = await getService(ctx, request.params.code);
      const result = await endMandate(ctx, service, readRouteId(request.params.id));
      const { retour } = readFields(request.body, ["retour"]);
      return redirectWithFlash(
        reply,
        retour === BACK_TO_DOSSIERS ? paths.serviceMandates(service.code) : paths.mandates,
        result.ok
          ? {
              kind: "success",
              key:
                result.kind === "declared"
                  ? "applications.mandate.endedDossier"
                  : "applications.mandate.ended",
              params: { number: result.name },
            }
          : { kind: "info", key: "applications.mandateAlreadyEnded" },
      );
    },
  );
}
