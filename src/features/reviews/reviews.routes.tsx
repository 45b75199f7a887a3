// Routes of « Revue des accès »: the manager's page of (O,S), the services officer's page, one campaign and the
// history's CSV, a line's decision (a removal asks for the second factor again), and the ministry's completion and
// launch. Validate, call one service function, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { montrealDay } from "../../util/days.js";
import { sendCsv } from "../../web/downloads.js";
import { type FieldErrors, hasErrors, readFields, readRouteId } from "../../web/forms.js";
import type { MessageKey } from "../../web/messages.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import type { ServiceTarget } from "../registry/registry.service.js";
import { organizationOfUrl } from "../registry/service-space.js";
import { getService } from "../services/services.service.js";
import {
  COMPLETION_PATH,
  decideReviewLine,
  HISTORY_PATH,
  historyCsv,
  LINE_PATH,
  launchCampaign,
  MINISTRY_LINES_PATH,
  managerReview,
  ministryReviewLines,
  organizationCampaign,
  organizationReviews,
  type ReviewPage,
  reviewCompletion,
  reviewPagePath,
} from "./reviews.service.js";
import {
  CampaignPageView,
  CompletionView,
  ManagerReviewView,
  MinistryLinesView,
  OrganizationReviewsView,
} from "./reviews.views.js";

type OrgParams = { Params: { code: string; org: string } };
type LineParams = { Params: { line: string } };
type CampaignParams = { Params: { campaign: string } };

async function showManager(
  request: FastifyRequest,
  reply: FastifyReply,
  at: { code: string; org: number },
  error: MessageKey | null = null,
  status = 200,
) {
  const ctx = request.ctx();
  const service = await getService(ctx, at.code);
  const organization = await organizationOfUrl(ctx, at.org);
  const target: ServiceTarget = { service, organizationId: organization.id };
  const campaign = await managerReview(ctx, target);
  const page = pageOf(request, reply);
  return sendPage(
    reply,
    page,
    page.t("reviews.title"),
    <ManagerReviewView
      page={page}
      service={service}
      organization={organization}
      campaign={campaign}
      error={error}
    />,
    status,
  );
}

async function showOrganization(
  request: FastifyRequest,
  reply: FastifyReply,
  error: MessageKey | null = null,
  status = 200,
) {
  const { lines, history } = await organizationReviews(request.ctx());
  const page = pageOf(request, reply);
  return sendPage(
    reply,
    page,
    page.t("reviews.title"),
    <OrganizationReviewsView page={page} lines={lines} history={history} error={error} />,
    status,
  );
}

/** A refusal shown on the page the decision came from, with its message and status; nothing was written. */
function showRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  back: ReviewPage,
  key: MessageKey,
  status: number,
) {
  if (back.kind === "manager")
    return showManager(request, reply, { code: back.serviceCode, org: back.organizationId }, key, status);
  return back.kind === "officer"
    ? showOrganization(request, reply, key, status)
    : showMinistryLines(request, reply, key, status);
}

async function showMinistryLines(
  request: FastifyRequest,
  reply: FastifyReply,
  error: MessageKey | null = null,
  status = 200,
) {
  const lines = await ministryReviewLines(request.ctx());
  const page = pageOf(request, reply);
  return sendPage(
    reply,
    page,
    page.t("reviews.ministryLines"),
    <MinistryLinesView page={page} lines={lines} error={error} />,
    status,
  );
}

async function showCompletion(
  request: FastifyRequest,
  reply: FastifyReply,
  query: { service: string },
  launch: { service: string; errors: FieldErrors } = { service: "", errors: {} },
) {
  const completion = await reviewCompletion(request.ctx(), query);
  const page = pageOf(request, reply);
  const failed = hasErrors(completion.errors) || hasErrors(launch.errors);
  return sendPage(
    reply,
    page,
    page.t("reviews.completionTitle"),
    <CompletionView page={page} completion={completion} launch={launch} />,
    failed ? 400 : 200,
  );
}

export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  app.get<OrgParams>("/services/:code/organisations/:org/revue", (request, reply) =>
    showManager(request, reply, { code: request.params.code, org: readRouteId(request.params.org) }),
  );

  app.get(HISTORY_PATH, (request, reply) => showOrganization(request, reply));

  app.get(`${HISTORY_PATH}.csv`, async (request, reply) => {
    const ctx = request.ctx();
    const body = await historyCsv(ctx, request.t, request.locale);
    return sendCsv(reply, `revues-des-acces-${montrealDay(ctx.now)}.csv`, body);
  });

  app.get<CampaignParams>(`${HISTORY_PATH}/:campaign`, async (request, reply) => {
    const campaign = await organizationCampaign(request.ctx(), readRouteId(request.params.campaign));
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("reviews.title"),
      <CampaignPageView page={page} campaign={campaign} />,
    );
  });

  app.post<LineParams>(`${LINE_PATH}/:line/confirmer`, async (request, reply) => {
    const result = await decideReviewLine(request.ctx(), readRouteId(request.params.line), "confirmed");
    if (!result.ok) return showRefusal(request, reply, result.back, result.key, result.status);
    return redirectWithFlash(reply, reviewPagePath(result.back), {
      kind: "success",
      key: "reviews.confirmed",
      params: { name: result.name },
    });
  });

  // A removal ends a right, a deputy, a mandate or a procuration: the second factor again, as in the registry.
  app.post<LineParams>(
    `${LINE_PATH}/:line/retirer`,
    { config: { stepUp: "review.remove" } },
    async (request, reply) => {
      const result = await decideReviewLine(request.ctx(), readRouteId(request.params.line), "removed");
      if (!result.ok) return showRefusal(request, reply, result.back, result.key, result.status);
      return redirectWithFlash(reply, reviewPagePath(result.back), {
        kind: "success",
        key: "reviews.removed",
        params: { name: result.name },
      });
    },
  );

  app.get(MINISTRY_LINES_PATH, (request, reply) => showMinistryLines(request, reply));

  app.get(COMPLETION_PATH, (request, reply) =>
    showCompletion(request, reply, readFields(request.query, ["service"])),
  );

  app.post(COMPLETION_PATH, async (request, reply) => {
    // The launch form's field is « lancement », apart from the filter's « service » on the same page.
    const { lancement } = readFields(request.body, ["lancement"]);
    const result = await launchCampaign(request.ctx(), { service: lancement });
    if (!result.ok)
      return showCompletion(
        request,
        reply,
        { service: "" },
        { service: lancement, errors: { lancement: result.errors.service } },
      );
    return redirectWithFlash(reply, `${COMPLETION_PATH}?service=${result.serviceId}`, {
      kind: result.opened === 0 ? "info" : "success",
      key: result.opened === 0 && result.skipped === 0 ? "reviews.launchNone" : "reviews.launched",
      params: { count: result.opened, skipped: result.skipped },
    });
  });
}
