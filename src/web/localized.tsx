// Reference data in the page's language: its English on an English page where it has some, else its French, marked
// as French (lang="fr-CA") so that a screen reader pronounces it as French.
import { type ComponentChildren, Fragment } from "preact";
import type { Locale, MessageKey, Translate } from "./messages.js";

/** The text to show, and the language to mark it with when it is not the page's. */
export function localized(
  locale: Locale,
  fr: string,
  en: string | null | undefined,
): { text: string; lang: "fr-CA" | undefined } {
  if (locale === "fr") return { text: fr, lang: undefined };
  return en ? { text: en, lang: undefined } : { text: fr, lang: "fr-CA" };
}

/** For plain text (a message's parameter, an email, a file): the words alone. */
export function localizedText(locale: Locale, fr: string, en: string | null | undefined): string {
  return localized(locale, fr, en).text;
}

/** For a page: the words, in a span marked French when they stand for missing English. */
export function Localized({ locale, fr, en }: { locale: Locale; fr: string; en: string | null | undefined }) {
  const { text, lang } = localized(locale, fr, en);
  return lang ? <span lang={lang}>{text}</span> : text;
}

/** For an element that holds the text alone: its lang attribute, when the text shown is French on an English page. */
export function langOf(locale: Locale, fr: string, en: string | null | undefined): { lang?: "fr-CA" } {
  const { lang } = localized(locale, fr, en);
  return lang ? { lang } : {};
}

/** An online service as the catalogue names it: its code, and its name in the page's language where it has one. */
type NamedService = { code: string; name: string; name_en?: string | null };

/** « D32-PRIMEAU — Programme d'infrastructures municipales d'eau », for a title or a message's parameter. */
export function serviceTitle(locale: Locale, service: NamedService): string {
  return `${service.code} — ${localizedText(locale, service.name, service.name_en)}`;
}

/** The same on a page, its name marked French where it has no English. */
export function ServiceTitle({ locale, service }: { locale: Locale; service: NamedService }) {
  return (
    <>
      {`${service.code} — `}
      <Localized locale={locale} fr={service.name} en={service.name_en} />
    </>
  );
}

/**
 * A name that exists in French only (a municipality's, a body's, a firm's: proper names kept as registered): in a cell
 * or a value of its own, marked French on an English page.
 */
export function FrenchName({ locale, name }: { locale: Locale; name: string }) {
  return <Localized locale={locale} fr={name} en={null} />;
}

/**
 * A message whose parameters may be page elements (a French-only name marked lang="fr-CA" inside an English
 * sentence): the message is translated with a marker in each such place, then cut there and the elements put in.
 */
export function Message({
  t,
  k,
  text = {},
  parts,
}: {
  t: Translate;
  k: MessageKey;
  /** Parameters that are plain text. */
  text?: Record<string, string>;
  /** Parameters that are elements. */
  parts: Record<string, ComponentChildren>;
}) {
  const names = Object.keys(parts);
  const marked = t(k, {
    ...text,
    ...Object.fromEntries(names.map((name, index) => [name, `\u0000${index}\u0000`])),
  });
  return (
    <>
      {marked.split("\u0000").map((piece, index) => {
        if (index % 2 === 0) return piece;
        const name = names[Number(piece)];
        return name === undefined ? null : <Fragment key={name}>{parts[name]}</Fragment>;
      })}
    </>
  );
}
