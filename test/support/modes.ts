// Which database the suite runs on, for the few test files whose subject does not depend on it.

/**
 * On the PostgreSQL pass (DATABASE_URL set), the reason a file that checks what is the same in both modes (the HTML
 * and CSS a browser sees, the build of `npm start`) is skipped there: the embedded pass has run it on the same code.
 * Undefined on the embedded database, where such files run. For node:test's `skip` option, and to return early from
 * the file's `before` (which node:test runs even when every test of the file is skipped).
 */
export const SAME_IN_BOTH_MODES: string | undefined = process.env.DATABASE_URL
  ? "the same in both modes: run on the embedded database's pass"
  : undefined;
