// node-pg's own preparation of a query value (Buffer kept, Date and arrays and objects to text), which @types/pg does
// not declare; the embedded engine's driver uses it so that both modes send values alike.
declare module "pg/lib/utils.js" {
  export function prepareValue(value: unknown): Buffer | string | null;
}
