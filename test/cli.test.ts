// The admin command line, run as a real process: migrate, seed-demo and admin:create on an empty database.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { sql } from "kysely";
import { openDatabase } from "../src/db/database.js";
import { WASM_NODE_FLAGS } from "../src/node-flags.js";
import { offline, readOffline } from "./support/offline-database.js";

const run = promisify(execFile);
const CLI = new URL("../src/cli.ts", import.meta.url).pathname;
/** A program the catalogue does not have: charging stations, with its own fields and rules. */
const PROGRAM_FILE = new URL("./fixtures/charging-stations-program.json", import.meta.url).pathname;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let schema: string | undefined;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "guichet-cli-"));
  env = { ...process.env, DATA_DIR: dataDir, ARGON2_MEMORY_KIB: "1024", ARGON2_TIME_COST: "1" };
  const url = process.env.DATABASE_URL;
  if (url) {
    // On PostgreSQL the commands work in a schema of their own, named through the connection's search_path.
    schema = `cli_${randomBytes(6).toString("hex")}`;
    const admin = await openDatabase({ url });
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    await admin.close();
    const separator = url.includes("?") ? "&" : "?";
    env.DATABASE_URL = `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  }
});

after(async () => {
  if (schema && process.env.DATABASE_URL) {
    const admin = await openDatabase({ url: process.env.DATABASE_URL });
    await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
    await admin.close();
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function guichet(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [...WASM_NODE_FLAGS, "--import", "tsx", CLI, ...args],
      { env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const field = (name: string): unknown =>
      typeof error === "object" && error !== null && name in error ? Reflect.get(error, name) : undefined;
    const code = field("code");
    return {
      code: typeof code === "number" ? code : 1,
      stdout: String(field("stdout") ?? ""),
      stderr: String(field("stderr") ?? ""),
    };
  }
}

test("migrate applies the migrations once, then says the database is up to date", async () => {
  const first = await guichet("migrate");
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Migrations appliquées\s: 0001_foundation\.sql/);
  const second = await guichet("migrate");
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /Base à jour/);
});

test("admin:create refuses missing or invalid details with a French message and creates nobody", async () => {
  const result = await guichet("admin:create", "--prenom", "Ana", "--courriel", "pas-un-courriel");
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Indiquez --prenom, --nom et une adresse --courriel valide/);
  const unknownUnit = await guichet(
    "admin:create",
    "--prenom",
    "Ana",
    "--nom",
    "Roy",
    "--courriel",
    "ana@mamh.example",
    "--unite",
    "XYZ",
  );
  assert.equal(unknownUnit.code, 1);
  assert.match(unknownUnit.stderr, /Unité inconnue\s: XYZ/);
  const { users } = await readOffline(env, { users: offline.selectFrom("app_user").select("id") });
  assert.equal(users.length, 0);
});

test("admin:create makes the first ministry administrator and queues the activation email", async () => {
  const result = await guichet(
    "admin:create",
    "--prenom",
    "Ana",
    "--nom",
    "Roy",
    "--courriel",
    "ana@mamh.example",
    "--unite",
    "DGSE",
  );
  assert.equal(result.code, 0, result.stderr);
  const code = /Administrateur créé\s: ([A-Z0-9]{7})/.exec(result.stdout)?.[1];
  assert.ok(code, result.stdout);
  assert.match(result.stdout, /\/activation\/[A-Za-z0-9_-]{43}/);
  const { rows, mails } = await readOffline(env, {
    rows: offline
      .selectFrom("app_user")
      .innerJoin("organization", "organization.id", "app_user.organization_id")
      .innerJoin("ministry_unit", "ministry_unit.id", "app_user.ministry_unit_id")
      .select([
        "organization.acronym",
        "ministry_unit.code as unit",
        "app_user.is_services_officer",
        "app_user.is_service_admin",
        "app_user.password_hash",
      ])
      .where("app_user.user_code", "=", code),
    mails: offline.selectFrom("mail_outbox").select(["to_address", "subject"]),
  });
  assert.deepEqual(rows, [
    {
      acronym: "MAMH",
      unit: "DGSE",
      is_services_officer: true,
      is_service_admin: true,
      password_hash: null,
    },
  ]);
  assert.deepEqual(mails, [
    { to_address: "ana@mamh.example", subject: `Guichet — activation de votre compte ${code}` },
  ]);
});

test("seed-demo loads nothing into a database that already has users", async () => {
  const result = await guichet("seed-demo");
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /déjà des utilisateurs/);
});

test("form:load adds a program's form from a JSON file; a bad file or an unknown service is refused in French and adds nothing", async () => {
  const forms = async () =>
    (
      await readOffline(env, {
        forms: offline
          .selectFrom("program_form")
          .innerJoin("online_service", "online_service.id", "program_form.service_id")
          .select(["program_form.id", "program_form.version"])
          .where("online_service.code", "=", "D32-PRIMEAU")
          .orderBy("program_form.version"),
      })
    ).forms;
  const before = await forms();
  assert.equal(before.length, 1, "the standard form, loaded at migration");

  const loaded = await guichet("form:load", "--service", "D32-PRIMEAU", "--fichier", PROGRAM_FILE);
  assert.equal(loaded.code, 0, loaded.stderr);
  const after = await forms();
  assert.equal(after.length, 2);
  assert.equal(after[1]?.version, 2);
  assert.equal(loaded.stdout, `Formulaire chargé pour D32-PRIMEAU (définition ${after[1]?.id}).\n`);

  const bad = async (content: string) => {
    const path = join(dataDir, `formulaire-${randomBytes(4).toString("hex")}.json`);
    await writeFile(path, content);
    return guichet("form:load", "--service", "D32-PRIMEAU", "--fichier", path);
  };
  const oneField = (field: object) =>
    JSON.stringify({ sections: [{ id: "a", title: { fr: "A", en: "A" }, fields: [field] }] });
  const refusals: [Awaited<ReturnType<typeof guichet>>, RegExp][] = [
    [await bad("{ pas du JSON"), /Erreur\s: le fichier n'est pas du JSON valide/],
    [
      await bad(oneField({ name: "projet", type: "text", label: { fr: "Projet", en: "Project" } })),
      /un champ nommé « title » \(le titre du projet\) est obligatoire/,
    ],
    [
      await bad(oneField({ name: "title", type: "couleur", label: { fr: "Titre", en: "Title" } })),
      /le champ title a un type inconnu\s: couleur/,
    ],
    [
      await guichet("form:load", "--service", "INCONNU", "--fichier", PROGRAM_FILE),
      /Erreur\s: service inconnu\s: INCONNU/,
    ],
    [
      await guichet("form:load", "--fichier", join(dataDir, "absent.json"), "--service", "D32-PRIMEAU"),
      /fichier illisible/,
    ],
  ];
  for (const [result, message] of refusals) {
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stderr, message);
  }
  const usage = await guichet("form:load", "--service", "D32-PRIMEAU");
  assert.equal(usage.code, 2);
  assert.deepEqual(await forms(), after, "nothing added by a refusal");
});

test("oidc:rotate-keys makes new signing keys and keeps the old ones for verification only; a bad keep time changes nothing", async () => {
  const keys = () =>
    readOffline(env, {
      rows: offline
        .selectFrom("oidc_signing_key")
        .select(["kid", "algorithm", "retired_at", "forget_after"])
        .orderBy("created_at"),
    }).then((result) => result.rows);
  const refused = await guichet("oidc:rotate-keys", "--garder-heures", "un jour");
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--garder-heures doit être un nombre entier d'heures, de 0 à 720/);
  const first = await guichet("oidc:rotate-keys");
  assert.equal(first.code, 0, first.stderr);
  const before = await keys();
  const second = await guichet("oidc:rotate-keys", "--garder-heures", "2");
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /Nouvelles clés de signature\s: .+ \(ES256\), .+ \(RS256\)/);
  assert.match(second.stdout, /Les anciennes servent encore à vérifier pendant 2 heures/);
  const after = await keys();
  const active = after.filter((key) => key.retired_at === null);
  assert.deepEqual(active.map((key) => key.algorithm).sort(), ["ES256", "RS256"]);
  for (const key of before.filter((k) => k.retired_at === null)) {
    const now = after.find((k) => k.kid === key.kid);
    assert.ok(now?.retired_at && now.forget_after, `${key.kid} is retired and kept for a while`);
    assert.equal(new Date(now.forget_after).getTime() - new Date(now.retired_at).getTime(), 2 * 3_600_000);
  }
  assert.equal(refused.stdout, "");
});

test("an unknown command prints the usage and fails", async () => {
  const result = await guichet("n-importe-quoi");
  assert.equal(result.code, 2);
  assert.match(result.stdout, /Utilisation\s: npm run guichet/);
});
