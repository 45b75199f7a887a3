// The form fuzzer of #17: malformed bodies posted to every POST route the app has, by signed-in people with a valid
// CSRF token, against the authorization matrix's world. No answer may be a 5xx, nor show a stack trace or SQL text.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { sql } from "kysely";
import { FIELD, REQUEST_FORMS } from "../../src/features/access-requests/access-requests.validation.js";
import { launchCampaign } from "../../src/features/reviews/reviews.service.js";
import { SUBMISSION_FIELD } from "../../src/features/submissions/submissions.service.js";
import type { Agent } from "../support/agent.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { buildApplicationWorld } from "../support/application-world.js";
import { cookieHeader } from "../support/file-transfer-client.js";
import { buildAuthzWorld } from "../support/registry-fixtures.js";

/**
 * Bodies posted in one run. The issue asks for 10,000; on the 2-core machine of 2026-12-07 they took 38 s on PGlite
 * with 54 POST routes (48 s for the file), but 57 s on PostgreSQL with 63 routes (65 s for the file), and more while
 * other suites ran. 8,000 keeps the file under a minute on either database; FORM_FUZZ_RUNS=10000 runs the count.
 */
const RUNS = Number(process.env.FORM_FUZZ_RUNS ?? 8_000);

const SRC = new URL("../../src/", import.meta.url).pathname;

let t: TestApp;
let agents: Agent[];
let routes: string[];
let pools: Map<string, string[]>;
let fieldNames: string[];

/** Every POST route, read from the router itself, so that a route added later is fuzzed without a word here. */
function postRoutes(): string[] {
  const tree = t.app.printRoutes({ commonPrefix: false, method: "POST" });
  const found: string[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of tree.split("\n")) {
    const match = /^([│ ]*)[├└]── (\S+)/.exec(line);
    if (!match?.[2]) continue;
    const depth = (match[1] ?? "").length;
    while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) >= depth) stack.pop();
    // Two routes with a parameter at the same place print as « :field|:id »: either name will do.
    const segment = match[2].split("|")[0] ?? "";
    const path = `${stack.at(-1)?.path ?? ""}${segment}`;
    stack.push({ depth, path });
    if (line.includes("(POST)")) found.push(path);
  }
  return found;
}

/** The field names of the portal's forms: those its views name, those its routes read, the program's, the requests'. */
async function formFieldNames(): Promise<string[]> {
  const names = new Set<string>([SUBMISSION_FIELD, ...Object.values(FIELD)]);
  for (const entry of await readdir(SRC, { recursive: true })) {
    if (!/\.tsx?$/.test(entry)) continue;
    const source = await readFile(join(SRC, entry), "utf8");
    for (const match of source.matchAll(/\bname="([A-Za-z_]\w*)"/g)) if (match[1]) names.add(match[1]);
    for (const call of source.matchAll(/readFields\([^,]+,\s*\[([^\]]*)\]/g))
      for (const match of (call[1] ?? "").matchAll(/"(\w+)"/g)) if (match[1]) names.add(match[1]);
  }
  const program = JSON.parse(
    await readFile(join(SRC, "features/applications/forms/infrastructure-program.json"), "utf8"),
  ) as { sections: { fields: { name: string }[] }[] };
  for (const section of program.sections) for (const field of section.fields) names.add(field.name);
  names.delete("_csrf");
  return [...names].sort();
}

/** Values each route parameter may take: real ones of the world, mostly, and a few that are not. */
async function parameterPools(): Promise<Map<string, string[]>> {
  const db = t.database.db;
  const column = async (query: string): Promise<string[]> =>
    (await sql<{ v: string }>`${sql.raw(query)}`.execute(db)).rows.map((row) => String(row.v));
  const ids = async (...tables: string[]) =>
    (
      await Promise.all(tables.map((table) => column(`select id::text as v from ${table} order by id`)))
    ).flat();
  // People whom nobody fuzzes as: an account action on one of the signed-in fuzzers would end the fuzz's session.
  const bystanders = await column(
    "select user_code as v from app_user where id not in (select user_id from session) order by id limit 6",
  );
  const bad = ["0", "-1", "abc", "99999999999999999999", "1.5", "%C3%A9t%C3%A9", "1%2F2", "%20"];
  const pool = new Map<string, string[]>([
    ["token", [randomBytes(32).toString("base64url")]],
    // An interaction of the OpenID Provider: none is under way, so any uid is an expired one.
    ["uid", [randomBytes(16).toString("base64url"), "inconnu"]],
    [
      "id",
      await ids(
        "procuration",
        "access_request",
        "service_role",
        "mandate",
        "application_attachment",
        "organization",
      ),
    ],
    ["userId", await ids("app_user")],
    [
      "code",
      [
        ...(await column("select code as v from online_service order by id limit 4")),
        "pga-eau",
        ...bystanders,
      ],
    ],
    ["org", await ids("organization")],
    ["number", await column("select number::text as v from application order by id")],
    ["field", ["plans", "resolution", "title"]],
    ["grant", await ids("access_grant")],
    ["role", await ids("service_role")],
    ["point", await ids("service_point")],
    ["association", await ids("service_association")],
    ["line", await ids("review_line")],
    ["form", [...REQUEST_FORMS]],
  ]);
  for (const [name, values] of pool) pool.set(name, [...values, ...bad]);
  return pool;
}

