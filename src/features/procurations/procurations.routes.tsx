// Routes of « Gestion des procurations » and « Gestion des droits d'accès »: validate, call one service function, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../errors.js";
import { formatDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { readFields, readRouteId } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { backPathOf } from "../../web/return-path.js";
import { newSubmissionKey, readSubmissionKey, SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import {
  assignProcuration,
  authorizeCreateProcuration,
  changeProcuration,
  createProcuration,
  endProcuration,
  getProcuration,
  listAssignableUsers,
  listProcurations,
  listScopeChoices,
  previewAssignees,
  previewScope,
  removeHolder,
} from "./procurations.service.js";
import { EMPTY_SCOPE_FORM, readScopeForm, readUserIds, type ScopeForm } from "./procurations.validation.js";
import {
  AccessRightsUserView,
  AddChoiceView,
  AssignStartView,
  AssignSummaryView,
  AssignUsersView,
  ProcurationDetailView,
  ProcurationListView,
  type ScopeFlow,
  ScopeFormView,
  type ScopeItem,
  ScopeSummaryView,
} from "./procurations.views.js";

type IdParams = { Params: { id: string } };

function scopeOfRows(scope: Awaited<ReturnType<typeof getProcuration>>["scope"]): ScopeItem[] {
  return scope.map((s) => ({
    ministry_id: s.ministry_id,
    ministry_name: s.ministry_name,
    ministry_name_en: s.ministry_name_en,
    restricted: s.restricted,
    services: s.services,
  }));
}

function formOfProcuration(details: Awaited<ReturnType<typeof getProcuration>>): ScopeForm {
  return {
    name: details.procuration.name,
    endDate: details.procuration.end_date,
    ministryIds: details.scope.map((s) => s.ministry_id),
    restricted: new Map(details.scope.map((s) => [s.ministry_id, s.restricted])),
    serviceIds: new Map(details.scope.map((s) => [s.ministry_id, s.services.map((x) => x.service_id)])),
  };
}

export async function procurationRoutes(app: FastifyInstance): Promise<void> {
  /** The form, its summary (or the form again with errors, or on « Modifier »), for any of the three scope flows. */
  async function showScopeForm(
    request: FastifyRequest,
    reply: FastifyReply,
    flow: ScopeFlow,
    form: ScopeForm,
    errors: FieldErrors,
    status = 200,
  ) {
    const ministries = await listScopeChoices(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t(flow.title),
      <ScopeFormView page={page} flow={flow} form={form} ministries={ministries} errors={errors} />,
      status,
    );
  }

  async function showSummary(request: FastifyRequest, reply: FastifyReply, flow: ScopeFlow) {
    const form = readScopeForm(request.body);
    const { modifier } = readFields(request.query, ["modifier"]);
    if (modifier === "1") return showScopeForm(request, reply, flow, form, {});
    const { validation, ministries } = await previewScope(request.ctx(), form, flow.withName);
    if (!validation.ok) return showScopeForm(request, reply, flow, form, validation.errors, 400);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("procurations.summaryTitle"),
      <ScopeSummaryView page={page} flow={flow} form={form} ministries={ministries} />,
    );
  }

  app.get("/procurations", async (request, reply) => {
    const rows = await listProcurations(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("procurations.title"),
      <ProcurationListView page={page} rows={rows} />,
    );
  });

  app.get("/procurations/ajouter", async (request, reply) => {
    authorizeCreateProcuration(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(reply, page, page.t("procurations.addTitle"), <AddChoiceView page={page} />);
  });

  const newFlow = (key: string): ScopeFlow => ({
    title: "procurations.newTitle",
    summaryAction: "/procurations/nouvelle/resume",
    submitAction: "/procurations",
    withName: true,
    hidden: { [SUBMISSION_FIELD]: key },
  });

  app.get("/procurations/nouvelle", async (request, reply) => {
    authorizeCreateProcuration(request.ctx());
    return showScopeForm(request, reply, newFlow(newSubmissionKey()), EMPTY_SCOPE_FORM, {});
  });

  app.post("/procurations/nouvelle/resume", (request, reply) =>
    showSummary(request, reply, newFlow(readSubmissionKey(request.body))),
  );

  app.post("/procurations", { config: { stepUp: "procuration.create" } }, async (request, reply) => {
    const key = readSubmissionKey(request.body);
    const form = readScopeForm(request.body);
    const result = await createProcuration(request.ctx(), { form, holderIds: [], submissionKey: key });
    if (!result.ok) return showScopeForm(request, reply, newFlow(key), form, result.errors, 400);
    return redirectWithFlash(reply, `/procurations/${result.procurationId}`, {
      kind: result.repeated ? "info" : "success",
      key: result.repeated ? "procurations.repeated" : "procurations.created",
    });
  });

  async function showDetail(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    endForm: { errors: FieldErrors; endDate: string } = { errors: {}, endDate: "" },
    status = 200,
  ) {
    const details = await getProcuration(request.ctx(), id);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("procurations.detailTitle", { name: details.procuration.name }),
      <ProcurationDetailView
        page={page}
        procuration={details.procuration}
        scope={scopeOfRows(details.scope)}
        holders={details.holders}
        status={details.status}
        errors={endForm.errors}
        endDate={endForm.endDate}
      />,
      status,
    );
  }

  app.get<IdParams>("/procurations/:id", (request, reply) =>
    showDetail(request, reply, readRouteId(request.params.id)),
  );

  const changeFlow = (id: number, key: string): ScopeFlow => ({
    title: "procurations.changeTitle",
    summaryAction: `/procurations/${id}/modifier/resume`,
    submitAction: `/procurations/${id}/modifier`,
    withName: true,
    hidden: { [SUBMISSION_FIELD]: key },
  });

  app.get<IdParams>("/procurations/:id/modifier", async (request, reply) => {
    const details = await getProcuration(request.ctx(), readRouteId(request.params.id), "procuration.change");
    if (details.status === "ended" || details.status === "expired")
      throw new AppError("procuration_inactive");
    return showScopeForm(
      request,
      reply,
      changeFlow(details.procuration.id, newSubmissionKey()),
      formOfProcuration(details),
      {},
    );
  });

  app.post<IdParams>("/procurations/:id/modifier/resume", async (request, reply) => {
    const details = await getProcuration(request.ctx(), readRouteId(request.params.id), "procuration.change");
    return showSummary(request, reply, changeFlow(details.procuration.id, readSubmissionKey(request.body)));
  });

  app.post<IdParams>(
    "/procurations/:id/modifier",
    { config: { stepUp: "procuration.change" } },
    async (request, reply) => {
      const id = readRouteId(request.params.id);
      const key = readSubmissionKey(request.body);
      const form = readScopeForm(request.body);
      const result = await changeProcuration(request.ctx(), id, form, key);
      if (!result.ok) return showScopeForm(request, reply, changeFlow(id, key), form, result.errors, 400);
      return redirectWithFlash(reply, `/procurations/${id}`, {
        kind: result.repeated ? "info" : "success",
        key: result.repeated ? "procurations.repeated" : "procurations.changed",
      });
    },
  );

  app.post<IdParams>(
    "/procurations/:id/fin",
    { config: { stepUp: "procuration.change" } },
    async (request, reply) => {
      const id = readRouteId(request.params.id);
      const fields = readFields(request.body, ["dateFin", "immediatement"]);
      const result = await endProcuration(request.ctx(), id, {
        endDate: fields.dateFin,
        immediately: fields.immediatement === "1",
      });
      if (!result.ok)
        return showDetail(request, reply, id, { errors: result.errors, endDate: fields.dateFin }, 400);
      // Ended before, or already ending on that day: said so, as information; the date in words, as on the page.
      return redirectWithFlash(reply, `/procurations/${id}`, {
        kind: result.changed ? "success" : "info",
        key: result.alreadyEnded ? "procurations.alreadyEnded" : "procurations.ended",
        params: { date: formatDay(result.endDate, request.locale) },
      });
    },
  );

  app.post<{ Params: { id: string; userId: string } }>(
    "/procurations/:id/titulaires/:userId/retrait",
    { config: { stepUp: "procuration.change" } },
    async (request, reply) => {
      const id = readRouteId(request.params.id);
      const removed = await removeHolder(request.ctx(), id, readRouteId(request.params.userId));
      return redirectWithFlash(reply, `/procurations/${id}`, {
        kind: removed ? "success" : "info",
        key: removed ? "procurations.holderRemoved" : "procurations.holderAlreadyRemoved",
      });
    },
  );

  app.get<IdParams>("/procurations/:id/assigner", async (request, reply) => {
    const details = await getProcuration(request.ctx(), readRouteId(request.params.id), "procuration.assign");
    if (details.status === "ended" || details.status === "expired")
      throw new AppError("procuration_inactive");
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("procurations.assignTitle", { name: details.procuration.name }),
      <AssignStartView page={page} procuration={details.procuration} scope={scopeOfRows(details.scope)} />,
    );
  });

  async function showUsers(
    request: FastifyRequest<IdParams>,
    reply: FastifyReply,
    chosen: number[],
    errors: FieldErrors,
    key: string,
    status = 200,
  ) {
    const details = await getProcuration(request.ctx(), readRouteId(request.params.id), "procuration.assign");
    const users = await listAssignableUsers(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("procurations.assignTitle", { name: details.procuration.name }),
      <AssignUsersView
        page={page}
        procuration={details.procuration}
        users={users}
        chosen={chosen}
        errors={errors}
        submissionKey={key}
      />,
      status,
    );
  }

  app.get<IdParams>("/procurations/:id/assigner/utilisateurs", (request, reply) =>
    showUsers(request, reply, [], {}, newSubmissionKey()),
  );

  app.post<IdParams>("/procurations/:id/assigner/resume", async (request, reply) => {
    const key = readSubmissionKey(request.body);
    const userIds = readUserIds(request.body);
    const { modifier } = readFields(request.query, ["modifier"]);
    if (modifier === "1") return showUsers(request, reply, userIds, {}, key);
    const details = await getProcuration(request.ctx(), readRouteId(request.params.id), "procuration.assign");
    const checked = await previewAssignees(request.ctx(), userIds);
    if (!checked.ok) return showUsers(request, reply, userIds, checked.errors, key, 400);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("procurations.summaryTitle"),
      <AssignSummaryView
        page={page}
        procuration={details.procuration}
        scope={scopeOfRows(details.scope)}
        users={checked.users}
        submissionKey={key}
      />,
    );
  });

  app.post<IdParams>(
    "/procurations/:id/assigner",
    { config: { stepUp: "procuration.change" } },
    async (request, reply) => {
      const id = readRouteId(request.params.id);
      const key = readSubmissionKey(request.body);
      const userIds = readUserIds(request.body);
      const result = await assignProcuration(request.ctx(), id, userIds, key);
      if (!result.ok) return showUsers(request, reply, userIds, result.errors, key, 400);
      return redirectWithFlash(reply, `/procurations/${id}`, {
        kind: result.repeated ? "info" : "success",
        key: result.repeated ? "procurations.repeated" : "procurations.assigned",
        params: { count: result.added },
      });
    },
  );

  // « Gestion des droits d'accès »: one user, then the procuration made and assigned to them in one step.
  app.get("/droits-acces", async (request, reply) => {
    const users = await listAssignableUsers(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("accessRights.title"),
      <AccessRightsUserView page={page} users={users} error={null} />,
    );
  });

  /** The access-rights flow for a user; « Annuler » leads back where the person came from (back). */
  async function rightsFlow(request: FastifyRequest, code: string, key: string, back: string) {
    const users = await listAssignableUsers(request.ctx());
    const user = users.find((u) => u.user_code === code.trim().toUpperCase());
    const flow: ScopeFlow | null = user
      ? {
          title: "accessRights.formTitle",
          summaryAction: "/droits-acces/resume",
          submitAction: "/droits-acces",
          withName: false,
          hidden: { utilisateur: user.user_code, [SUBMISSION_FIELD]: key, retour: back },
          cancel: back,
          lead: request.t("accessRights.for", {
            name: `${user.first_name} ${user.last_name}`,
            code: user.user_code,
          }),
        }
      : null;
    return { users, user, flow };
  }

  async function unknownUser(
    request: FastifyRequest,
    reply: FastifyReply,
    users: Awaited<ReturnType<typeof listAssignableUsers>>,
    chosen: string,
  ) {
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("accessRights.title"),
      <AccessRightsUserView
        page={page}
        users={users}
        error={chosen === "" ? "accessRights.userRequired" : "procurations.users.invalid"}
      />,
      400,
    );
  }

  app.get("/droits-acces/procuration", async (request, reply) => {
    const { utilisateur, retour } = readFields(request.query, ["utilisateur", "retour"]);
    const back = backPathOf(request, retour, "/procurations");
    const { users, flow } = await rightsFlow(request, utilisateur, newSubmissionKey(), back);
    if (!flow) return unknownUser(request, reply, users, utilisateur);
    return showScopeForm(request, reply, flow, EMPTY_SCOPE_FORM, {});
  });

  app.post("/droits-acces/resume", async (request, reply) => {
    const { utilisateur, retour } = readFields(request.body, ["utilisateur", "retour"]);
    const back = backPathOf(request, retour, "/procurations");
    const { users, flow } = await rightsFlow(request, utilisateur, readSubmissionKey(request.body), back);
    if (!flow) return unknownUser(request, reply, users, utilisateur);
    return showSummary(request, reply, flow);
  });

  app.post("/droits-acces", { config: { stepUp: "procuration.change" } }, async (request, reply) => {
    const { utilisateur, retour } = readFields(request.body, ["utilisateur", "retour"]);
    const key = readSubmissionKey(request.body);
    const back = backPathOf(request, retour, "/procurations");
    const { users, user, flow } = await rightsFlow(request, utilisateur, key, back);
    if (!user || !flow) return unknownUser(request, reply, users, utilisateur);
    const form = readScopeForm(request.body);
    const result = await createProcuration(request.ctx(), {
      form,
      holderIds: [user.id],
      submissionKey: key,
      defaultName: request.t("accessRights.defaultName", { name: `${user.first_name} ${user.last_name}` }),
    });
    if (!result.ok) return showScopeForm(request, reply, flow, form, result.errors, 400);
    return redirectWithFlash(reply, `/procurations/${result.procurationId}`, {
      kind: result.repeated ? "info" : "success",
      key: result.repeated ? "procurations.repeated" : "accessRights.created",
      params: { name: `${user.first_name} ${user.last_name}` },
    });
  });
}
