// Form pieces that keep pages accessible: labels, hints, inline errors tied to fields, and an error summary on top.
import { type ComponentChildren, createContext, createElement } from "preact";
import { useContext } from "preact/hooks";
import { AppError } from "../errors.js";
import type { MessageKey, Params, Translate } from "./messages.js";
import type { CarriedInput } from "./return-path.js";

/**
 * The input carried back to a form's page across the language switch (return-path.ts): what the person typed wins
 * over the page's own values, except in password and read-only fields.
 */
export const CarriedInputContext = createContext<CarriedInput>({});

/**
 * On a form's answer, what its fields show, gathered as they render: the input the language switch carries. What a
 * form does not write back (a password, a secret code) is not carried either.
 */
export const ShownInputContext = createContext<CarriedInput | null>(null);

function show(shown: CarriedInput | null, name: string, value: string): string {
  if (shown && value !== "") shown[name] = value;
  return value;
}

export type FieldError = { key: MessageKey; params?: Params };
export type FieldErrors<K extends string = string> = Partial<Record<K, FieldError>>;

/** A civility as the page's language writes it (« M. », « Mme »; "Mr.", "Ms."); the value stored stays French. */
export function civilityText(t: Translate, civility: string): string {
  if (civility === "M.") return t("person.civility.M.");
  if (civility === "Mme") return t("person.civility.Mme");
  return civility;
}

/** The civility choices of a form, written in the page's language, with an empty first choice when optional. */
export function civilityOptions(t: Translate, optional = false): { value: string; label: string }[] {
  return [
    ...(optional ? [{ value: "", label: "—" }] : []),
    ...(["M.", "Mme"] as const).map((value) => ({ value, label: civilityText(t, value) })),
  ];
}

/** The one note about required fields, above every form that marks some with an asterisk; then may add a sentence. */
export function RequiredNote({ t, then }: { t: Translate; then?: MessageKey }) {
  return <p class="hint">{then ? `${t("form.required")} ${t(then)}` : t("form.required")}</p>;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((error) => error !== undefined);
}

