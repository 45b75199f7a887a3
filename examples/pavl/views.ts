// PAVL's pages, as HTML strings: every value from outside goes through escapeHtml, and no page needs JavaScript.
import { PAVL_ERRORS, type PavlErrorCode } from "./errors.js";
import type { Organisation, SignedInPerson } from "./sessions.js";

export const SERVICE_NAME = "Programme d'aide à la voirie locale (PAVL)";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** An HTML fragment whose parts were escaped already. */
type Html = { readonly html: string };

/** The one place where a string becomes HTML: interpolated values are escaped, fragments are kept. */
function html(strings: TemplateStringsArray, ...values: Array<string | Html | Html[]>): Html {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += fragment(value) + (strings[index + 1] ?? "");
  });
  return { html: out };
}

function fragment(value: string | Html | Html[]): string {
  if (typeof value === "string") return escapeHtml(value);
  if (Array.isArray(value)) return value.map((part) => part.html).join("");
  return value.html;
}

function page(title: string, main: Html): string {
  return `<!doctype html>${
    html`<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — PAVL</title>
<link rel="stylesheet" href="/pavl.css">
</head>
<body>
<header><p class="ministry">Ministère des Transports et de la Mobilité durable</p><p class="service"><a href="/">${SERVICE_NAME}</a></p></header>
<main>
${main}
</main>
</body>
</html>
`.html
  }`;
}

export function signedOutPage(): string {
  return page(
    "Accueil",
    html`<h1>${SERVICE_NAME}</h1>
<p>Ce service en ligne du ministère permet aux municipalités de présenter et de suivre leurs demandes d'aide
financière pour l'entretien et l'amélioration du réseau routier local.</p>
<p>Pour y accéder, connectez-vous avec votre code d'utilisateur Guichet.</p>
<p><a class="button" href="/auth/login">Se connecter avec Guichet</a></p>`,
  );
}

export function signedInPage(person: SignedInPerson): string {
  const amr = person.amr.length > 0 ? person.amr.join(", ") : "non précisé";
  return page(
    "Accueil",
    html`<h1>${SERVICE_NAME}</h1>
<p>Bonjour, <strong>${person.name}</strong>${person.email ? html` (${person.email})` : ""}.</p>
<p class="acting-for">Vous agissez pour : <strong>${organisationLabel(person.organisation)}</strong></p>
<dl>
<dt>Niveau d'authentification (acr)</dt><dd>${person.acr ?? "non précisé"}</dd>
<dt>Méthodes d'authentification (amr)</dt><dd>${amr}</dd>
</dl>
<form method="post" action="/auth/logout">
<input type="hidden" name="csrf" value="${person.csrfToken}">
<button type="submit">Se déconnecter</button>
</form>`,
  );
}

function organisationLabel(organisation: Organisation | undefined): string {
  if (!organisation) return "aucune organisation indiquée par Guichet";
  if (organisation.geoCode) return `${organisation.name} (code géographique ${organisation.geoCode})`;
  if (organisation.neq) return `${organisation.name} (NEQ ${organisation.neq})`;
  return organisation.name;
}

/** An error page from the catalogue; reason, when given, is what Guichet said (its error_description). */
export function errorPage(code: PavlErrorCode, reason?: string): string {
  const error = PAVL_ERRORS[code];
  const message = reason ? `${error.message} : ${reason}` : error.message;
  return page(
    error.title,
    html`<h1>${error.title}</h1>
<p role="alert">${message}</p>
<p>${error.retry ? html`<a class="button" href="/auth/login">Réessayer</a> ` : ""}<a href="/">Retour à l'accueil</a></p>
<p class="code">Code : ${code}</p>`,
  );
}

export const STYLESHEET = `body{font-family:system-ui,sans-serif;margin:0;color:#223654;line-height:1.5}
header{background:#095797;color:#fff;padding:.75rem 2rem}
header a{color:#fff;text-decoration:none;font-weight:bold}
header p{margin:0}
main{max-width:48rem;padding:1rem 2rem}
.button,button{display:inline-block;background:#095797;color:#fff;border:0;padding:.6rem 1.2rem;font:inherit;text-decoration:none;cursor:pointer}
.acting-for{font-size:1.2rem}
dt{font-weight:bold}
dd{margin:0 0 .5rem}
[role=alert]{border-left:4px solid #cb381f;padding-left:.75rem}
.code{color:#6b778a;font-size:.85rem}
`;
