// The programs' forms are data: each infrastructure service gets the standard financial-aid form unless it has its
// own. A ministry adds or changes a program's form by loading a JSON definition (npm run guichet -- form:load).
import { readFileSync } from "node:fs";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import * as q from "./applications.queries.js";
import { checkDefinition, type FormDefinition, InvalidDefinition } from "./form-definition.js";

const STANDARD_FORM_URL = new URL("./forms/infrastructure-program.json", import.meta.url);

export function readDefinitionFile(path: string | URL): FormDefinition {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InvalidDefinition(`fichier illisible : ${String(path)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidDefinition(`le fichier n'est pas du JSON valide (${(error as Error).message})`);
  }
  return checkDefinition(value);
}

/** Idempotent: gives every infrastructure service without a form the standard one. Returns how many it added. */
export async function ensureProgramForms(db: Kysely<DB>, now: Date): Promise<number> {
  const missing = await db
    .selectFrom("online_service")
    .select("online_service.id")
    .where("online_service.category", "=", "infrastructures")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("program_form")
            .select("program_form.id")
            .whereRef("program_form.service_id", "=", "online_service.id"),
        ),
      ),
    )
    .execute();
  if (missing.length === 0) return 0;
  const definition = readDefinitionFile(STANDARD_FORM_URL);
  for (const service of missing) await q.insertForm(db, { serviceId: service.id, definition, now });
  return missing.length;
}

/** A new version of one service's form; applications keep the version they were started with. */
export async function loadProgramForm(
  db: Kysely<DB>,
  serviceCode: string,
  path: string,
  now: Date,
): Promise<{ formId: number }> {
  const definition = readDefinitionFile(path);
  const service = await db
    .selectFrom("online_service")
    .select("id")
    .where("code", "=", serviceCode)
    .executeTakeFirst();
  if (!service) throw new InvalidDefinition(`service inconnu : ${serviceCode}`);
  return { formId: await q.insertForm(db, { serviceId: service.id, definition, now }) };
}
