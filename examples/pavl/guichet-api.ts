// PAVL as a client of Guichet's decision API (/api/v1): it declares its dossiers and asks, at every page that matters,
// what the signed-in person may do on them, with PAVL's own token (client credentials, the API as `resource`).
import type { FetchLike, RelyingParty } from "./relying-party.js";

export const API_SCOPE = "decisions:read dossiers:write";

export type DossierAction = "application.read" | "application.edit";

export type Question = {
  subject: string;
  organization: number;
  service: string;
  action: DossierAction;
  dossier?: string;
};

/** One link of the chain behind an answer, as Guichet's OpenAPI document describes it (Link). */
export type Link =
  | { kind: "servicesOfficer" }
  | { kind: "procuration"; id: number; until: string }
  | { kind: "localManager" | "deputy"; since: string }
  | {
      kind: "association";
      servicePointId: number;
      firm: { id: number; name: string };
      since: string;
    }
  | {
      kind: "right";
      right: string;
      grantedBy: { name: string };
      since: string;
      until: string | null;
    }
  | { kind: "mandate"; dossier: string; since: string; until: string | null };

/** An organization the person may act for in the service, as GET /subjects/{sub}/access lists it. */
export type ServiceAccess = { organization: { id: number; name: string }; actions: string[] };

export type Answer = { allowed: boolean; reason: string | null; because: Link[]; validUntil: string | null };

/** Guichet answered with a problem (RFC 9457) or could not be reached: PAVL decides nothing on its own. */
export class GuichetApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const TIMEOUT_MS = 10_000;

export class GuichetApi {
  readonly #relyingParty: RelyingParty;
  readonly #base: string;
  readonly #fetch: FetchLike | undefined;
  readonly service: string;

  constructor(options: { relyingParty: RelyingParty; issuer: URL; service: string; fetch?: FetchLike }) {
    this.#relyingParty = options.relyingParty;
    // The API lives at the issuer's origin, and that address is the resource its tokens are for.
    this.#base = new URL("/api/v1", options.issuer.origin).href;
    this.#fetch = options.fetch;
    this.service = options.service;
  }

  /** PUT /services/{code}/dossiers/{externalId}: declared (or declared again, with this title). */
  async declareDossier(externalId: string, organization: number, title: string): Promise<void> {
    const path = `/services/${encodeURIComponent(this.service)}/dossiers/${encodeURIComponent(externalId)}`;
    await this.#call("PUT", path, { organization, title });
  }

  /**
   * GET /subjects/{sub}/access?service=…: the organizations the person may act for in the service (their own, and the
   * clients whose registry gives them a right), each with the actions allowed there.
   */
  async accessOf(subject: string): Promise<ServiceAccess[]> {
    const query = new URLSearchParams({ service: this.service });
    const body = await this.#call("GET", `/subjects/${encodeURIComponent(subject)}/access?${query}`);
    const organizations =
      isRecord(body) && Array.isArray(body.organizations) ? body.organizations : undefined;
    if (!organizations?.every(isServiceAccess)) {
      throw new GuichetApiError("Guichet's answer is not a person's access", 200, undefined);
    }
    return organizations;
  }

  /** POST /decisions:batch: the answers in the order of the questions (at most 100). */
  async decide(questions: Question[]): Promise<Answer[]> {
    if (questions.length === 0) return [];
    const body = await this.#call("POST", "/decisions:batch", { questions });
    const answers = isRecord(body) && Array.isArray(body.answers) ? body.answers : undefined;
    if (!answers || answers.length !== questions.length || !answers.every(isAnswer)) {
      throw new GuichetApiError("Guichet's answer is not the batch asked for", 200, undefined);
    }
    return answers;
  }

  async #call(
    method: "GET" | "PUT" | "POST",
    path: string,
    payload?: unknown,
    retried = false,
  ): Promise<unknown> {
    let response: Response;
    try {
      const token = await this.#relyingParty.apiToken(this.#base, API_SCOPE);
      const url = `${this.#base}${path}`;
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: "application/json",
      };
      if (payload !== undefined) headers["content-type"] = "application/json";
      const init = {
        method,
        headers,
        body: payload === undefined ? undefined : JSON.stringify(payload),
        redirect: "manual" as const,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      };
      response = this.#fetch ? await this.#fetch(url, init) : await fetch(url, init);
    } catch (error) {
      throw new GuichetApiError("Guichet's decision API could not be reached", undefined, undefined, {
        cause: error,
      });
    }
    // A token Guichet no longer takes (its keys rotated, it restarted): one new token, once.
    if (response.status === 401 && !retried) {
      await response.body?.cancel();
      this.#relyingParty.forgetApiToken();
      return this.#call(method, path, payload, true);
    }
    const text = await response.text();
    const body: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const code = isRecord(body) && typeof body.code === "string" ? body.code : undefined;
      const title = isRecord(body) && typeof body.title === "string" ? body.title : response.statusText;
      throw new GuichetApiError(`${method} ${path}: ${response.status} ${title}`, response.status, code);
    }
    return body;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isServiceAccess(value: unknown): value is ServiceAccess {
  return (
    isRecord(value) &&
    isRecord(value.organization) &&
    typeof value.organization.id === "number" &&
    typeof value.organization.name === "string" &&
    Array.isArray(value.actions)
  );
}

function isAnswer(value: unknown): value is Answer {
  return (
    isRecord(value) &&
    typeof value.allowed === "boolean" &&
    Array.isArray(value.because) &&
    value.because.every((link) => isRecord(link) && typeof link.kind === "string")
  );
}
