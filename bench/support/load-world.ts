// The people and sessions of the load benchmark, on a database the servers seeded with the demo data: five signed-in
// roles and the pages each reaches from the home page, accounts that sign in, people to grant a right to, drafts to
// save, senders of files. Sign-ins and drafts go through the real forms, through nginx, as a browser would.
import type { Kysely } from "kysely";
import type { DB } from "../../src/db/schema.js";
import type { PasswordHasher } from "../../src/features/auth/password-hasher.js";
import { DEMO_PASSWORD } from "../../src/features/demo/demo.data.js";
import { demoPdf } from "../../src/features/demo/demo-pdf.js";
import {
  insertHolders,
  insertProcuration,
  replaceScope,
} from "../../src/features/procurations/procurations.queries.js";
import { insertRole } from "../../src/features/service-roles/service-roles.queries.js";
import { TEST_PASSWORD } from "../../test/support/app.js";
import { COMPLETE_FIELDS } from "../../test/support/application-fixtures.js";
import { demoCode } from "../../test/support/demo-codes.js";
import { Factories } from "../../test/support/factories.js";
import type { BrowsingRole, World } from "./load-mix-types.js";

const SERVICE = "D32-PRIMEAU";
const RECIPIENT = "pga-eau";
/** People for each stateful scenario: more than journeys in flight at the rates the machine sustains. */
const PEOPLE = 24;
const SIGN_IN_ACCOUNTS = 8;
const PAGES_PER_ROLE = 8;

/** A browser's cookies and the CSRF token of the last page read, over fetch; redirects are not followed. */
export class Browser {
  readonly #origin: string;
  readonly #cookies = new Map<string, string>();
  csrf: string | undefined;

  constructor(origin: string) {
    this.#origin = origin;
  }

  cookie(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async #send(path: string, init: RequestInit): Promise<{ status: number; body: string; location: string }> {
    const response = await fetch(`${this.#origin}${path}`, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookie() },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const value = pair.slice(at + 1);
      if (value === "" || /max-age=0/i.test(line)) this.#cookies.delete(pair.slice(0, at));
      else this.#cookies.set(pair.slice(0, at), value);
    }
    const body = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrf = token;
    return { status: response.status, body, location: response.headers.get("location") ?? "" };
  }

  get(path: string) {
    return this.#send(path, { method: "GET" });
  }

  post(path: string, fields: Record<string, string>) {
    return this.#send(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, _csrf: this.csrf ?? "" }).toString(),
    });
  }

  /** The sign-in form, then the demo authenticator app's code when the account has a second factor. */
  async signIn(userCode: string, password: string): Promise<void> {
    await this.get("/connexion");
    const first = await this.post("/connexion", { userCode, password });
    if (first.status !== 303) throw new Error(`sign-in of ${userCode}: ${first.status}`);
    if (first.location === "/connexion/verification") {
      await this.get(first.location);
      const second = await this.post(first.location, { code: await demoCode(userCode) });
      if (second.status !== 303) throw new Error(`second step of ${userCode}: ${second.status}`);
    }
  }
}

