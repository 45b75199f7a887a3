// Routes of the services officer's user management: validate, call one service function, render.
import type { FastifyInstance } from "fastify";
import { AppError } from "../../errors.js";
import { can } from "../../policy/policy.js";
import { readFields } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { requireUser } from "../auth/auth.service.js";
import { resetUserFactors } from "../factors/factors.service.js";
import { isSubmissionKey, newSubmissionKey, SUBMISSION_FIELD } from "../submissions/submissions.service.js";
import {
  authorizeCreateUser,
  createUser,
  findUserForOfficer,
  listUsers,
  resetPassword,
  setUserEnabled,
  updateUser,
} from "./accounts.service.js";
import { PROFILE_FIELDS, type ProfileInput } from "./accounts.validation.js";
import { CreateUserView, EditUserView, UserListView } from "./accounts.views.js";

const EMPTY: ProfileInput = {
  civility: "",
  firstName: "",
  lastName: "",
  jobTitle: "",
  phone: "",
  phoneExtension: "",
  email: "",
};

type CodeParams = { Params: { code: string } };

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  app.get("/utilisateurs", async (request, reply) => {
    const users = await listUsers(request.ctx());
    const actor = requireUser(request.actor);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("users.title", { organization: actor.organizationName }),
      <UserListView page={page} users={users} organization={actor.organizationName} />,
    );
  });

  app.get("/utilisateurs/nouveau", async (request, reply) => {
    authorizeCreateUser(request.ctx());
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("users.createTitle"),
      <CreateUserView page={page} values={EMPTY} errors={{}} submissionKey={newSubmissionKey()} />,
    );
  });

  app.post("/utilisateurs", { config: { stepUp: "account.create" } }, async (request, reply) => {
    const values = readFields(request.body, PROFILE_FIELDS);
    const { [SUBMISSION_FIELD]: key } = readFields(request.body, [SUBMISSION_FIELD]);
    if (!isSubmissionKey(key)) throw new AppError("bad_request");
    const result = await createUser(request.ctx(), values, key);
    if (result.ok) {
      return redirectWithFlash(reply, `/utilisateurs/${result.userCode}`, {
        kind: "success",
        key: result.repeated ? "users.repeated" : "users.created",
        params: { code: result.userCode, email: result.email },
      });
    }
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("users.createTitle"),
      <CreateUserView page={page} values={values} errors={result.errors} submissionKey={key} />,
      400,
    );
  });

  const showUser = async (
    request: import("fastify").FastifyRequest<CodeParams>,
    reply: import("fastify").FastifyReply,
    values: ProfileInput | null,
    errors: Parameters<typeof EditUserView>[0]["errors"],
  ) => {
    const user = await findUserForOfficer(request.ctx(), request.params.code);
    const page = pageOf(request, reply);
    const current: ProfileInput = values ?? {
      civility: user.civility ?? "",
      firstName: user.first_name,
      lastName: user.last_name,
      jobTitle: user.job_title ?? "",
      phone: user.phone ?? "",
      phoneExtension: user.phone_extension ?? "",
      email: user.email,
    };
    const canDisable = can(request.actor, "account.disable", {
      organizationId: user.organization_id,
      userId: user.id,
    }).allowed;
    return sendPage(
      reply,
      page,
      page.t("users.editTitle", { name: `${user.first_name} ${user.last_name}`, code: user.user_code }),
      <EditUserView page={page} user={user} values={current} errors={errors} canDisable={canDisable} />,
      values ? 400 : 200,
    );
  };

  app.get<CodeParams>("/utilisateurs/:code", (request, reply) => showUser(request, reply, null, {}));

  app.post<CodeParams>("/utilisateurs/:code", async (request, reply) => {
    const values = readFields(request.body, PROFILE_FIELDS);
    const result = await updateUser(request.ctx(), request.params.code, values);
    if (!result.ok) return showUser(request, reply, values, result.errors);
    return redirectWithFlash(reply, `/utilisateurs/${request.params.code.toUpperCase()}`, {
      kind: "success",
      key: "users.updated",
    });
  });

  for (const [path, enabled] of [
    ["desactivation", false],
    ["reactivation", true],
  ] as const) {
    app.post<CodeParams>(`/utilisateurs/:code/${path}`, async (request, reply) => {
      const result = await setUserEnabled(request.ctx(), request.params.code, enabled);
      const key = enabled
        ? result.changed
          ? "users.enabled"
          : "users.alreadyEnabled"
        : result.changed
          ? "users.disabled"
          : "users.alreadyDisabled";
      return redirectWithFlash(reply, `/utilisateurs/${result.userCode}`, {
        kind: result.changed ? "success" : "info",
        key,
        params: { code: result.userCode },
      });
    });
  }

  app.post<CodeParams>(
    "/utilisateurs/:code/facteurs/reinitialisation",
    { config: { stepUp: "account.resetFactors" } },
    async (request, reply) => {
      const { userCode, email } = await resetUserFactors(request.ctx(), request.params.code);
      return redirectWithFlash(reply, `/utilisateurs/${userCode}`, {
        kind: "success",
        key: "users.factorsReset",
        params: { code: userCode, email },
      });
    },
  );

  app.post<CodeParams>(
    "/utilisateurs/:code/reinitialisation",
    { config: { stepUp: "account.resetPassword" } },
    async (request, reply) => {
      const { email } = await resetPassword(request.ctx(), request.params.code);
      return redirectWithFlash(reply, `/utilisateurs/${request.params.code.toUpperCase()}`, {
        kind: "success",
        key: "users.resetSent",
        params: { email },
      });
    },
  );
}
