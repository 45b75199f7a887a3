// Kysely's connection to the embedded engine: each statement is one call into PGlite, with values prepared as node-pg
// prepares them for a server.
//
// PGlite's own query() makes six calls into the engine per statement (parse, describe the statement to learn its
// parameter types, bind, describe the portal, execute, sync), each a pass through PostgreSQL's protocol loop in
// WebAssembly, on the event loop's thread. A sign-in runs about ten statements, so those passes were a good part of
// its cost. Here the five messages go in one buffer: the parameters are sent without types, as node-pg sends them to a
// PostgreSQL server, and the server infers each from its place in the statement. Both modes then prepare values the
// same way (pg's own prepareValue), and results are still read by the engine's parsers (int8, bytea, date).
//
// Each statement's text is also prepared once, under a name, and its plan kept by the engine: the next run sends only
// bind, describe, execute and sync. Planning a sign-in's look-ups (a join, aggregates, five EXISTS) cost more than
// running them. PostgreSQL keeps such a statement correct by itself: it plans again after DDL on what the statement
// reads, and when search_path has changed since (the test databases that share an engine each have their schema).
import { setImmediate as nextTurn } from "node:timers/promises";
import { type PGlite, parse, protocol } from "@electric-sql/pglite";
import type { CompiledQuery, DatabaseConnection, QueryResult, TransactionSettings } from "kysely";
import { prepareValue } from "pg/lib/utils.js";

const { serialize } = protocol;

type Parsers = Parameters<typeof parse.parseResults>[1];

/** PostgreSQL's feature_not_supported, which it answers when a kept plan's result columns would change. */
const CACHED_PLAN_RESULT_CHANGED = "0A000";

/** Statements kept prepared per engine (its one session), the least recently used closed beyond this many. */
const PREPARED_STATEMENTS = 500;

/**
 * The statements prepared on one engine, by text, in order of last use. Shared by every connection on the engine,
 * since the names live in its single session. A name is kept once the engine has parsed it (ParseComplete), even if
 * the statement then failed, so that it is closed in its turn.
 */
export class PreparedStatements {
  readonly #names = new Map<string, string>();
  #closing: string[] = [];
  #next = 1;

  /** The statement's name, and whether it must be parsed first. */
  nameOf(text: string): { name: string; parse: boolean } {
    const name = this.#names.get(text);
    if (name === undefined) return { name: `guichet_${this.#next++}`, parse: true };
    this.#names.delete(text);
    this.#names.set(text, name);
    return { name, parse: false };
  }

  parsed(text: string, name: string): void {
    this.#names.set(text, name);
    while (this.#names.size > PREPARED_STATEMENTS) {
      const oldest = this.#names.entries().next();
      if (oldest.done) break;
      this.#names.delete(oldest.value[0]);
      this.#closing.push(oldest.value[1]);
    }
  }

  /** Forgets a statement whose plan the engine can no longer use: it is closed, and parsed again at its next run. */
  forget(text: string): void {
    const name = this.#names.get(text);
    if (name === undefined) return;
    this.#names.delete(text);
    this.#closing.push(name);
  }

  /** Close messages for the statements evicted since the last call (closing one that does not exist is no error). */
  takeClosing(): Uint8Array[] {
    const closing = this.#closing.map((name) => serialize.close({ type: "S", name }));
    this.#closing = [];
    return closing;
  }
}

/** One buffer with every message of an extended-protocol statement, so the engine runs it in a single pass. */
function statementMessage(
  statement: { name: string; text: string; parse: boolean },
  parameters: readonly unknown[],
  before: readonly Uint8Array[],
): Uint8Array {
  const parts = [
    ...before,
    ...(statement.parse ? [serialize.parse({ name: statement.name, text: statement.text })] : []),
    serialize.bind({ statement: statement.name, values: parameters.map((value) => prepareValue(value)) }),
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
  readonly #prepared: PreparedStatements;
  #inTransaction = false;

  /** prepared: the engine's own, shared by every connection to it (database.ts keeps it with the engine's turn). */
  constructor(pglite: PGlite, prepared: PreparedStatements) {
    this.#pglite = pglite;
    this.#prepared = prepared;
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
    try {
      return await this.#runOnce(text, parameters);
    } catch (error) {
      // A table a kept statement reads with * changed shape since it was prepared (PostgreSQL: « cached plan must not
      // change result type »): prepare it again. In a transaction the error has aborted it: the caller gets the error.
      if (!(error instanceof protocol.messages.DatabaseError) || error.code !== CACHED_PLAN_RESULT_CHANGED)
        throw error;
      this.#prepared.forget(text);
      if (this.#inTransaction) throw error;
      return this.#runOnce(text, parameters);
    }
  }

  async #runOnce(text: string, parameters: readonly unknown[]) {
    // The engine runs a statement within the call, on this thread, and its promise resolves at once: without a pause,
    // a request's statements would all run in one turn of the event loop, and a request that needs no database (a
    // page from memory) would wait behind every statement of the requests ahead of it. One turn per statement lets
    // the loop take in what has arrived meanwhile.
    await nextTurn();
    // A file-backed engine writes its pages out after each statement outside a transaction, and after the
    // transaction's end, as PGlite's query() does.
    const statement = { text, ...this.#prepared.nameOf(text) };
    // Evicted statements are closed outside transactions only, where no earlier error can have aborted one.
    const closing = this.#inTransaction ? [] : this.#prepared.takeClosing();
    const { messages } = await this.#pglite.execProtocol(statementMessage(statement, parameters, closing), {
      syncToFs: !this.#inTransaction,
      throwOnError: false,
    });
    if (statement.parse && messages.some((message) => message.name === "parseComplete"))
      this.#prepared.parsed(text, statement.name);
    const error = messages.find((message) => message instanceof protocol.messages.DatabaseError);
    if (error) throw error;
    const [result] = parse.parseResults(messages, this.#parsers, { rowMode: "object" });
    if (!result) throw new Error("the embedded engine answered a statement with no result");
    return result as typeof result & { command?: string };
  }
}
