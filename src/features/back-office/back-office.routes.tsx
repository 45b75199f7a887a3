// Routes of the ministry's back office (« Administration des services en ligne »): validate, call one service
// function, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type FieldErrors, hasErrors, readFields, readRouteId } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { listTransmittedForMinistry, ministryApplicationPage } from "../applications/applications.service.js";
import { MinistryApplicationView, MinistryListView, paths } from "../applications/applications.views.js";
import {
  issueIdentificationCodeOnce,
  searchMunicipalitiesForCodes,
} from "../identification-codes/identification-codes.service.js";
import { GAPS_PATH } from "../manager-gaps/manager-gaps.service.js";
import { newSubmissionKey, readSubmissionKey } from "../submissions/submissions.service.js";
import {
  approveRequest,
  getRequest,
  listQueue,
  listServicesWithoutManager,
  nameDeputy,
  openBackOffice,
  rejectRequest,
  removeDeputyAsAdmin,
  SEARCH_MAX,
  searchManagers,
} from "./back-office.service.js";
import {
  BackOfficeHomeView,
  CodesView,
  LETTER_CSS,
  LETTER_CSS_PATH,
  LetterView,
  ManagersView,
  QueueView,
  type RequestForm,
  RequestView,
} from "./back-office.views.js";
import { GapsView } from "./gaps.views.js";

type IdParams = { Params: { id: string } };

