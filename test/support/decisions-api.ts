// An online service calling the decision API in tests: its token by client credentials (openid-client over inject),
// its requests, and each answer checked against the OpenAPI document the app serves (status, media type, schema).
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { TestApp } from "./app.js";
import { oidc, type RegisteredClient, relyingParty } from "./relying-party.js";

export const API = "/api/v1";
export const RESOURCE = "http://guichet.test/api/v1";

/** A token for the API, as a service gets it: client credentials, with the resource and the scopes named. */
export async function apiToken(
  t: TestApp,
  client: Pick<RegisteredClient, "clientId" | "secret">,
  scope = "decisions:read dossiers:write",
  resource = RESOURCE,
): Promise<string> {
  const rp = await relyingParty(t, client);
  const tokens = await oidc.clientCredentialsGrant(rp, { scope, resource });
  return tokens.access_token;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

/**
 * The routes the app has under a prefix, read from the router itself (« METHOD /path/:param »), so that a route
 * added later is checked without a word in the test. A literal colon (`::`) prints as `:`, as the document writes it.
 */
export function routesUnder(app: FastifyInstance, prefix: string): string[] {
  const found: string[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?/.exec(line);
    if (!match?.[2]) continue;
    const depth = (match[1] ?? "").length;
    while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) >= depth) stack.pop();
    const parent = stack.at(-1)?.path ?? "";
    const path = `${parent}${parent.endsWith("/") || match[2].startsWith("/") || match[2].startsWith(":") ? "" : "/"}${match[2]}`;
    stack.push({ depth, path });
    if (!match[3] || !path.startsWith(prefix)) continue;
    for (const method of match[3].split(", ")) found.push(`${method} ${path}`);
  }
  return found;
}

type OpenApiDocument = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
  components: { schemas: Record<string, object> };
};

/** The document's path of a request path: `/api/v1/services/X/dossiers/Y` → `/api/v1/services/{code}/dossiers/{externalId}`. */
function documentedPath(document: OpenApiDocument, path: string): string | undefined {
  const segments = path.split("/");
  return Object.keys(document.paths).find((template) => {
    const parts = template.split("/");
    return (
      parts.length === segments.length &&
      parts.every((part, i) => (/^\{.+\}$/.test(part) ? (segments[i] ?? "") !== "" : part === segments[i]))
    );
  });
}

/**
 * Calls the API and checks the answer against the document: its path and method are documented, its status is one
 * of the operation's, its media type the documented one, and its body valid against the documented schema.
 */
export class ApiClient {
  readonly #app: FastifyInstance;
  #document: OpenApiDocument | undefined;
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  readonly checked = new Set<string>();

  constructor(app: FastifyInstance) {
    this.#app = app;
    this.#ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
    this.#ajv.addFormat("date-time", (value: string) => !Number.isNaN(Date.parse(value)));
  }

  async document(): Promise<OpenApiDocument> {
    if (!this.#document) {
      const response = await this.#app.inject({ method: "GET", url: `${API}/openapi.json` });
      assert.equal(response.statusCode, 200);
      const document: OpenApiDocument = response.json();
      // The whole document, so that a response's schema is found by its pointer and its $refs resolve within it.
      this.#ajv.addSchema({ ...document, $id: "openapi.json" });
      this.#document = document;
    }
    return this.#document;
  }

  async call(
    method: Method,
    url: string,
    options: { token?: string; body?: unknown; payload?: string; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { host: "guichet.test", ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await this.#app.inject({
      method,
      url,
      headers,
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
      ...(options.payload === undefined ? {} : { payload: options.payload }),
      ...(options.body !== undefined && !options.headers?.["content-type"]
        ? { headers: { ...headers, "content-type": "application/json" } }
        : {}),
    });
    await this.#check(method, url, response);
    return response;
  }

  async #check(method: Method, url: string, response: LightMyRequestResponse): Promise<void> {
    const document = await this.document();
    const path = documentedPath(document, url.split("?")[0] ?? "");
    const status = String(response.statusCode);
    const where = `${method} ${url} → ${status}`;
    const type = String(response.headers["content-type"] ?? "").split(";")[0] ?? "";
    if (!path) {
      // An address the API does not have: a problem all the same.
      assert.equal(response.statusCode, 404, where);
      assert.equal(type, "application/problem+json", where);
      return;
    }
    const operation = document.paths[path]?.[method.toLowerCase()];
    assert.ok(operation, `${where}: ${method} ${path} is not in the document`);
    const documented = operation.responses[status];
    assert.ok(documented, `${where}: status ${status} is not documented for ${method} ${path}`);
    const content = documented.content?.[type];
    assert.ok(content, `${where}: ${type} is not documented for ${status}: ${response.body.slice(0, 200)}`);
    const pointer = ["paths", path, method.toLowerCase(), "responses", status, "content", type, "schema"]
      .map((part) => encodeURIComponent(part.replace(/~/g, "~0").replace(/\//g, "~1")))
      .join("/");
    const validate =
      this.#ajv.getSchema(`openapi.json#/${pointer}`) ??
      this.#ajv.compile({ $ref: `openapi.json#/${pointer}` });
    const body: unknown = response.json();
    assert.ok(
      validate(body),
      `${where}: ${JSON.stringify(validate.errors)} in ${response.body.slice(0, 400)}`,
    );
    this.checked.add(`${method} ${path} ${status}`);
  }
}
