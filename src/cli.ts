// The admin command line: npm run guichet -- <command> [options].
import { parseArgs } from "node:util";
import { openConfiguredDatabase, prepareDatabase } from "./bootstrap.js";
import { loadConfig } from "./config.js";
import type { Database } from "./db/database.js";
import { createFirstAdministrator } from "./features/accounts/admin.service.js";
import { loadProgramForm } from "./features/applications/program-forms.js";
import { PasswordHasher } from "./features/auth/password-hasher.js";
import { formatDemoAccounts, seedDemo } from "./features/demo/demo.seed.js";
import { openFileStore } from "./storage/index.js";

const USAGE = `Utilisation : npm run guichet -- <commande> [options]

Commandes :
  migrate                      applique les migrations et charge le catalogue de référence
  seed-demo                    charge les données de démonstration dans une base sans utilisateurs
  admin:create --prenom P --nom N --courriel C [--unite DGI]
                               crée le premier administrateur du ministère (RSE et administrateur
                               des services de l'unité) et affiche son lien d'activation
  form:load --service CODE --fichier F.json
                               charge une nouvelle version du formulaire d'un programme (définition JSON)
`;

async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    await prepareDatabase(database);
    return await work(database);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "migrate": {
      const config = loadConfig();
      const database = await openConfiguredDatabase(config);
      try {
        const applied = await prepareDatabase(database);
        process.stdout.write(
          applied.length ? `Migrations appliquées : ${applied.join(", ")}\n` : "Base à jour.\n",
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    case "seed-demo": {
      const config = loadConfig();
      const hasher = new PasswordHasher(config.argon2, 1);
      const store = openFileStore(config);
      const accounts = await withDatabase((database) =>
        seedDemo(database.db, hasher, new Date(), store, config.mfaEncryptionKey),
      ).finally(() => {
        store.close();
        return hasher.close();
      });
      process.stdout.write(
        accounts.length
          ? `${formatDemoAccounts(accounts)}\n`
          : "La base contient déjà des utilisateurs : rien n'a été chargé.\n",
      );
      return 0;
    }
    case "admin:create": {
      const { values } = parseArgs({
        args: rest,
        options: {
          prenom: { type: "string" },
          nom: { type: "string" },
          courriel: { type: "string" },
          unite: { type: "string", default: "DGI" },
        },
      });
      const config = loadConfig();
      const result = await withDatabase((database) =>
        createFirstAdministrator(database.db, config.publicUrl, new Date(), {
          firstName: values.prenom ?? "",
          lastName: values.nom ?? "",
          email: values.courriel ?? "",
          unitCode: values.unite ?? "DGI",
        }),
      );
      if (!result.ok) {
        process.stderr.write(`${result.message}\n`);
        return 1;
      }
      process.stdout.write(
        `Administrateur créé : ${result.userCode}\nLien d'activation (valide 72 heures, envoyé aussi par courriel) :\n${result.link}\n`,
      );
      return 0;
    }
    case "form:load": {
      const { values } = parseArgs({
        args: rest,
        options: { service: { type: "string" }, fichier: { type: "string" } },
      });
      if (!values.service || !values.fichier) {
        process.stderr.write(USAGE);
        return 2;
      }
      const { service, fichier } = values;
      const { formId } = await withDatabase((database) =>
        loadProgramForm(database.db, service, fichier, new Date()),
      );
      process.stdout.write(`Formulaire chargé pour ${service} (définition ${formId}).\n`);
      return 0;
    }
    default:
      process.stdout.write(USAGE);
      return command === undefined || command === "--help" || command === "aide" ? 0 : 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`Erreur : ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
