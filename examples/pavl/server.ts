// Starts PAVL: reads its settings, builds the app, listens (npm run example:pavl).
import { buildPavl } from "./app.js";
import { PavlConfigError, readPavlConfig } from "./config.js";

let config: ReturnType<typeof readPavlConfig>;
try {
  config = readPavlConfig();
} catch (error) {
  if (!(error instanceof PavlConfigError)) throw error;
  console.error(`PAVL: ${error.message}`);
  process.exit(1);
}

const app = buildPavl(config.options);
await app.listen({ host: config.host, port: config.port });
console.log(
  `PAVL — Programme d'aide à la voirie locale : ${config.options.publicUrl.href} (Guichet : ${config.options.issuer.href})`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
