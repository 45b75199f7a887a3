// Routes of « Gestion des mandats »: validate, call one service function, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { readFields, readRouteId } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { getService } from "../services/services.service.js";
import { assignMandateByNumber, endMandate, listMandates, previewMandate } from "./applications.service.js";
import { paths } from "./applications.views.js";
import { MandateConfirmView, type MandateForm, MandatesView } from "./mandates.views.js";

const EMPTY_FORM: MandateForm = { number: "", agent: "", errors: {} };

export async function mandateRoutes(app: FastifyInstance): Promise<void> {
  async function showMandates(request: FastifyRequest, reply: FastifyReply, form = EMPTY_FORM, status = 200) {
    const rows = await listMandates(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.mandates.title"),
      <MandatesView page={page} rows={rows} form={form} />,
      status,
    );
  }

  app.get(paths.mandates, (request, reply) => showMandates(request, reply));

  app.post(paths.mandatePreview, async (request, reply) => {
    const { demande, agent } = readFields(request.body, ["demande", "agent"]);
    const preview = await previewMandate(request.ctx(), { number: demande, agent });
    if (!preview.ok)
      return showMandates(request, reply, { number: demande, agent, errors: preview.errors }, preview.status);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.mandate.confirmTitle"),
      <MandateConfirmView page={page} preview={preview} agentCode={agent.toUpperCase()} />,
    );
  });

  app.post(paths.mandates, async (request, reply) => {
    const { demande, agent } = readFields(request.body, ["demande", "agent"]);
    const result = await assignMandateByNumber(request.ctx(), { number: demande, agent });
    if (!result.ok)
      return showMandates(request, reply, { number: demande, agent, errors: result.errors }, result.status);
    return redirectWithFlash(reply, paths.mandates, {
      kind: "success",
      key: "applications.mandate.assigned",
      params: { name: result.name, number: result.number },
    });
  });

  app.post<{ Params: { code: string; id: string } }>(
    "/services/:code/mandats/:id/fin",
    async (request, reply) => {
      const ctx = request.ctx();
      const service = await getService(ctx, request.params.code);
      const result = await endMandate(ctx, service, readRouteId(request.params.id));
      return redirectWithFlash(
        reply,
        paths.mandates,
        result.ok
          ? { kind: "success", key: "applications.mandate.ended", params: { number: result.name } }
          : { kind: "info", key: "applications.mandateAlreadyEnded" },
      );
    },
  );
}