/** Links of a page that a person follows to read: same origin, no sign-out, language switch, download or file. */
function readingLinks(html: string): string[] {
  const links = [...html.matchAll(/href="(\/[^"#]*)"/g)].map((m) => (m[1] ?? "").replace(/&amp;/g, "&"));
  return links.filter(
    (link) =>
      !/^\/(static|deconnexion|oidc|api|banc|sante|metrics)/.test(link) &&
      !/lang(ue)?=|\.csv|\/fichiers\/|\/pieces-jointes\/|\/telecharger|\.pdf|\.txt/.test(link),
  );
}

/** The home page and pages reached from it (two clicks at most) that answer 200, up to PAGES_PER_ROLE. */
async function pagesOf(browser: Browser): Promise<string[]> {
  const found: string[] = [];
  const queue = ["/"];
  const seen = new Set(queue);
  while (queue.length > 0 && found.length < PAGES_PER_ROLE) {
    const path = queue.shift() ?? "/";
    const page = await browser.get(path);
    if (page.status !== 200) continue;
    found.push(path);
    for (const link of readingLinks(page.body)) {
      if (seen.has(link)) continue;
      seen.add(link);
      queue.push(link);
    }
  }
  return found;
}

async function userId(db: Kysely<DB>, userCode: string): Promise<number> {
  const row = await db
    .selectFrom("app_user")
    .select("id")
    .where("user_code", "=", userCode)
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function makeWorld(
  db: Kysely<DB>,
  hasher: PasswordHasher,
  origin: string,
): Promise<{ world: World; roles: Record<string, string> }> {
  const quebec = Number(
    (
      await db
        .selectFrom("organization")
        .select("id")
        .where("geo_code", "=", "23027")
        .executeTakeFirstOrThrow()
    ).id,
  );
  const officer = await userId(db, "QCRSE01");
  const manager = await userId(db, "QCUSR01");
  const writer = await userId(db, "QCUSR02");
  const service = await db
    .selectFrom("online_service")
    .select("id")
    .where("code", "=", SERVICE)
    .executeTakeFirstOrThrow();
  const ministry = await db
    .selectFrom("organization")
    .select("id")
    .where("kind", "=", "ministry")
    .where("name", "like", "Ministère des Affaires municipales%")
    .executeTakeFirstOrThrow();
  const now = new Date();

  // QCUSR02, « Requérant – Rédaction », is also named deputy: the fifth role of the browsing.
  await insertRole(db, {
    role: "deputy",
    organizationId: quebec,
    servicePointId: null,
    serviceId: Number(service.id),
    userId: writer,
    grantedBy: manager,
    accessRequestId: null,
    now,
  });

  // Staff of Québec holding a procuration for the MAMH: grantees, senders of files, accounts that sign in.
  const factories = new Factories(db, hasher, () => new Date());
  const organization = {
    id: quebec,
    name: "Ville de Québec",
    kind: "municipality" as const,
    geoCode: "23027",
    neq: null,
  };
  const staff = [];
  for (let i = 0; i < 2 * PEOPLE + SIGN_IN_ACCOUNTS; i++) staff.push(await factories.user(organization));
  const procuration = await insertProcuration(db, {
    organizationId: quebec,
    name: "Banc de charge",
    startDate: "2026-01-01",
    endDate: "2030-12-31",
    createdBy: officer,
    now,
  });
  await replaceScope(db, procuration, [
    { ministryId: Number(ministry.id), restricted: false, serviceIds: [] },
  ]);
  await insertHolders(
    db,
    procuration,
    staff.map((user) => user.id),
    officer,
    now,
  );
  const grantees = staff.slice(0, PEOPLE).map((user) => user.userCode);
  const senderAccounts = staff.slice(PEOPLE, 2 * PEOPLE).map((user) => user.userCode);
  const signIns = staff.slice(2 * PEOPLE).map((user) => user.userCode);

  const roles: Record<string, string> = {
    servicesOfficer: "QCRSE01",
    localManager: "QCUSR01",
    deputy: "QCUSR02",
    agentManager: "FGCUSR1",
    agent: "FGCUSR2",
  };
  const browse: BrowsingRole[] = [];
  const browsers: Record<string, Browser> = {};
  for (const [role, userCode] of Object.entries(roles)) {
    const browser = new Browser(origin);
    await browser.signIn(userCode, DEMO_PASSWORD);
    browsers[role] = browser;
    browse.push({ role, cookie: browser.cookie(), pages: await pagesOf(browser) });
  }

  // Drafts of Québec's applications in D32-PRIMEAU, each created through « Nouvelle demande ».
  const writerBrowser = browsers.deputy ?? new Browser(origin);
  const list = `/services/${SERVICE}/organisations/${quebec}/demandes`;
  const applications: string[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const page = await writerBrowser.get(list);
    const key = /name="cle" value="([^"]+)"/.exec(page.body)?.[1];
    if (page.status !== 200 || !key)
      throw new Error(`no « Nouvelle demande » form on ${list}: ${page.status}`);
    const created = await writerBrowser.post(list, { titre: `Demande de charge ${i + 1}`, cle: key });
    if (created.status !== 303) throw new Error(`« Nouvelle demande » answered ${created.status}`);
    applications.push(created.location.replace(/^https?:\/\/[^/]+/, "").replace(/[?#].*$/, ""));
  }

  const senders: string[] = [];
  for (const userCode of senderAccounts) {
    const browser = new Browser(origin);
    await browser.signIn(userCode, TEST_PASSWORD);
    senders.push(browser.cookie());
  }

  const world: World = {
    origin,
    password: TEST_PASSWORD,
    browse,
    signIns,
    grant: {
      cookie: browsers.localManager?.cookie() ?? "",
      registry: `/services/${SERVICE}/organisations/${quebec}/registre`,
      right: "requester.read",
      grantees,
    },
    save: { cookie: writerBrowser.cookie(), applications, fields: { ...COMPLETE_FIELDS } },
    transfer: {
      senders,
      recipient: RECIPIENT,
      fileName: "23027 Démarche.pdf",
      fileBase64: demoPdf("Démarche", ["Banc de charge de Guichet."]).toString("base64"),
    },
  };
  return { world, roles };
}
