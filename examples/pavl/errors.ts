// PAVL's error pages in one catalogue: a stable code each, its status, and what the person reads.
export type PavlError = {
  status: number;
  title: string;
  message: string;
  /** Whether the page offers « Réessayer » (a new sign-in). */
  retry: boolean;
};

export const PAVL_ERRORS = {
  guichet_unavailable: {
    status: 503,
    title: "Guichet est injoignable",
    message: "Guichet ne répond pas pour le moment. Réessayez dans quelques minutes.",
    retry: true,
  },
  sign_in_expired: {
    status: 400,
    title: "Connexion expirée",
    message:
      "Aucune connexion n'était en cours dans ce navigateur, ou elle a expiré. Aucune session n'a été ouverte.",
    retry: true,
  },
  /** Guichet refused (the enterprise layer: no procuration); the reason is Guichet's error_description. */
  access_denied: { status: 403, title: "Accès refusé", message: "Guichet a refusé l'accès", retry: true },
  /** Any other error Guichet answered the authorization request with; the reason names it. */
  sign_in_failed: {
    status: 400,
    title: "Connexion impossible",
    message: "Guichet n'a pas pu vous connecter",
    retry: true,
  },
  /** state, iss, code, PKCE or the ID token failed a check: tampering, or a sign-in from another tab. */
  answer_unverified: {
    status: 400,
    title: "Connexion refusée",
    message:
      "La réponse reçue de Guichet n'a pas pu être vérifiée (elle a peut-être été modifiée en chemin). Aucune session n'a été ouverte.",
    retry: true,
  },
  logout_form_invalid: {
    status: 403,
    title: "Déconnexion refusée",
    message: "Ce formulaire de déconnexion n'est pas valide. Revenez à l'accueil et réessayez.",
    retry: false,
  },
  logout_guichet_unavailable: {
    status: 503,
    title: "Déconnexion",
    message:
      "Vous êtes déconnecté de PAVL, mais Guichet est injoignable : votre session Guichet est peut-être encore ouverte.",
    retry: false,
  },
  form_invalid: {
    status: 403,
    title: "Formulaire refusé",
    message: "Ce formulaire n'est pas valide. Revenez à l'accueil et réessayez. Rien n'a été modifié.",
    retry: false,
  },
  title_invalid: {
    status: 400,
    title: "Titre invalide",
    message: "Le titre d'un dossier compte de 1 à 200 caractères. Rien n'a été modifié.",
    retry: false,
  },
  /** Guichet's decision for application.edit was a denial; the reason is Guichet's, in French. */
  edit_refused: {
    status: 403,
    title: "Modification refusée",
    message: "Guichet ne vous permet pas de modifier ce dossier. Rien n'a été modifié",
    retry: false,
  },
  decision_unavailable: {
    status: 503,
    title: "Guichet est injoignable",
    message:
      "Guichet n'a pas pu dire si vous pouvez modifier ce dossier. Rien n'a été modifié : réessayez plus tard.",
    retry: false,
  },
  not_found: { status: 404, title: "Page introuvable", message: "Cette page n'existe pas.", retry: false },
  bad_request: {
    status: 400,
    title: "Requête invalide",
    message: "Cette requête n'est pas valide.",
    retry: false,
  },
  internal: {
    status: 500,
    title: "Erreur",
    message: "Une erreur inattendue est survenue. Réessayez plus tard.",
    retry: false,
  },
} as const satisfies Record<string, PavlError>;

export type PavlErrorCode = keyof typeof PAVL_ERRORS;
