// Routes of « Demander un accès »: the form in a service, « Mes demandes d'accès », « Demandes d'accès reçues » and a
// request's decision (approval with step-up, refusal with a reason). Validate, call one service function, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isAccessRight } from "../../policy/registry.rules.js";
import type { DenialDetails } from "../../web/errors.js";
import { type FieldErrors, readFields, readRouteId } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { getService } from "../services/services.service.js";
import { newSubmissionKey, readSubmissionKey } from "../submissions/submissions.service.js";
import { explainRefusal } from "./refusal.js";
import {
  approveRequest,
  askableService,
  fileRequest,
  listOwnRequests,
  listReceivedRequests,
  OWN_PATH,
  openReceivedRequest,
  RECEIVED_PATH,
  refuseRequest,
  requestOrganizations,
} from "./right-requests.service.js";
import {
  type AskValues,
  AskView,
  MissingView,
  OwnRequestsView,
  ReceivedView,
  ReviewView,
} from "./right-requests.views.js";

type CodeParams = { Params: { code: string } };
type RequestParams = { Params: { id: string } };

export async function rightRequestRoutes(app: FastifyInstance): Promise<void> {
  async function showAsk(
    request: FastifyRequest<CodeParams>,
    reply: FastifyReply,
    values: AskValues,
    submissionKey: string,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const ctx = request.ctx();
    const service = askableService(await getService(ctx, request.params.code));
    const organizations = await requestOrganizations(ctx);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("rightRequests.askTitle"),
      <AskView
        page={page}
        service={service}
        organizations={organizations}
        values={values}
        submissionKey={submissionKey}
        days={ctx.app.rightRequestDays}
        errors={errors}
      />,
      status,
    );
  }

  // The form, filled in from a refusal page or a service's page (organization, right, dossier in the address).
  app.get<CodeParams>("/services/:code/demander-un-acces", (request, reply) => {
    const { organisation, droit, dossier } = readFields(request.query, ["organisation", "droit", "dossier"]);
    const actor = request.ctx().actor;
    const own = actor.kind === "user" ? String(actor.organizationId) : "";
    return showAsk(
      request,
      reply,
      { organization: organisation || own, right: droit, dossier, message: "" },
      newSubmissionKey(),
    );
  });

  app.post<CodeParams>("/services/:code/demander-un-acces", async (request, reply) => {
    const key = readSubmissionKey(request.body);
    const fields = readFields(request.body, ["organisation", "droit", "dossier", "message"]);
    const ctx = request.ctx();
    const service = askableService(await getService(ctx, request.params.code));
    const result = await fileRequest(ctx, service, {
      organization: fields.organisation,
      right: fields.droit,
      dossier: fields.dossier,
      message: fields.message,
      submissionKey: key,
    });
    const values = {
      organization: fields.organisation,
      right: fields.droit,
      dossier: fields.dossier,
      message: fields.message,
    };
    if (!result.ok) return showAsk(request, reply, values, key, result.errors, result.status);
    return redirectWithFlash(reply, OWN_PATH, {
      kind: result.repeated ? "info" : "success",
      key: result.repeated ? "rightRequests.repeatedFiling" : "rightRequests.filed",
      params: {
        organization: result.organizationName,
        right: isAccessRight(result.right) ? request.t(`registry.right.${result.right}`) : "",
      },
    });
  });

  app.get(OWN_PATH, async (request, reply) => {
    const rows = await listOwnRequests(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("rightRequests.ownTitle"),
      <OwnRequestsView page={page} rows={rows} />,
    );
  });

  app.get(RECEIVED_PATH, async (request, reply) => {
    const rows = await listReceivedRequests(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("rightRequests.receivedTitle"),
      <ReceivedView page={page} rows={rows} />,
    );
  });

  async function showReview(
    request: FastifyRequest<RequestParams>,
    reply: FastifyReply,
    form: { key: string; reason: string; errors: FieldErrors } = {
      key: newSubmissionKey(),
      reason: "",
      errors: {},
    },
    status = 200,
  ) {
    const { request: row } = await openReceivedRequest(request.ctx(), readRouteId(request.params.id));
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("rightRequests.reviewTitle", { name: row.person_name }),
      <ReviewView
        page={page}
        request={row}
        submissionKey={form.key}
        reason={form.reason}
        errors={form.errors}
      />,
      status,
    );
  }

  app.get<RequestParams>(`${RECEIVED_PATH}/:id`, (request, reply) => showReview(request, reply));

  // « Approuver »: the grant, as the registry makes it, after step-up.
  app.post<RequestParams>(
    `${RECEIVED_PATH}/:id/approbation`,
    { config: { stepUp: "rightRequest.approve" } },
    async (request, reply) => {
      const key = readSubmissionKey(request.body);
      const result = await approveRequest(request.ctx(), readRouteId(request.params.id), key);
      if (!result.ok)
        return showReview(
          request,
          reply,
          { key: newSubmissionKey(), reason: "", errors: result.errors },
          result.status,
        );
      return redirectWithFlash(reply, RECEIVED_PATH, {
        kind: result.repeated ? "info" : "success",
        key: result.repeated ? "rightRequests.approvedRepeated" : "rightRequests.approved",
        params: { name: result.name },
      });
    },
  );

  app.post<RequestParams>(`${RECEIVED_PATH}/:id/refus`, async (request, reply) => {
    const { motif } = readFields(request.body, ["motif"]);
    const result = await refuseRequest(request.ctx(), readRouteId(request.params.id), motif);
    if (!result.ok)
      return showReview(
        request,
        reply,
        { key: newSubmissionKey(), reason: motif, errors: result.errors },
        result.status,
      );
    return redirectWithFlash(reply, RECEIVED_PATH, {
      kind: "success",
      key: "rightRequests.refused",
      params: { name: result.name },
    });
  });
}

/** The refusal page's « Ce qui vous manque », for the error handler (src/web/errors.tsx). */
export const rightRequestDenialDetails: DenialDetails = async (request, denial) => {
  const explanation = await explainRefusal(request.ctx(), denial);
  if (!explanation) return null;
  return (page) => <MissingView page={page} explanation={explanation} />;
};
