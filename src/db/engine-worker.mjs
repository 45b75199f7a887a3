// The embedded engine's own thread (engine.ts, WorkerEngine): PGlite, answering one call at a time in arrival order.
// Plain JavaScript, so that it runs without the TypeScript loader. Its parsers are database.ts's: int8 as a number
// (an error beyond 2^53), bytea as bytes, date as 'YYYY-MM-DD'.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

const OID = { int8: 20, bytea: 17, date: 1082 };

const parsers = {
  [OID.int8]: (text) => {
    const value = Number(text);
    if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value out of safe range: ${text}`);
    return value;
  },
  [OID.bytea]: (text) => Buffer.from(text.startsWith("\\x") ? text.slice(2) : text, "hex"),
  [OID.date]: (text) => text,
};

const opened = PGlite.create(workerData.dataDir, { parsers });

/** An error's fields as plain data: its class does not cross threads, its code and detail must. */
function fieldsOf(error) {
  const fields = { message: error instanceof Error ? error.message : String(error) };
  if (error && typeof error === "object")
    for (const [key, value] of Object.entries(error))
      if (value === null || ["string", "number", "boolean"].includes(typeof value)) fields[key] = value;
  return fields;
}

async function run(pglite, op, args) {
  switch (op) {
    case "ready":
      return { result: true };
    case "protocol": {
      const { data } = await pglite.execProtocol(args.message, {
        syncToFs: args.syncToFs,
        throwOnError: false,
      });
      return { result: data, transfer: data.byteOffset === 0 ? [data.buffer] : [] };
    }
    case "exec":
      await pglite.exec(args.script);
      return { result: true };
    case "query":
      return { result: (await pglite.query(args.text, args.parameters)).rows };
    case "close":
      await pglite.close();
      return { result: true };
    default:
      throw new Error(`unknown call ${op}`);
  }
}

let turn = Promise.resolve();

parentPort.on("message", ({ id, op, args }) => {
  turn = turn.then(async () => {
    try {
      const { result, transfer = [] } = await run(await opened, op, args);
      parentPort.postMessage({ id, result }, transfer);
    } catch (error) {
      parentPort.postMessage({ id, error: fieldsOf(error) });
    }
  });
});