before(async () => {
  // A long grace period: the world's clock moves by days, and an officer past theirs would reach only « Sécurité du
  // compte », so their bodies would never reach the routes under test.
  t = await startTestApp({ env: { MFA_GRACE_DAYS: "365" } });
  const world = await buildAuthzWorld(t);
  await buildApplicationWorld(t, world);
  const u = world.users;
  // An access review of S, so that its lines' decisions are fuzzed too.
  const review = await launchCampaign(t.ctx(u.MA.actor), { service: String(world.services.S.id) });
  assert.ok(review.ok && review.opened > 0);
  agents = [];
  for (const user of [u.rse, u.L, u.D, u.RW, u.AW, u.AM, u.MA, u.staffO2]) {
    const agent = await t.signIn(user.userCode);
    await agent.get("/");
    agents.push(agent);
  }
  routes = postRoutes().filter((route) => route !== "/deconnexion");
  pools = await parameterPools();
  fieldNames = await formFieldNames();
});
after(() => t.close());

test("the route list is read from the router: every POST route, each parameter with values to try", () => {
  assert.ok(routes.length >= 50, `${routes.length} routes`);
  for (const expected of [
    "/connexion",
    "/services/:code/demandes/:number",
    "/transfert-fichiers/:code/fichiers",
  ])
    assert.ok(routes.includes(expected), expected);
  for (const route of routes)
    for (const [, name] of route.matchAll(/(?<=\/):(\w+)/g))
      assert.ok(name && pools.has(name), `no values for :${name} of ${route}: add them to parameterPools`);
});

// --- The bodies

/** Values a form never sends but a client may. */
const NASTY = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\r\n",
  "\u202e",
  "\ud800",
  "%",
  "%00",
  "'; drop table app_user; --",
  "<script>alert(1)</script>",
  "9".repeat(30),
  "-1",
  "1e309",
  "NaN",
  "2026-02-30",
  "9999-12-31",
  "0000-00-00",
  "x".repeat(5000),
  "é".repeat(300),
  "__proto__",
  "constructor",
  "toString",
];

const value = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 20, unit: "binary" }),
  fc.integer().map(String),
);

type Body =
  | { kind: "form"; fields: [string, string | string[]][] }
  | { kind: "raw"; text: string; contentType: string }
  | { kind: "json"; fields: Record<string, unknown> };

const fieldName = () => fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 12 }));

const body = (): fc.Arbitrary<Body> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .array(fc.tuple(fieldName(), fc.oneof(value, fc.array(value, { maxLength: 3 }))), { maxLength: 12 })
        .map((fields): Body => ({ kind: "form", fields })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.string({ maxLength: 80 }),
            fc.constantFrom("%", "a=%ZZ", "&&&=", "a[b]=c", "=", "a=1&a=2&a[]=3"),
          ),
          fc.constantFrom(
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "multipart/form-data; boundary=x",
            "text/plain",
            "application/octet-stream",
            "",
          ),
        )
        .map(([text, contentType]): Body => ({ kind: "raw", text, contentType })),
    },
    {
      weight: 2,
      arbitrary: fc
        .dictionary(fieldName(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 })
        .map((fields): Body => ({ kind: "json", fields })),
    },
  );

function encode(request: Body, token: string): { payload: string; contentType: string } {
  if (request.kind === "json")
    return { payload: JSON.stringify({ ...request.fields, _csrf: token }), contentType: "application/json" };
  if (request.kind === "raw")
    return { payload: `${request.text}&_csrf=${token}`, contentType: request.contentType };
  const form = new URLSearchParams();
  for (const [name, values] of request.fields)
    for (const item of typeof values === "string" ? [values] : values) form.append(name, item);
  form.set("_csrf", token);
  return { payload: form.toString(), contentType: "application/x-www-form-urlencoded" };
}

// --- What no answer may show

/** A stack frame, a source path, an error class's name. */
const STACK = /\bat [^\s<]+ \(|\.tsx?:\d+|node_modules|node:internal|\/work\/|\b[A-Z]\w*Error:/;
/** What PostgreSQL, Kysely or busboy put in their error messages. */
const SQL =
  /syntax error at or near|invalid byte sequence|invalid input syntax for|violates \w+(-\w+)? constraint|duplicate key value|out of range for type|relation "|column "|current transaction is aborted|multipart data/i;

test(`${RUNS} malformed bodies across every POST route: no 5xx, no stack trace, no SQL text`, async () => {
  const statuses = new Map<number, number>();
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(
      fc.nat(),
      fc.nat(),
      fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
      body(),
      async (routeIndex, agentIndex, picks, request) => {
        const route = routes[routeIndex % routes.length] ?? "/";
        const agent = agents[agentIndex % agents.length];
        assert.ok(agent?.csrfToken);
        let n = 0;
        const url = route.replace(/(?<=\/):(\w+)/g, (_whole, name: string) => {
          const pool = pools.get(name) ?? ["1"];
          return pool[(picks[n++ % picks.length] ?? 0) % pool.length] ?? "1";
        });
        const { payload, contentType } = encode(request, agent.csrfToken);
        const response = await t.app.inject({
          method: "POST",
          // The token rides in the query too, where a streamed upload's is read.
          url: `${url}?_csrf=${encodeURIComponent(agent.csrfToken)}`,
          headers: { cookie: cookieHeader(agent), ...(contentType ? { "content-type": contentType } : {}) },
          payload,
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        const where = `POST ${url} (${route}) as agent ${agentIndex % agents.length}, ${request.kind} body`;
        assert.ok(response.statusCode < 500, `${where}: ${response.statusCode}`);
        assert.doesNotMatch(response.body, STACK, where);
        assert.doesNotMatch(response.body, SQL, where);
      },
    ),
    { numRuns: RUNS },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const counts = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
  console.log(
    `form fuzz: ${RUNS} bodies over ${routes.length} routes in ${seconds} s (${counts.join(", ")})`,
  );
});
