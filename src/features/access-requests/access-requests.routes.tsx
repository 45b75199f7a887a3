// Routes of the access request: the service's instructions, the three designation forms and their replacements,
// each with its « Chercher » steps; validate, call one service function, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../errors.js";
import { readFields } from "../../web/forms.js";
import { pageOf, redirectWithFlash, sendPage } from "../../web/page.js";
import { getService } from "../services/services.service.js";
import { newSubmissionKey, readSubmissionKey } from "../submissions/submissions.service.js";
import {
  type Flow,
  fileAccessRequest,
  lookUpDesignated,
  lookUpOrganization,
  type Organization,
  openRequestForm,
  type RequestState,
  requestEntry,
} from "./access-requests.service.js";
import {
  emptyInput,
  hasBodyFields,
  identifierField,
  isRequestForm,
  type RequestInput,
  readRequestInput,
} from "./access-requests.validation.js";
import { EntryView, formTitle, RequestFormView, SentView } from "./access-requests.views.js";

type CodeParams = { Params: { code: string } };
type FormParams = { Params: { code: string; form: string } };

function flowOf(form: string, replacement: boolean): Flow {
  if (!isRequestForm(form)) throw new AppError("not_found");
  return { form, replacement };
}

function sentPath(code: string): string {
  return `/services/${encodeURIComponent(code)}/demande-acces/envoyee`;
}

/** A body's details start from what the ministry knows of it; the form then sends what the person kept or changed. */
function prefilled(values: RequestInput, organization: Organization | null): RequestInput {
  if (organization?.kind !== "body") return values;
  return {
    ...values,
    body: {
      category: organization.body_category ?? "",
      name: organization.name,
      civicNumber: organization.civic_number ?? "",
      street: organization.street ?? "",
      city: organization.city ?? "",
      postalCode: organization.postal_code ?? "",
      region: organization.region ?? "",
      provincialRiding: organization.provincial_riding ?? "",
      federalRiding: organization.federal_riding ?? "",
    },
  };
}

export async function accessRequestRoutes(app: FastifyInstance): Promise<void> {
  function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    flow: Flow,
    state: RequestState,
    values: RequestInput,
    key: string,
    status = 200,
  ) {
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t(formTitle(flow)),
      <RequestFormView page={page} flow={flow} state={state} values={values} submissionKey={key} />,
      status,
    );
  }

  app.get<CodeParams>("/services/:code/demande-acces", async (request, reply) => {
    const entry = await requestEntry(request.ctx(), request.params.code);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("accessRequests.title", { service: entry.service.code }),
      <EntryView page={page} entry={entry} />,
    );
  });

  app.get<CodeParams>("/services/:code/demande-acces/envoyee", async (request, reply) => {
    const service = await getService(request.ctx(), request.params.code);
    const page = pageOf(request, reply);
    return sendPage(
      reply,
      page,
      page.t("accessRequests.sentTitle"),
      <SentView page={page} code={service.code} />,
    );
  });

  for (const [segment, replacement] of [
    ["demande-acces", false],
    ["demande-remplacement", true],
  ] as const) {
    // Step 1 is a GET form: the organization's geoCode or NEQ in the address, its coordinates shown read-only.
    app.get<FormParams>(`/services/:code/${segment}/:form`, async (request, reply) => {
      const flow = flowOf(request.params.form, replacement);
      const field = identifierField(flow.form);
      const query: unknown = request.query;
      const searched = typeof query === "object" && query !== null && Object.hasOwn(query, field);
      const key = newSubmissionKey();
      if (!searched) {
        const { service, fits } = await openRequestForm(request.ctx(), request.params.code, flow);
        if (!fits) return reply.redirect(`/services/${encodeURIComponent(service.code)}/demande-acces`, 303);
        const state: RequestState = {
          service,
          organization: null,
          points: [],
          manager: null,
          designated: null,
          errors: {},
          refusal: null,
        };
        return showForm(request, reply, flow, state, emptyInput(), key);
      }
      const identifier = readFields(query, [field])[field];
      const { state, status } = await lookUpOrganization(
        request.ctx(),
        request.params.code,
        flow,
        identifier,
      );
      return showForm(
        request,
        reply,
        flow,
        state,
        prefilled(emptyInput(identifier), state.organization),
        key,
        status,
      );
    });

    // « Chercher » (action=chercher) finds the designated person; anything else submits the request.
    app.post<FormParams>(`/services/:code/${segment}/:form`, async (request, reply) => {
      const flow = flowOf(request.params.form, replacement);
      const key = readSubmissionKey(request.body);
      const input = readRequestInput(flow.form, request.body);
      const { action } = readFields(request.body, ["action"]);
      if (action === "chercher") {
        const { state, status } = await lookUpDesignated(request.ctx(), request.params.code, flow, input);
        const values = hasBodyFields(request.body) ? input : prefilled(input, state.organization);
        return showForm(request, reply, flow, state, values, key, status);
      }
      const result = await fileAccessRequest(
        request.ctx(),
        request.params.code,
        flow,
        input,
        key,
        request.locale,
      );
      if (!result.ok) {
        if (result.retryAfterSeconds !== null) reply.header("retry-after", String(result.retryAfterSeconds));
        const values = hasBodyFields(request.body) ? input : prefilled(input, result.state.organization);
        return showForm(request, reply, flow, result.state, values, key, result.status);
      }
      return redirectWithFlash(reply, sentPath(request.params.code), {
        kind: "success",
        key: "accessRequests.sent",
        params: { unit: result.unit },
      });
    });
  }
}
