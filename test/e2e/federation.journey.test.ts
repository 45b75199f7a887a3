// Issue #13 in Chromium across two processes: the real Guichet server (demo data) and the example service PAVL, which
// signs people in through Guichet. A Québec user with a procuration for the MTMD comes back to PAVL acting for Ville de
// Québec with the second factor; a user without one is refused in French; signing out of Guichet signs the person out
// of PAVL (back-channel logout); PAVL's own « Se déconnecter » ends the Guichet session too.
//
// Ports: the demo registers PAVL at http://localhost:3001, but a fixed port is a coin toss on a shared CI machine (a
// developer's `npm run example:pavl`, another run of this file). So both processes get free ports, and the demo's
// registration is pointed at PAVL's port before Guichet starts: the demo is loaded with the CLI (`seed-demo`), the
// URIs are changed with one SQL update from a child process, then the server starts on that database (SEED_DEMO on,
// which loads nothing into a database that has users). Nothing edits the database while the server runs: an embedded
// database on disk is opened by one process at a time. On PostgreSQL (DATABASE_URL), the same in a schema of its own.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../../src/features/demo/demo.data.js";
import { sealSecret } from "../../src/features/factors/factors.crypto.js";
import { launchBrowser, screenshotOnFailure } from "../support/browser.js";
import { demoCode } from "../support/demo-codes.js";
import { button, field, heading, link, newPage, pathOf, squeeze } from "../support/journey.js";
import { offline, readOffline } from "../support/offline-database.js";
import { type PavlProcess, registerDemoPavlAt, startPavlProcess } from "../support/pavl-process.js";
import {
  freePort,
  runGuichetCli,
  serverSchema,
  startServerProcess,
  stopProcess,
} from "../support/server-process.js";

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
/** Back-channel logout goes through the outbox, polled every OUTBOX_POLL_MS: PAVL must know within seconds. */
const BACKCHANNEL_WAIT_MS = 10_000;
const OUTBOX_POLL_MS = "500";
const SERVICE = "Programme d'aide à la voirie locale";
const ACR_MFA = "urn:guichet:acr:mfa";

let dataDir: string | undefined;
let dropSchema: (() => Promise<void>) | undefined;
let guichet: ChildProcess | undefined;
let pavl: PavlProcess | undefined;
let launched: Browser | undefined;
let guichetUrl = "";
let pavlUrl = "";

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "guichet-federation-"));
  const [guichetPort, pavlPort] = [await freePort(), await freePort()];
  guichetUrl = `http://localhost:${guichetPort}`;
  pavlUrl = `http://localhost:${pavlPort}`;
  const mfaKey = randomBytes(32);
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: String(guichetPort),
    // localhost, not 127.0.0.1: the OpenID issuer, the cookies and PAVL's registered URIs all name this host.
    PUBLIC_URL: guichetUrl,
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
    MFA_ENCRYPTION_KEY: mfaKey.toString("base64url"),
    ARGON2_MEMORY_KIB: "1024",
    ARGON2_TIME_COST: "1",
    LOG_LEVEL: "warn",
    SEED_DEMO: "true",
    OUTBOX_POLL_MS,
  };
  const schema = await serverSchema("federation");
  if (schema) {
    env.DATABASE_URL = schema.databaseUrl;
    dropSchema = schema.drop;
  }

  await runGuichetCli(env, ["seed-demo"]);
  await registerDemoPavlAt(env, pavlUrl);
  await giveDemoAppTo(env, mfaKey, "QCUSR02");
  // Fleurant's consultant, agent of Québec in PAVL (the demo's DEMO_PAVL_AGENTS): PAVL asks for the second factor.
  await giveDemoAppTo(env, mfaKey, "FGCUSR2");
  guichet = await startServerProcess(env, START_TIMEOUT_MS);
  pavl = await startPavlProcess({ port: pavlPort, publicUrl: pavlUrl, issuer: `${guichetUrl}/oidc` });
  launched = await launchBrowser();
});

