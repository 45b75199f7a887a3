// Kysely's connection to the embedded engine: each statement is one call into PGlite, with values prepared as node-pg
// prepares them for a server.
//
// PGlite's own query() makes six calls into the engine per statement (parse, describe the statement to learn its
// parameter types, bind, describe the portal, execute, sync), each a pass through PostgreSQL's protocol loop in
// WebAssembly, on the event loop's thread. A sign-in runs about ten statements, so those passes were a good part of
// its cost. Here the five messages go in one buffer: the parameters are sent without types, as node-pg sends them to a
// PostgreSQL server, and the server infers each from its place in the statement. Both modes then prepare values the
// same way (pg's own prepareValue), and results are still read by the engine's parsers (int8, bytea, date).
import { type PGlite, parse, protocol } from "@electric-sql/pglite";
import type { CompiledQuery, DatabaseConnection, QueryResult, TransactionSettings } from "kysely";
import { prepareValue } from "pg/lib/utils.js";

const { serialize } = protocol;

type Parsers = Parameters<typeof parse.parseResults>[1];

/** One buffer with every message of an extended-protocol statement, so the engine runs it in a single pass. */
function statementMessage(text: string, parameters: readonly unknown[]): Uint8Array {
  const parts = [
    serialize.parse({ text }),
    serialize.bind({ values: parameters.map((value) => prepareValue(value)) }),
    serialize.describe({ type: "P" }),
    serialize.execute({}),
    serialize.sync(),
  ];
  const message = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}

export class EngineConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  readonly #parsers: Parsers;
  #inTransaction = false;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
    // The parsers given to PGlite.create (int8 as number, bytea as Buffer, date as text) over its defaults.
    this.#parsers = (pglite as unknown as { parsers: Parsers }).parsers;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { rows, affectedRows } = await this.#run(query.sql, query.parameters);
    return {
      rows: rows as R[],
      ...(affectedRows === undefined ? {} : { numAffectedRows: BigInt(affectedRows) }),
    };
  }

  // biome-ignore lint/correctness/useYield: the engine cannot stream; saying so is the whole method.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("the embedded engine does not stream query results");
  }

  async begin(settings: TransactionSettings): Promise<void> {
    let text = "begin";
    if (settings.isolationLevel || settings.accessMode) {
      text = "start transaction";
      if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) text += ` ${settings.accessMode}`;
    }
    await this.#run(text, []);
    this.#inTransaction = true;
  }

  async commit(): Promise<void> {
    this.#inTransaction = false;
    const { command } = await this.#run("commit", []);
    // PostgreSQL ends a COMMIT with ROLLBACK when an earlier error had aborted the transaction.
    if (command === "ROLLBACK")
      throw new Error("the transaction was aborted by an earlier error and rolled back");
  }

  async rollback(): Promise<void> {
    this.#inTransaction = false;
    await this.#run("rollback", []);
  }

  async #run(text: string, parameters: readonly unknown[]) {
    // A file-backed engine writes its pages out after each statement outside a transaction, and after the
    // transaction's end, as PGlite's query() does.
    const { messages } = await this.#pglite.execProtocol(statementMessage(text, parameters), {
      syncToFs: !this.#inTransaction,
    });
    const [result] = parse.parseResults(messages, this.#parsers, { rowMode: "object" });
    if (!result) throw new Error("the embedded engine answered a statement with no result");
    return result as typeof result & { command?: string };
  }
}
