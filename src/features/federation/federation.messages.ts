// Texts of signing in to another ministry's online service through Guichet (French, then English).

export const fr = {
  "federation.continue.title": "Connexion à {service}",
  "federation.continue.intro":
    "{service} ({ministry}) vous demande de vous identifier avec Guichet. Ce service exige un deuxième facteur\u00a0: confirmez votre identité pour continuer.",
  "federation.continue.factor": "Confirmer mon identité",
  "federation.refused.title": "Accès refusé à {service}",
  "federation.refused.noProcuration":
    "Pour utiliser {service} au nom de {organization}, il vous faut une procuration valide de votre organisation couvrant le {ministry}. Vous n'en avez pas.",
  "federation.refused.serviceNotCovered":
    "Votre procuration pour le {ministry} est limitée à certains services, et {service} n'en fait pas partie.",
  "federation.refused.noFactor":
    "{service} exige un deuxième facteur (application d'authentification ou clé d'accès), et votre compte n'en a pas.",
  "federation.refused.addFactor": "Ajouter un deuxième facteur dans «\u00a0Sécurité du compte\u00a0»",
  "federation.refused.whoCanGive":
    "La personne responsable des services électroniques (RSE) de votre organisation peut vous la donner\u00a0:",
  "federation.refused.noOfficer":
    "Votre organisation n'a pas de personne responsable des services électroniques (RSE) active\u00a0: communiquez avec le soutien de Guichet.",
  "federation.refused.back": "Retourner à {service}",
  "federation.refused.description": "Aucune procuration valide ne couvre ce service pour cette personne.",
  "federation.refused.descriptionFactor": "Ce service exige un deuxième facteur, que ce compte n'a pas.",
  "federation.expired.title": "Demande de connexion expirée",
  "federation.expired.body":
    "Cette demande de connexion a expiré ou a déjà été utilisée. Retournez au service en ligne et recommencez.",
  "federation.error.title": "Connexion impossible",
  "federation.error.body":
    "Le service en ligne a envoyé une demande de connexion que Guichet ne peut pas accepter. Le service en ligne doit corriger sa demande.",
  "federation.error.code": "Code d'erreur\u00a0: {code}",
  "federation.logout.title": "Se déconnecter",
  "federation.logout.body":
    "Voulez-vous vous déconnecter de Guichet et de tous les services en ligne où vous êtes connecté avec Guichet\u202f?",
  "federation.logout.yes": "Oui, me déconnecter",
  "federation.logout.no": "Non, rester connecté",
  "federation.logout.done.title": "Vous êtes déconnecté",
  "federation.logout.done.body": "Vous êtes déconnecté de Guichet et des services en ligne.",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "federation.continue.title": "Signing in to {service}",
  "federation.continue.intro":
    "{service} ({ministry}) asks you to identify yourself with Guichet. This service requires a second factor: confirm your identity to continue.",
  "federation.continue.factor": "Confirm my identity",
  "federation.refused.title": "Access to {service} refused",
  "federation.refused.noProcuration":
    "To use {service} on behalf of {organization}, you need a valid procuration from your organization covering the {ministry}. You have none.",
  "federation.refused.serviceNotCovered":
    "Your procuration for the {ministry} is limited to some services, and {service} is not one of them.",
  "federation.refused.noFactor":
    "{service} requires a second factor (authenticator app or passkey), and your account has none.",
  "federation.refused.addFactor": "Add a second factor in “Account security”",
  "federation.refused.whoCanGive": "Your organization's electronic services officer (RSE) can give you one:",
  "federation.refused.noOfficer":
    "Your organization has no active electronic services officer (RSE): contact Guichet support.",
  "federation.refused.back": "Back to {service}",
  "federation.refused.description": "No valid procuration covers this service for this person.",
  "federation.refused.descriptionFactor":
    "This service requires a second factor, which this account does not have.",
  "federation.expired.title": "Sign-in request expired",
  "federation.expired.body":
    "This sign-in request has expired or was already used. Go back to the online service and start again.",
  "federation.error.title": "Sign-in impossible",
  "federation.error.body":
    "The online service sent a sign-in request that Guichet cannot accept. The online service must correct its request.",
  "federation.error.code": "Error code: {code}",
  "federation.logout.title": "Sign out",
  "federation.logout.body":
    "Do you want to sign out of Guichet and of every online service you signed in to with Guichet?",
  "federation.logout.yes": "Yes, sign me out",
  "federation.logout.no": "No, stay signed in",
  "federation.logout.done.title": "You are signed out",
  "federation.logout.done.body": "You are signed out of Guichet and of the online services.",
};
