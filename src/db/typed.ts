// SQL helpers: a parameter with its SQL type written out (where PostgreSQL cannot infer it from a column), and a
// text made literal inside a LIKE pattern.
import { type RawBuilder, sql } from "kysely";

export type SqlType = "bigint" | "bytea" | "jsonb" | "text" | "text[]" | "timestamptz";

/**
 * In the select list of an INSERT … SELECT, a bare parameter is resolved as text before the target column is known,
 * so a token hash or a date must say what it is.
 */
export function typed<T>(value: T, type: SqlType): RawBuilder<T> {
  return sql<T>`cast(${value} as ${sql.raw(type)})`;
}

/** A LIKE pattern that matches the text literally: %, _ and the backslash lose their meaning. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
