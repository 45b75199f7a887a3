// The admin command line: npm run guichet -- <command> [options].
import { parseArgs } from "node:util";
import { createBackup, restoreBackup } from "./backup/backup.js";
import { BackupRefusal } from "./backup/manifest.js";
import { openConfiguredDatabase, prepareDatabase } from "./bootstrap.js";
import { loadConfig } from "./config.js";
import type { Database } from "./db/database.js";
import { createFirstAdministrator } from "./features/accounts/admin.service.js";
import { loadProgramForm } from "./features/applications/program-forms.js";
import { PasswordHasher } from "./features/auth/password-hasher.js";
import { formatDemoAccounts, seedDemo } from "./features/demo/demo.seed.js";
import { RETIRED_KEY_KEEP_MS, rotateSigningKeys } from "./features/federation/oidc.keys.js";
import { openFileStore } from "./storage/index.js";

const USAGE = `Utilisation : npm run guichet -- <commande> [options]

Commandes :
  migrate                      applique les migrations et charge le catalogue de référence
  seed-demo                    charge les données de démonstration dans une base sans utilisateurs
  admin:create --prenom P --nom N --courriel C [--unite DGI]
                               crée le premier administrateur du ministère (RSE et administrateur
                               des services de l'unité) et affiche son lien d'activation
  form:load --service CODE --fichier F.json
                               charge une nouvelle version du formulaire d'un programme (définition JSON)
  oidc:rotate-keys [--garder-heures H]
                               remplace les clés de signature du fournisseur OpenID ; les anciennes
                               servent encore à vérifier pendant H heures (24 par défaut ; 0 si elles sont compromises)
  backup --vers FICHIER        écrit une sauvegarde en un seul fichier (tar) : la base (pg_dump avec DATABASE_URL,
                               sinon la base intégrée, serveur arrêté), les fichiers stockés (sur S3 : leur liste,
                               taille et SHA-256, sans copie) et un manifeste (SHA-256, lignes par table, migration)
  restore --depuis FICHIER [--autres-cles]
                               restaure une sauvegarde dans une base et un dossier de fichiers vides, puis vérifie
                               chaque table et chaque fichier contre le manifeste (code 1 au moindre écart)
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
          applied.length ? `Migrations appliquées : ${applied.join(", ")}\n` : "Base à jour.\n",
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
          : "La base contient déjà des utilisateurs : rien n'a été chargé.\n",
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
        `Administrateur créé : ${result.userCode}\nLien d'activation (valide 72 heures, envoyé aussi par courriel) :\n${result.link}\n`,
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
    case "oidc:rotate-keys": {
      const { values } = parseArgs({ args: rest, options: { "garder-heures": { type: "string" } } });
      const raw = values["garder-heures"];
      const hours =
        raw === undefined ? RETIRED_KEY_KEEP_MS / 3_600_000 : /^\d{1,3}$/.test(raw) ? Number(raw) : -1;
      if (hours < 0 || hours > 24 * 30) {
        process.stderr.write(`--garder-heures doit être un nombre entier d'heures, de 0 à 720.\n${USAGE}`);
        return 2;
      }
      const config = loadConfig();
      const now = new Date();
      const made = await withDatabase((database) =>
        rotateSigningKeys(database.db, config.mfaEncryptionKey, now, hours * 3_600_000),
      );
      process.stdout.write(
        `Nouvelles clés de signature : ${made.map((k) => `${k.kid} (${k.algorithm})`).join(", ")}\n` +
          (hours === 0
            ? "Les anciennes ne vérifient plus rien : ce qu'elles ont signé est refusé. "
            : `Les anciennes servent encore à vérifier pendant ${hours} heure${hours > 1 ? "s" : ""}. `) +
          "Redémarrez les serveurs pour qu'ils signent avec les nouvelles.\n",
      );
      return 0;
    }
    case "backup": {
      const { values } = parseArgs({ args: rest, options: { vers: { type: "string" } } });
      if (!values.vers) {
        process.stderr.write(`Indiquez le fichier à écrire : --vers FICHIER\n${USAGE}`);
        return 2;
      }
      const manifest = await createBackup(loadConfig(), values.vers, new Date());
      const stored = manifest.store === "s3" ? manifest.objects.length : manifest.files.length;
      process.stdout.write(
        `Sauvegarde écrite : ${values.vers}\n${Object.keys(manifest.tables).length} tables, ` +
          `${stored} fichier${stored > 1 ? "s" : ""}${manifest.store === "s3" ? " (listés, restés dans le compartiment S3)" : ""}, ` +
          `migration ${manifest.migration?.version ?? "aucune"}.\n`,
      );
      return 0;
    }
    case "restore": {
      const { values } = parseArgs({
        args: rest,
        options: { depuis: { type: "string" }, "autres-cles": { type: "boolean", default: false } },
      });
      if (!values.depuis) {
        process.stderr.write(`Indiquez la sauvegarde à restaurer : --depuis FICHIER\n${USAGE}`);
        return 2;
      }
      const report = await restoreBackup(loadConfig(), values.depuis, {
        otherKeys: values["autres-cles"] === true,
      });
      process.stdout.write(
        `Sauvegarde du ${report.manifest.createdAt} restaurée (migration ${report.manifest.migration?.version ?? "aucune"}).\n`,
      );
      if (report.problems.length === 0) {
        process.stdout.write(
          `Vérification : ${report.tables} tables, ${report.files} fichier${report.files > 1 ? "s" : ""}, ` +
            "toutes les sommes concordent.\n",
        );
        return 0;
      }
      process.stdout.write(
        `Vérification : ${report.problems.length} écart${report.problems.length > 1 ? "s" : ""} avec le manifeste :\n` +
          report.problems.map((problem) => `- ${problem}\n`).join(""),
      );
      return 1;
    }
    default:
      process.stdout.write(USAGE);
      return command === undefined || command === "--help" || command === "aide" ? 0 : 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof BackupRefusal) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Erreur : ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