after(async () => {
  await launched?.close().catch(() => undefined);
  if (pavl) await stopWithin(pavl.child);
  if (guichet) await stopWithin(guichet);
  await dropSchema?.();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test("a Québec user with a procuration for the MTMD opens PAVL, signs in to Guichet with the second factor, and comes back acting for Ville de Québec", async () => {
  await journey("federation-sign-in", async (page) => {
    await signInThroughGuichet(page, "QCUSR01");
    await signedInToPavl(page, "Mathieu Bouchard");
    assert.deepEqual(await details(page), {
      "Niveau d'authentification (acr)": ACR_MFA,
      "Méthodes d'authentification (amr)": "pwd, otp",
    });

    // The sign-in opened the portal's own session too: Guichet's pages greet him without asking again.
    await page.goto(`${guichetUrl}/`);
    await page.getByText("Bonjour Mathieu Bouchard (QCUSR01)").waitFor();
  });
});

test("a Québec user without a procuration for the MTMD is refused in French, told who can give one, and PAVL is told access_denied", async () => {
  await journey("federation-refused", async (page) => {
    await signInThroughGuichet(page, "QCUSR02");
    await heading(page, `Accès refusé à ${SERVICE}`);
    assert.ok(pathOf(page).startsWith("/oidc/interaction/"), page.url());
    const main = squeeze(await page.locator("main").textContent());
    assert.match(
      main,
      /Pour utiliser Programme d'aide à la voirie locale au nom de Ville de Québec, il vous faut une procuration valide de votre organisation couvrant le Ministère des Transports et de la Mobilité durable\. Vous n'en avez pas\./,
    );
    assert.match(main, /La personne responsable des services électroniques \(RSE\) de votre organisation/);
    // The RSE of Ville de Québec, by name, with an address to write to.
    await page.getByRole("listitem").filter({ hasText: "Geneviève Tremblay" }).waitFor();
    assert.ok(await page.getByRole("link", { name: /@/ }).first().isVisible());

    await button(page, `Retourner à ${SERVICE}`).click();
    await heading(page, "Accès refusé");
    assert.equal(new URL(page.url()).origin, pavlUrl);
    await page.getByText("Guichet a refusé l'accès", { exact: false }).waitFor();
    await page.getByText("Code : access_denied").waitFor();
    await page.goto(`${pavlUrl}/`);
    await link(page, "Se connecter avec Guichet").waitFor();
  });
});

test("signing out of Guichet signs the person out of PAVL: the next PAVL page asks to sign in again", async () => {
  await journey("federation-backchannel", async (page) => {
    await signInThroughGuichet(page, "QCUSR01");
    await signedInToPavl(page, "Mathieu Bouchard");

    await page.goto(`${guichetUrl}/`);
    await button(page, "Déconnexion").click();
    await heading(page, "Authentification de l'utilisateur");

    // Guichet tells PAVL server to server (a logout token through the outbox): no browser redirect is involved.
    const deadline = Date.now() + BACKCHANNEL_WAIT_MS;
    let signedOut = false;
    while (!signedOut && Date.now() < deadline) {
      await page.goto(`${pavlUrl}/`);
      signedOut = (await link(page, "Se connecter avec Guichet").count()) > 0;
      if (!signedOut) await sleep(500);
    }
    assert.ok(
      signedOut,
      `PAVL still shows the person signed in ${BACKCHANNEL_WAIT_MS / 1000} s after the Guichet sign-out; PAVL's back-channel log:\n${backchannelLog()}`,
    );
  });
});

test("« Se déconnecter » in PAVL asks Guichet's confirmation in French, ends the Guichet session, and comes back to PAVL signed out", async () => {
  await journey("federation-rp-logout", async (page) => {
    // Québec's RSE, who holds every procuration of her city: a second account with the demo app.
    await signInThroughGuichet(page, "QCRSE01");
    await signedInToPavl(page, "Geneviève Tremblay");

    await button(page, "Se déconnecter").click();
    await heading(page, "Se déconnecter");
    assert.equal(new URL(page.url()).origin, guichetUrl);
    await page
      .getByText(
        "Voulez-vous vous déconnecter de Guichet et de tous les services en ligne où vous êtes connecté avec Guichet ?",
      )
      .waitFor();
    await button(page, "Oui, me déconnecter").click();

    await link(page, "Se connecter avec Guichet").waitFor();
    assert.equal(page.url(), `${pavlUrl}/`);
    await page.goto(`${guichetUrl}/`);
    await heading(page, "Authentification de l'utilisateur");
    assert.equal(await page.getByText("Bonjour Geneviève Tremblay", { exact: false }).count(), 0);
  });
});

test("the Québec local manager grants « Requérant – Rédaction » in PAVL's registry; the user edits a dossier in PAVL; the manager revokes and PAVL's next page refuses", async () => {
  assert.ok(launched, "the browser started");
  const { context: userContext, page: user } = await newPage(launched);
  try {
    await journey("federation-decisions", async (manager) => {
      // Before any right: PAVL declared its dossiers, and Guichet lets the RSE read none of them.
      await screenshotOnFailure(user, "federation-decisions-user", async () => {
        await signInThroughGuichet(user, "QCRSE01");
        await signedInToPavl(user, "Geneviève Tremblay");
        await user
          .getByText("Vous n'avez accès à aucun dossier de PAVL pour cette organisation.", { exact: false })
          .waitFor();
      });

      await signInThroughGuichet(manager, "QCUSR01");
      await signedInToPavl(manager, "Mathieu Bouchard");
      await manager.goto(`${guichetUrl}/services/PAVL`);
      await link(
        manager.getByRole("region", { name: "Utilitaires", exact: true }),
        "Registre des droits d'accès",
      ).click();
      await heading(manager, "Registre des droits d'accès");
      await field(manager, "Code d'utilisateur").fill("QCRSE01");
      await button(manager, "Chercher").click();
      await heading(manager, "Nouvelle inscription");
      await button(manager, "Ajouter le droit Requérant – Rédaction").click();
      await heading(manager, "Confirmer l'inscription");
      await button(manager, "Confirmer").click();
      await heading(manager, "Registre des droits d'accès");
      await manager
        .getByText("Le droit « Requérant – Rédaction » a été accordé à Geneviève Tremblay.", { exact: false })
        .waitFor();

      await screenshotOnFailure(user, "federation-decisions-user", async () => {
        await user.goto(`${pavlUrl}/`);
        await user.getByText("Réfection du boulevard Henri-Bourassa", { exact: true }).first().waitFor();
        assert.equal(await user.getByText("Consultation seulement").count(), 0);
        const first = user.locator("article").first();
        await first.getByText("Pourquoi ai-je accès ?").click();
        const why = squeeze(await first.locator("details").textContent());
        assert.match(why, /Vous êtes la personne responsable des services électroniques \(RSE\)/, why);
        assert.match(
          why,
          /Droit «\sRequérant – Rédaction\s» accordé par Mathieu Bouchard le \d{4}-\d{2}-\d{2}, sans date de fin\./,
          why,
        );
        await first.getByLabel("Titre du dossier").fill("Réfection du boulevard Henri-Bourassa, phase 2");
        await first.getByRole("button", { name: "Enregistrer le titre" }).click();
        await user
          .getByText(
            "Le titre du dossier PAVL-2026-0001 est maintenant « Réfection du boulevard Henri-Bourassa, phase 2 ».",
          )
          .waitFor();
      });

      await manager.goto(`${guichetUrl}/services/PAVL`);
      await link(
        manager.getByRole("region", { name: "Utilitaires", exact: true }),
        "Registre des droits d'accès",
      ).click();
      await heading(manager, "Registre des droits d'accès");
      // Her line only: the registry also lists the demo's agent of Fleurant (DEMO_PAVL_AGENTS).
      await manager
        .getByRole("row")
        .filter({ hasText: "Geneviève Tremblay" })
        .getByRole("button", { name: /^Retirer/ })
        .click();
      if ((await manager.getByRole("button", { name: "Confirmer" }).count()) > 0) {
        await button(manager, "Confirmer").click();
      }
      await manager
        .getByText("Le droit d'accès de Geneviève Tremblay a pris fin.", { exact: false })
        .waitFor();

      await screenshotOnFailure(user, "federation-decisions-user", async () => {
        // The form still on the page is refused by Guichet's next decision; the page after lists no dossier.
        await user.getByLabel("Titre du dossier").first().fill("Titre après le retrait");
        await user.getByRole("button", { name: "Enregistrer le titre" }).first().click();
        await heading(user, "Modification refusée");
        await user
          .getByText("vous n'avez aucun droit d'accès dans le registre de PAVL", { exact: false })
          .waitFor();
        await user.goto(`${pavlUrl}/`);
        await user
          .getByText("Vous n'avez accès à aucun dossier de PAVL pour cette organisation.", { exact: false })
          .waitFor();
      });
    });
  } finally {
    await userContext.close();
  }
});

test("the Québec local manager mandates a firm's agent on one PAVL dossier chosen from « Gestion des mandats »; the agent sees that dossier only in PAVL; the mandate ends and PAVL's next page refuses", async () => {
  assert.ok(launched, "the browser started");
  const { context: agentContext, page: agent } = await newPage(launched);
  try {
    await journey("federation-mandate", async (manager) => {
      // The manager's visit to PAVL declares Québec's three dossiers to Guichet (as any Québec person's would).
      await signInThroughGuichet(manager, "QCUSR01");
      await signedInToPavl(manager, "Mathieu Bouchard");

      await manager.goto(`${guichetUrl}/mandats`);
      await heading(manager, "Gestion des mandats");
      await link(manager, `Dossiers de PAVL — ${SERVICE}`).click();
      await heading(manager, "Gestion des mandats — PAVL");
      const listed = squeeze(await manager.locator("table").textContent());
      for (const id of ["PAVL-2026-0001", "PAVL-2026-0002", "PAVL-2026-0003"])
        assert.match(listed, new RegExp(id));
      // The filter is a GET form: its address is the list's, with the text.
      await field(manager, "Numéro, identifiant ou titre").fill("Érables");
      await button(manager, "Filtrer").click();
      await manager.getByText("1 dossier", { exact: true }).waitFor();
      assert.match(manager.url(), /\/services\/PAVL\/mandats\?texte=%C3%89rables/);
      const row = manager.getByRole("row").filter({ hasText: "PAVL-2026-0002" });
      const cells = (await row.locator("td").allTextContents()).map((cell) => squeeze(cell));
      assert.deepEqual(cells.slice(1, 4), ["Resurfaçage de la rue des Érables", "Ouvert", "Aucun"]);
      await row.getByLabel(/Mandataire à ajouter pour PAVL-2026-0002/).selectOption("FGCUSR2");
      await button(row, "Mandater").click();
      await heading(manager, "Confirmer le mandat");
      const summary = (await manager.locator("dd").allTextContents()).map((text) => squeeze(text));
      assert.deepEqual(summary, [
        "PAVL-2026-0002 — Resurfaçage de la rue des Érables",
        `PAVL — ${SERVICE}`,
        "Amélie Côté (FGCUSR2) — Fleurant Génie-Conseil inc.",
      ]);
      await button(manager, "Confirmer").click();
      await heading(manager, "Gestion des mandats — PAVL");
      await manager
        .getByText("Amélie Côté est maintenant mandaté pour le dossier PAVL-2026-0002.", { exact: false })
        .waitFor();

      await screenshotOnFailure(agent, "federation-mandate-agent", async () => {
        await signInThroughGuichet(agent, "FGCUSR2");
        await agent.getByText("Bonjour, Amélie Côté", { exact: false }).waitFor();
        await agent.getByText("Vous agissez pour : Fleurant Génie-Conseil inc.", { exact: false }).waitFor();
        await agent.getByRole("heading", { name: "Resurfaçage de la rue des Érables" }).waitFor();
        const articles = agent.locator("article");
        assert.equal(await articles.count(), 1, "the mandated dossier only");
        const only = squeeze(await articles.first().textContent());
        assert.match(only, /Dossier PAVL-2026-0002 Pour le client\s: Ville de Québec/);
        await articles.first().getByText("Pourquoi ai-je accès ?").click();
        assert.match(
          squeeze(await articles.first().locator("details").textContent()),
          /Mandat sur le dossier PAVL-2026-0002 depuis le/,
        );
        const page = squeeze(await agent.locator("main").textContent());
        assert.doesNotMatch(page, /PAVL-2026-0001|PAVL-2026-0003|Henri-Bourassa|rivière Lorette/);
      });

      // « Mettre fin » in the manager's list: Guichet's next decision refuses the agent.
      await manager
        .getByRole("row")
        .filter({ hasText: "PAVL-2026-0002" })
        .getByRole("button", { name: /^Mettre fin/ })
        .click();
      await manager
        .getByText("Le mandat sur le dossier PAVL-2026-0002 a pris fin.", { exact: false })
        .waitFor();

      await screenshotOnFailure(agent, "federation-mandate-agent", async () => {
        await agent.goto(`${pavlUrl}/`);
        await agent
          .getByText("Vous n'avez accès à aucun dossier de PAVL pour cette organisation.", { exact: false })
          .waitFor();
        assert.equal(await agent.getByText("Resurfaçage de la rue des Érables").count(), 0);
      });
    });
  } finally {
    await agentContext.close();
  }
});

/**
 * A fresh browser context for one journey, kept as a screenshot when it fails. A navigation that the browser refuses
 * (a Content Security Policy stopping a form whose redirects lead to the other process) leaves the page where it was,
 * with nothing on it to say why: what the browser said is added to the failure.
 */
async function journey(name: string, steps: (page: Page) => Promise<void>): Promise<void> {
  assert.ok(launched, "the browser started");
  const { context, page } = await newPage(launched);
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/.test(message.text())) refusals.push(message.text());
  });
  try {
    await screenshotOnFailure(page, name, () => steps(page));
  } catch (error) {
    if (refusals.length === 0) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\nThe browser refused:\n${refusals.join("\n")}`, { cause: error });
  } finally {
    await context.close();
  }
}

/** PAVL's home → « Se connecter avec Guichet » → Guichet's sign-in page → password → the demo app's code. */
async function signInThroughGuichet(page: Page, userCode: string): Promise<void> {
  await page.goto(`${pavlUrl}/`);
  await heading(page, `${SERVICE} (PAVL)`);
  await link(page, "Se connecter avec Guichet").click();
  await heading(page, "Authentification de l'utilisateur");
  assert.equal(new URL(page.url()).origin, guichetUrl);
  assert.equal(pathOf(page), "/connexion");
  await field(page, "Code d'utilisateur (7 lettres et chiffres)").fill(userCode);
  await field(page, "Mot de passe").fill(DEMO_PASSWORD);
  await button(page, "Continuer").click();
  await heading(page, "Authentification de l'utilisateur — deuxième étape");
  await field(page, "Code de vérification").fill(await demoCode(userCode));
  await button(page, "Vérifier").click();
}

async function signedInToPavl(page: Page, name: string): Promise<void> {
  await page.getByText("Vous agissez pour : Ville de Québec (code géographique 23027)").waitFor();
  assert.equal(page.url(), `${pavlUrl}/`);
  await page.getByText(`Bonjour, ${name}`, { exact: false }).waitFor();
  await button(page, "Se déconnecter").waitFor();
}

/** PAVL's list of what Guichet said about the sign-in, term by term. */
async function details(page: Page): Promise<Record<string, string>> {
  const terms = await page.locator("dl dt").allTextContents();
  const values = await page.locator("dl dd").allTextContents();
  return Object.fromEntries(terms.map((term, i) => [squeeze(term), squeeze(values[i] ?? null)]));
}

function backchannelLog(): string {
  const lines = (pavl?.output() ?? "")
    .split("\n")
    .filter((line) => /backchannel|back-channel|logout/.test(line));
  return lines.slice(-10).join("\n") || "(no request to /auth/backchannel-logout)";
}

/**
 * The demo gives its app only to roles that need a factor, and PAVL needs one: without it, Guichet refuses for the
 * factor before it weighs the procuration. QCUSR02 gets the demo app here, as she would add it in « Sécurité du
 * compte », so that her refusal is the one this journey is about: no procuration for the MTMD.
 */
async function giveDemoAppTo(env: NodeJS.ProcessEnv, mfaKey: Buffer, userCode: string): Promise<void> {
  const { users } = await readOffline(env, {
    users: offline.selectFrom("app_user").select("id").where("user_code", "=", userCode),
  });
  const userId = Number(users[0]?.id);
  assert.ok(Number.isInteger(userId), `${userCode} is in the demo`);
  const sealed = sealSecret(mfaKey, userId, DEMO_TOTP_SECRET).toString("hex");
  await readOffline(env, {
    added: offline
      .insertInto("totp_factor")
      .values({
        user_id: userId,
        secret_ciphertext: sql<Buffer>`decode(${sealed}, 'hex')`,
        created_at: sql<Date>`now()`,
        confirmed_at: sql<Date>`now()`,
      })
      .returning("id"),
  });
}

/** SIGTERM, then SIGKILL if the process has not ended in time: `after` must never hang on a stuck child. */
async function stopWithin(child: ChildProcess): Promise<void> {
  const killer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  try {
    await stopProcess(child, "SIGTERM");
  } finally {
    clearTimeout(killer);
  }
}