export function Notice({
  kind,
  children,
}: {
  kind: "success" | "info" | "error";
  children: ComponentChildren;
}) {
  return (
    <div class={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/**
 * Lists every error with a link to its field; shown first, and focusable so screen readers land on it. Fields named
 * by data rather than by the catalogue (a program's form) give their label as text. A link leads to `champ-<name>`,
 * or to the control `targets` names (the one that mends the error when it belongs to another form).
 */
export function ErrorSummary({
  t,
  errors,
  labels,
  texts = {},
  targets = {},
}: {
  t: Translate;
  errors: FieldErrors;
  labels: Record<string, MessageKey>;
  texts?: Record<string, string>;
  targets?: Record<string, string>;
}) {
  const entries = Object.entries(errors).filter(
    (entry): entry is [string, FieldError] => entry[1] !== undefined,
  );
  if (entries.length === 0) return null;
  return (
    // autofocus: after a failed submission, keyboard and screen-reader users land on the list of errors.
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1} autofocus>
      <h2 id="error-summary-title">{t("form.errorSummary")}</h2>
      <p>{t("form.errorCount", { count: entries.length })}</p>
      <ul>
        {entries.map(([name, error]) => {
          const key = labels[name];
          const label = key ? t(key) : texts[name];
          return (
            <li key={name}>
              <a href={`#${targets[name] ?? `champ-${name}`}`}>
                {label
                  ? t("form.labelled", { label, value: t(error.key, error.params) })
                  : t(error.key, error.params)}
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

type FieldProps = {
  t: Translate;
  name: string;
  label: MessageKey;
  value?: string | null | undefined;
  error?: FieldError | undefined;
  type?: "text" | "email" | "tel" | "password" | "date" | "number";
  required?: boolean;
  hint?: MessageKey;
  autocomplete?: string;
  maxLength?: number;
  readOnly?: boolean;
  inputMode?: "numeric" | "text" | "tel" | "email";
  /** The control's width where its maxLength does not tell the expected answer (a code with room for typing slips). */
  width?: "2xs" | "xs" | "sm" | "md" | "date";
};

/** What a field's control is described by: its hint and its error, by the ids FieldNotes gives them. */
export function describedByOf(id: string, notes: { hint: boolean; error: boolean }): string | undefined {
  return (
    [notes.hint ? `${id}-aide` : "", notes.error ? `${id}-erreur` : ""].filter(Boolean).join(" ") || undefined
  );
}

/** A field's hint (already in words) and error, between its label and its control. */
export function FieldNotes({
  t,
  id,
  hint,
  error,
}: {
  t: Translate;
  id: string;
  hint?: string | null | undefined;
  error?: FieldError | undefined;
}) {
  return (
    <>
      {hint ? (
        <p class="hint" id={`${id}-aide`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`${id}-erreur`}>
          {t(error.key, error.params)}
        </p>
      ) : null}
    </>
  );
}

/**
 * A control's width, from the answer it expects (SDG): a code of five digits, a user code or a postal code of seven
 * characters, a NEQ, a phone number or a date gets a narrow box; free text keeps the column's width (public/guichet.css).
 */
export function widthClassOf(
  props: Pick<FieldProps, "type" | "maxLength" | "inputMode">,
): string | undefined {
  if (props.type === "date") return "input-date";
  if (props.type === "tel" || props.inputMode === "tel") return "input-sm";
  const max = props.maxLength;
  if (max === undefined) return undefined;
  if (max <= 5) return "input-2xs";
  if (max <= 8) return "input-xs";
  if (max <= 15) return "input-sm";
  if (max <= 30) return "input-md";
  return undefined;
}

export function TextField(props: FieldProps) {
  const { t, name, label, error } = props;
  const carried = useContext(CarriedInputContext)[name];
  const shown = useContext(ShownInputContext);
  const id = `champ-${name}`;
  const describedBy = describedByOf(id, { hint: props.hint !== undefined, error: error !== undefined });
  return (
    <div class={error ? "field field-error" : "field"}>
      <label for={id}>
        {t(label)}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <FieldNotes t={t} id={id} hint={props.hint ? t(props.hint) : null} error={error} />
      {createElement("input", {
        id,
        name,
        // preact types <input> as a union keyed on "type"; createElement takes a type chosen at run time.
        type: props.type ?? "text",
        value:
          props.type === "password"
            ? ""
            : show(shown, name, (props.readOnly ? undefined : carried) ?? props.value ?? ""),
        required: props.required,
        "aria-invalid": error ? "true" : undefined,
        "aria-describedby": describedBy,
        autocomplete: props.autocomplete,
        maxLength: props.maxLength,
        readOnly: props.readOnly,
        inputMode: props.inputMode,
        class: props.width ? `input-${props.width}` : widthClassOf(props),
      })}
    </div>
  );
}

/** Free text over several lines, with its hint and error between the label and the box. */
export function TextAreaField({
  t,
  name,
  label,
  hint,
  value,
  error,
  required,
  maxLength,
}: {
  t: Translate;
  name: string;
  label: MessageKey;
  hint?: MessageKey;
  value: string;
  error?: FieldError | undefined;
  required?: boolean;
  maxLength?: number;
}) {
  const id = `champ-${name}`;
  return (
    <div class={error ? "field field-error" : "field"}>
      <label for={id}>
        {t(label)}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <FieldNotes t={t} id={id} hint={hint ? t(hint) : null} error={error} />
      <textarea
        id={id}
        name={name}
        rows={4}
        required={required}
        maxLength={maxLength}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedByOf(id, { hint: hint !== undefined, error: error !== undefined })}
      >
        {show(useContext(ShownInputContext), name, useContext(CarriedInputContext)[name] ?? value)}
      </textarea>
    </div>
  );
}

export function SelectField({
  t,
  name,
  label,
  value,
  error,
  options,
  required,
}: {
  t: Translate;
  name: string;
  label: MessageKey;
  value?: string | null | undefined;
  error?: FieldError | undefined;
  options: { value: string; label: string }[];
  required?: boolean;
}) {
  const id = `champ-${name}`;
  const chosen = show(
    useContext(ShownInputContext),
    name,
    useContext(CarriedInputContext)[name] ?? value ?? "",
  );
  return (
    <div class={error ? "field field-error" : "field"}>
      <label for={id}>
        {t(label)}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {error ? (
        <p class="error-message" id={`${id}-erreur`}>
          {t(error.key, error.params)}
        </p>
      ) : null}
      <select
        id={id}
        name={name}
        required={required}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-erreur` : undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === chosen}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A control of a group of checkboxes or radios that answer to one name: each is described by the group's error (shown
 * once, by FieldNotes, above the group), and the first takes the id the error summary's link leads to, so the link
 * moves the focus into the group.
 */
export function groupControl(
  name: string,
  index: number,
  error: FieldError | undefined,
): { id: string | undefined; "aria-describedby": string | undefined } {
  const id = `champ-${name}`;
  return {
    id: index === 0 ? id : undefined,
    "aria-describedby": describedByOf(id, { hint: false, error: error !== undefined }),
  };
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** A numeric id from a route parameter; anything else is a page that does not exist. */
export function readRouteId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new AppError("not_found");
  return Number(raw);
}

/** Reads named text fields from a form body; anything that is not a single string counts as empty. */
export function readFields<K extends string>(body: unknown, names: readonly K[]): Record<K, string> {
  const source = typeof body === "object" && body !== null ? body : {};
  const result = Object.fromEntries(names.map((name) => [name, ""])) as Record<K, string>;
  for (const name of names) {
    const value: unknown = Object.hasOwn(source, name) ? Reflect.get(source, name) : undefined;
    result[name] = typeof value === "string" ? value.trim() : "";
  }
  return result;
}

/** Like readFields, but keeps spaces: a password is taken exactly as typed. */
export function readRaw(body: unknown, name: string): string {
  const source = typeof body === "object" && body !== null ? body : {};
  const value: unknown = Object.hasOwn(source, name) ? Reflect.get(source, name) : undefined;
  return typeof value === "string" ? value : "";
}