export async function backOfficeRoutes(app: FastifyInstance): Promise<void> {
  app.get("/ministere", async (request, reply) => {
    const { ministryName } = openBackOffice(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("backOffice.title"),
      <BackOfficeHomeView page={page} ministryName={ministryName} />,
    );
  });

  app.get("/ministere/demandes", async (request, reply) => {
    const fields = readFields(request.query, ["statut", "service", "organisation"]);
    const queue = await listQueue(request.ctx(), {
      status: fields.statut,
      service: fields.service,
      organization: fields.organisation,
    });
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("backOffice.queue.title"),
      <QueueView page={page} queue={queue} />,
      hasErrors(queue.errors) ? 400 : 200,
    );
  });

  // « Demandes d'aide transmises »: the transmitted applications of the ministry's services, never a draft.
  app.get(paths.ministryList, async (request, reply) => {
    const rows = await listTransmittedForMinistry(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.ministry.title"),
      <MinistryListView page={page} rows={rows} />,
    );
  });

  app.get<{ Params: { number: string } }>(`${paths.ministryList}/:number`, async (request, reply) => {
    const data = await ministryApplicationPage(request.ctx(), readRouteId(request.params.number));
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("applications.page.title", { number: data.application.number, title: data.application.title }),
      <MinistryApplicationView
        page={page}
        service={data.service}
        application={data.application}
        form={data.form}
        attachments={data.attachments}
      />,
    );
  });

  async function showRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    form: RequestForm = { notice: null, errors: {}, reason: "" },
    status = 200,
  ) {
    const details = await getRequest(request.ctx(), id);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("backOffice.request.title", { id: details.request.id }),
      <RequestView page={page} details={details} form={form} />,
      status,
    );
  }

  app.get<IdParams>("/ministere/demandes/:id", (request, reply) =>
    showRequest(request, reply, readRouteId(request.params.id)),
  );

  app.post<IdParams>(
    "/ministere/demandes/:id/approbation",
    { config: { stepUp: "accessRequest.decide" } },
    async (request, reply) => {
      const id = readRouteId(request.params.id);
      const result = await approveRequest(request.ctx(), id);
      if (!result.ok) {
        return showRequest(
          request,
          reply,
          id,
          { notice: result.notice, errors: result.errors, reason: "" },
          result.status,
        );
      }
      return redirectWithFlash(reply, `/ministere/demandes/${id}`, {
        kind: "success",
        key: "backOffice.request.approved",
        params: { name: result.name, role: request.t(`backOffice.role.${result.role}`) },
      });
    },
  );

  app.post<IdParams>(
    "/ministere/demandes/:id/refus",
    { config: { stepUp: "accessRequest.decide" } },
    async (request, reply) => {
      const id = readRouteId(request.params.id);
      const { motif } = readFields(request.body, ["motif"]);
      const result = await rejectRequest(request.ctx(), id, motif);
      if (!result.ok) {
        return showRequest(
          request,
          reply,
          id,
          { notice: result.notice, errors: result.errors, reason: motif },
          result.status,
        );
      }
      return redirectWithFlash(reply, `/ministere/demandes/${id}`, {
        kind: "success",
        key: "backOffice.request.rejected",
      });
    },
  );

  app.get("/ministere/gestionnaires", async (request, reply) => {
    const fields = readFields(request.query, ["organisation", "organisationId", "service"]);
    const search = await searchManagers(request.ctx(), {
      organization: fields.organisation,
      organizationId: fields.organisationId,
      service: fields.service,
    });
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("backOffice.managers.title"),
      <ManagersView page={page} search={search} deputyCode="" />,
      hasErrors(search.errors) ? 400 : 200,
    );
  });

  /** The managers' page again, for the same organization and service, with a deputy form's error. */
  async function showManagersAgain(
    request: FastifyRequest,
    reply: FastifyReply,
    fields: { organisationId: string; service: string },
    result: { status: number; errors: FieldErrors },
    deputyCode: string,
  ) {
    const search = await searchManagers(request.ctx(), {
      organization: "",
      organizationId: fields.organisationId,
      service: fields.service,
    });
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("backOffice.managers.title"),
      <ManagersView
        page={page}
        search={{ ...search, errors: { ...search.errors, ...result.errors } }}
        deputyCode={deputyCode}
      />,
      result.status,
    );
  }

  app.post(
    "/ministere/gestionnaires/adjoints",
    { config: { stepUp: "deputy.name" } },
    async (request, reply) => {
      const fields = readFields(request.body, ["organisationId", "service", "utilisateur"]);
      const result = await nameDeputy(request.ctx(), {
        organizationId: fields.organisationId,
        serviceId: fields.service,
        userCode: fields.utilisateur,
      });
      if (result.ok) {
        const query = new URLSearchParams({
          organisationId: String(result.organizationId),
          service: String(result.serviceId),
        });
        return redirectWithFlash(reply, `/ministere/gestionnaires?${query.toString()}`, {
          kind: "success",
          key: "backOffice.managers.deputyNamed",
          params: { name: result.name },
        });
      }
      return showManagersAgain(request, reply, fields, result, fields.utilisateur);
    },
  );

  app.post<IdParams>(
    "/ministere/gestionnaires/adjoints/:id/retrait",
    { config: { stepUp: "deputy.remove" } },
    async (request, reply) => {
      const roleId = readRouteId(request.params.id);
      const fields = readFields(request.body, ["organisationId", "service"]);
      const result = await removeDeputyAsAdmin(request.ctx(), {
        organizationId: fields.organisationId,
        serviceId: fields.service,
        roleId,
      });
      const query = new URLSearchParams({ organisationId: fields.organisationId, service: fields.service });
      if (result.ok) {
        return redirectWithFlash(reply, `/ministere/gestionnaires?${query.toString()}`, {
          kind: "success",
          key: "backOffice.managers.deputyRemoved",
          params: { name: result.name },
        });
      }
      return showManagersAgain(request, reply, fields, result, "");
    },
  );

  // « Services sans gestionnaire »: scopes with current rights and no manager able to act, the days since.
  app.get(GAPS_PATH, async (request, reply) => {
    const { service } = readFields(request.query, ["service"]);
    const ctx = request.ctx();
    const list = await listServicesWithoutManager(ctx, { service });
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("backOffice.gaps.title"),
      <GapsView page={page} list={list} ministryName={openBackOffice(ctx).ministryName} />,
      Object.keys(list.errors).length > 0 ? 400 : 200,
    );
  });

  app.get("/ministere/codes-identification", async (request, reply) => {
    const { organisation } = readFields(request.query, ["organisation"]);
    const tooLong = [...organisation].length > SEARCH_MAX;
    const municipalities = await searchMunicipalitiesForCodes(request.ctx(), tooLong ? "" : organisation);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("backOffice.codes.title"),
      <CodesView
        page={page}
        text={organisation}
        municipalities={municipalities}
        submissionKey={newSubmissionKey()}
        error={tooLong ? { key: "field.tooLong", params: { max: SEARCH_MAX } } : undefined}
      />,
      tooLong ? 400 : 200,
    );
  });

  // The code exists in clear only in this response: not in a redirect, a flash, a log or the audit log.
  app.post<IdParams>(
    "/ministere/codes-identification/:id",
    { config: { stepUp: "identificationCode.issue" } },
    async (request, reply) => {
      const id = readRouteId(request.params.id);
      const key = readSubmissionKey(request.body);
      const ctx = request.ctx();
      const outcome = await issueIdentificationCodeOnce(ctx, id, key);
      if (!outcome.issued) {
        const query = new URLSearchParams({
          organisation: outcome.municipality.geo_code ?? outcome.municipality.name,
        });
        return redirectWithFlash(reply, `/ministere/codes-identification?${query.toString()}`, {
          kind: "info",
          key: "backOffice.codes.repeated",
        });
      }
      const page = pageOf(request, reply);
      return sendPage(
        reply,
        page,
        page.t("backOffice.letter.title", { municipality: outcome.municipality.name }),
        <LetterView
          page={page}
          letter={{
            code: outcome.code,
            issuedAt: ctx.now,
            municipality: outcome.municipality,
            issuer: outcome.issuer,
          }}
        />,
      );
    },
  );

  app.get(LETTER_CSS_PATH, (_request, reply) =>
    reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=3600").send(LETTER_CSS),
  );
}
