// PAVL's pages, as HTML strings: every value from outside goes through escapeHtml, and no page needs JavaScript.

import type { Dossier } from "./dossiers.js";
import { PAVL_ERRORS, type PavlErrorCode } from "./errors.js";
import type { Answer, Link } from "./guichet-api.js";
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

/** What Guichet answered about one dossier: may the person read it, and edit it. */
export type DossierAccess = { dossier: Dossier; client?: string | undefined; read: Answer; edit: Answer };

/** The dossiers part of the home page: those readable, or why none is shown. */
export type DossiersView =
  | { kind: "listed"; dossiers: DossierAccess[]; denied: string | null }
  | { kind: "unavailable" }
  | { kind: "no-organisation" };

export function signedInPage(person: SignedInPerson, dossiers: DossiersView, saved?: Dossier): string {
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
${saved ? html`<p class="notice" role="status">Le titre du dossier ${saved.externalId} est maintenant « ${saved.title} ».</p>` : ""}
${dossiersSection(person, dossiers)}
<form method="post" action="/auth/logout">
<input type="hidden" name="csrf" value="${person.csrfToken}">
<button type="submit">Se déconnecter</button>
</form>`,
  );
}

function dossiersSection(person: SignedInPerson, view: DossiersView): Html {
  if (view.kind === "unavailable") {
    return html`<section aria-labelledby="dossiers"><h2 id="dossiers">Vos dossiers</h2>
<p role="alert">Guichet n'a pas pu indiquer à quels dossiers vous avez accès. Réessayez dans quelques minutes.</p></section>`;
  }
  if (view.kind === "no-organisation") {
    return html`<section aria-labelledby="dossiers"><h2 id="dossiers">Vos dossiers</h2>
<p>Guichet n'a pas indiqué d'organisation pour laquelle vous agissez : aucun dossier ne peut être affiché.</p></section>`;
  }
  if (view.dossiers.length === 0) {
    const why = view.denied ? html` Guichet indique : ${view.denied}.` : "";
    return html`<section aria-labelledby="dossiers"><h2 id="dossiers">Vos dossiers</h2>
<p class="none">Vous n'avez accès à aucun dossier de PAVL pour cette organisation.${why} Les droits d'accès sont accordés dans Guichet, au « Registre des droits d'accès » du service, par la personne qui les gère dans votre organisation.</p></section>`;
  }
  return html`<section aria-labelledby="dossiers"><h2 id="dossiers">Vos dossiers</h2>
${view.dossiers.map((access) => dossierArticle(person, access))}
</section>`;
}

function dossierArticle(person: SignedInPerson, { dossier, client, read, edit }: DossierAccess): Html {
  const id = `dossier-${dossier.externalId}`;
  const shown = edit.allowed ? edit : read;
  const body = edit.allowed
    ? html`<form method="post" action="/dossiers/${encodeURIComponent(dossier.externalId)}">
<input type="hidden" name="csrf" value="${person.csrfToken}">
<label for="${id}-titre">Titre du dossier</label>
<input id="${id}-titre" name="titre" value="${dossier.title}" maxlength="200" required>
<button type="submit">Enregistrer le titre</button>
</form>`
    : html`<p class="read-only">Consultation seulement</p>`;
  return html`<article aria-labelledby="${id}">
<h3 id="${id}">${dossier.title}</h3>
<p class="code">Dossier ${dossier.externalId}</p>
${client ? html`<p class="client">Pour le client : ${client}</p>` : ""}
${body}
${whyPanel(shown)}
</article>`;
}

/** « Pourquoi ai-je accès ? »: Guichet's chain behind the answer, link by link, in French. */
function whyPanel(answer: Answer): Html {
  const until = answer.validUntil
    ? html`<p>Cet accès vaut jusqu'au ${answer.validUntil} au plus tard.</p>`
    : html`<p>Aucun des liens de cette chaîne n'a de date de fin.</p>`;
  return html`<details>
<summary>Pourquoi ai-je accès ?</summary>
<ol>${answer.because.map((link) => html`<li>${linkText(link)}</li>`)}</ol>
${until}
</details>`;
}

const RIGHT_LABELS: Record<string, string> = {
  "requester.write": "Requérant – Rédaction",
  "requester.read": "Requérant – Consultation",
  "agent.write": "Mandataire – Rédaction",
  "agent.read": "Mandataire – Consultation",
};

const DAY = new Intl.DateTimeFormat("fr-CA", {
  timeZone: "America/Toronto",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** An instant as its day in Québec (AAAA-MM-JJ). */
function dayOf(instant: string): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : DAY.format(date);
}

function untilText(until: string | null): string {
  return until ? `jusqu'au ${until}` : "sans date de fin";
}

export function linkText(link: Link): string {
  switch (link.kind) {
    case "servicesOfficer":
      return "Vous êtes la personne responsable des services électroniques (RSE) de votre organisation : toutes ses procurations sont les vôtres.";
    case "procuration":
      return `Procuration de votre organisation couvrant le ministère (n° ${link.id}), valide jusqu'au ${link.until}.`;
    case "localManager":
      return `Gestionnaire local des droits d'accès depuis le ${dayOf(link.since)}.`;
    case "deputy":
      return `Adjoint au gestionnaire local des droits d'accès depuis le ${dayOf(link.since)}.`;
    case "association":
      return `Associé au service par ${link.firm.name} (point de service n° ${link.servicePointId}) depuis le ${dayOf(link.since)}.`;
    case "right":
      return `Droit « ${RIGHT_LABELS[link.right] ?? link.right} » accordé par ${link.grantedBy.name} le ${dayOf(link.since)}, ${untilText(link.until)}.`;
    case "mandate":
      return `Mandat sur le dossier ${link.dossier} depuis le ${dayOf(link.since)}, ${untilText(link.until)}.`;
    default:
      return "Un lien que PAVL ne sait pas décrire.";
  }
}

const REASON_TEXTS: Record<string, string> = {
  no_right: "vous n'avez aucun droit d'accès dans le registre de PAVL pour votre organisation",
  read_only_right: "votre droit d'accès est en consultation seulement",
  not_mandated: "vous n'avez pas de mandat sur ce dossier",
  no_procuration: "aucune procuration de votre organisation ne couvre le ministère",
  service_not_covered: "la procuration de votre organisation ne couvre pas ce service",
  other_organization: "ce dossier appartient à une autre organisation",
  user_disabled: "votre compte Guichet est désactivé",
  unknown_subject: "Guichet ne vous reconnaît pas pour ce service",
  unknown_dossier: "ce dossier n'est pas déclaré à Guichet",
  unknown_organization: "Guichet ne connaît pas votre organisation",
};

/** Guichet's reason code, in French for the person. */
export function reasonText(reason: string | null): string {
  if (!reason) return "accès refusé";
  return REASON_TEXTS[reason] ?? `accès refusé (${reason})`;
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
article{border-top:1px solid #c5cad2;padding:.5rem 0}
h3{margin:.25rem 0}
.read-only{font-weight:bold;color:#4e5662}
.notice{border-left:4px solid #4f813d;padding-left:.75rem}
label{display:block;font-weight:bold}
input[name=titre]{width:100%;max-width:36rem;font:inherit;padding:.3rem;margin:.25rem 0 .5rem}
details{margin:.5rem 0}
summary{cursor:pointer;color:#095797}
`;
