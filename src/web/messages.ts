// The one message catalogue: every text the portal shows or sends, in French first and in English.

const fr = {
  "site.name": "Guichet",
  "site.tagline": "Portail gouvernemental des affaires municipales et régionales",
  "site.skip": "Passer au contenu principal",
  "site.home": "Accueil",
  "site.footer": "Guichet — logiciel libre. Tous les renseignements demandés sont confidentiels.",
  "site.langSwitch": "English",
  "site.mainNav": "Navigation principale",
  "header.hello": "Bonjour {name} ({code})",
  "header.profile": "Mon profil",
  "header.signOut": "Déconnexion",
  "header.signIn": "Se connecter",

  "form.required": "* Champ obligatoire",
  "form.errorSummary": "Le formulaire contient des erreurs",
  "form.errorCount": "Veuillez corriger {count} erreur(s) ci-dessous.",
  "form.continue": "Continuer",
  "form.save": "Enregistrer",
  "form.cancel": "Annuler",
  "form.back": "Retour",

  "field.required": "Ce champ est obligatoire.",
  "field.tooLong": "Ce champ ne peut dépasser {max} caractères.",
  "field.email": "Entrez une adresse courriel valide, par exemple nom@exemple.qc.ca.",
  "field.phone": "Entrez un numéro de téléphone à 10 chiffres, par exemple 418 691-2005.",
  "field.extension": "Le poste contient au plus 6 chiffres.",
  "field.civility": "Choisissez M. ou Mme.",
  "field.controlCharacters": "Ce champ contient des caractères non permis.",

  "signIn.title": "Authentification de l'utilisateur",
  "signIn.subtitle": "Saisie des données d'identification",
  "signIn.intro": "Vous êtes à la page d'authentification destinée aux entreprises.",
  "signIn.userCode": "Code d'utilisateur (7 lettres et chiffres)",
  "signIn.password": "Mot de passe",
  "signIn.submit": "Continuer",
  "signIn.failed": "Le code d'utilisateur ou le mot de passe est incorrect.",
  "signIn.throttled": "Trop de tentatives infructueuses. Veuillez réessayer dans {seconds} secondes.",
  "signIn.confidential":
    "Tous les renseignements demandés sont confidentiels. Il vous revient de prendre toutes les mesures à votre portée pour utiliser les services dans des conditions de sécurité optimales.",
  "signIn.noCode":
    "Vous n'avez pas de code d'utilisateur ? Adressez-vous au responsable des services électroniques (RSE) de votre organisation.",
  "signIn.signedOut": "Vous êtes déconnecté.",
  "signIn.expired": "Votre session a pris fin. Veuillez vous authentifier de nouveau.",

  "home.title": "Accueil",
  "home.welcome": "Bienvenue dans le portail, {name}.",
  "home.organization": "Organisation : {organization}",
  "home.rseSection": "Gestion des dossiers des utilisateurs",
  "home.rseUsers": "Utilisateurs de mon organisation",
  "home.rseUsersHint":
    "Créer des comptes, modifier les profils, désactiver un compte ou réinitialiser un mot de passe.",

  "users.title": "Utilisateurs de {organization}",
  "users.create": "Créer un utilisateur",
  "users.empty": "Aucun utilisateur.",
  "users.col.code": "Code d'utilisateur",
  "users.col.name": "Nom",
  "users.col.email": "Courriel",
  "users.col.status": "État",
  "users.col.actions": "Actions",
  "users.status.active": "Actif",
  "users.status.pending": "En attente d'activation",
  "users.status.disabled": "Désactivé",
  "users.edit": "Modifier",
  "users.roleRse": "Responsable des services électroniques",
  "users.createTitle": "Créer un utilisateur",
  "users.createIntro":
    "Le code d'utilisateur est attribué automatiquement. La personne recevra par courriel un lien d'activation valide 72 heures pour choisir son mot de passe.",
  "users.created": "Le compte {code} a été créé. Un lien d'activation a été envoyé à {email}.",
  "users.editTitle": "Profil de {name} ({code})",
  "users.updated": "Le profil a été mis à jour.",
  "users.disable": "Désactiver le compte",
  "users.enable": "Réactiver le compte",
  "users.disabled": "Le compte {code} est désactivé. Ses sessions ont pris fin.",
  "users.enabled": "Le compte {code} est réactivé.",
  "users.resetPassword": "Réinitialiser le mot de passe",
  "users.resetSent": "Un lien de réinitialisation a été envoyé à {email}.",
  "users.accountActions": "Gestion du compte",
  "users.cannotDisableSelf": "Vous ne pouvez pas désactiver votre propre compte.",
  "users.alreadyDisabled": "Le compte {code} était déjà désactivé. Rien n'a été changé.",
  "users.alreadyEnabled": "Le compte {code} était déjà actif. Rien n'a été changé.",
  "users.repeated":
    "Ce formulaire avait déjà été transmis : le compte {code} existe déjà. Aucun autre compte n'a été créé.",

  "person.civility": "Civilité",
  "person.firstName": "Prénom",
  "person.lastName": "Nom",
  "person.jobTitle": "Fonction",
  "person.phone": "Téléphone",
  "person.extension": "Poste",
  "person.email": "Courriel",
  "person.userCode": "Code d'utilisateur",
  "person.organization": "Organisation",

  "profile.title": "Mon profil",
  "profile.intro":
    "Pour modifier vos coordonnées, adressez-vous au responsable des services électroniques (RSE) de votre organisation.",
  "profile.passwordTitle": "Changer mon mot de passe",
  "profile.currentPassword": "Mot de passe actuel",
  "profile.newPassword": "Nouveau mot de passe",
  "profile.confirmPassword": "Confirmer le nouveau mot de passe",
  "profile.passwordChanged": "Votre mot de passe a été changé.",
  "profile.currentWrong": "Le mot de passe actuel est incorrect.",
  "profile.roles": "Rôles",

  "password.rules":
    "Au moins 8 caractères et au plus 128. Tous les caractères sont permis. Évitez les mots de passe courants.",
  "password.tooShort": "Le mot de passe doit contenir au moins 8 caractères.",
  "password.tooLong": "Le mot de passe doit contenir au plus 128 caractères.",
  "password.common": "Ce mot de passe est trop courant. Choisissez-en un autre.",
  "password.mismatch": "Les deux mots de passe ne sont pas identiques.",
  "password.sameAsCode": "Le mot de passe ne doit pas contenir votre code d'utilisateur.",

  "activation.title": "Activation de votre compte",
  "activation.resetTitle": "Réinitialisation de votre mot de passe",
  "activation.intro": "Bonjour {name}. Votre code d'utilisateur est {code}. Choisissez votre mot de passe.",
  "activation.submit": "Enregistrer le mot de passe",
  "activation.done": "Votre mot de passe est enregistré. Vous pouvez maintenant vous authentifier.",
  "activation.invalid":
    "Ce lien n'est plus valide : il a déjà servi ou il a expiré. Demandez un nouveau lien au responsable des services électroniques de votre organisation.",

  "mail.activation.subject": "Guichet — activation de votre compte {code}",
  "mail.activation.body":
    "Bonjour {name},\n\nUn compte a été créé pour vous dans Guichet par {organization}.\n\nVotre code d'utilisateur : {code}\n\nPour choisir votre mot de passe, ouvrez ce lien dans les 72 heures :\n{link}\n\nSi vous n'attendiez pas ce message, ignorez-le.\n\nGuichet",
  "mail.reset.subject": "Guichet — réinitialisation de votre mot de passe",
  "mail.reset.body":
    "Bonjour {name},\n\nLe responsable des services électroniques de {organization} a demandé la réinitialisation de votre mot de passe (code d'utilisateur {code}).\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans les 72 heures :\n{link}\n\nGuichet",

  "error.title": "Erreur",
  "error.not_found": "La page demandée n'existe pas.",
  "error.forbidden": "Vous n'avez pas accès à cette ressource.",
  "error.unauthenticated": "Veuillez vous authentifier pour accéder à cette page.",
  "error.csrf":
    "Le formulaire a expiré ou sa provenance n'a pu être vérifiée. Veuillez recharger la page et réessayer.",
  "error.rate_limited": "Trop de requêtes. Veuillez patienter un moment avant de réessayer.",
  "error.payload_too_large": "La requête est trop volumineuse.",
  "error.bad_request": "La requête est invalide.",
  "error.conflict": "Cette opération a déjà été effectuée ou entre en conflit avec une autre.",
  "error.internal": "Une erreur inattendue est survenue. Veuillez réessayer plus tard.",
  "error.unavailable": "Le service est temporairement indisponible.",
  "error.user_not_found": "Aucun utilisateur ne correspond à ce code.",
  "error.account_disabled": "Ce compte est désactivé. Réactivez-le avant de réinitialiser son mot de passe.",
  "error.backHome": "Retour à l'accueil",
} as const;

export type MessageKey = keyof typeof fr;
export type Catalogue = Record<MessageKey, string>;

const en: Catalogue = {
  "site.name": "Guichet",
  "site.tagline": "Government portal for municipal and regional affairs",
  "site.skip": "Skip to main content",
  "site.home": "Home",
  "site.footer": "Guichet — free software. All information requested is confidential.",
  "site.langSwitch": "Français",
  "site.mainNav": "Main navigation",
  "header.hello": "Hello {name} ({code})",
  "header.profile": "My profile",
  "header.signOut": "Sign out",
  "header.signIn": "Sign in",

  "form.required": "* Required field",
  "form.errorSummary": "The form has errors",
  "form.errorCount": "Please correct {count} error(s) below.",
  "form.continue": "Continue",
  "form.save": "Save",
  "form.cancel": "Cancel",
  "form.back": "Back",

  "field.required": "This field is required.",
  "field.tooLong": "This field cannot exceed {max} characters.",
  "field.email": "Enter a valid email address, for example name@example.qc.ca.",
  "field.phone": "Enter a 10-digit phone number, for example 418 691-2005.",
  "field.extension": "The extension has at most 6 digits.",
  "field.civility": "Choose Mr. or Ms.",
  "field.controlCharacters": "This field contains characters that are not allowed.",

  "signIn.title": "User authentication",
  "signIn.subtitle": "Enter your credentials",
  "signIn.intro": "This is the authentication page for businesses.",
  "signIn.userCode": "User code (7 letters and digits)",
  "signIn.password": "Password",
  "signIn.submit": "Continue",
  "signIn.failed": "The user code or the password is incorrect.",
  "signIn.throttled": "Too many failed attempts. Please try again in {seconds} seconds.",
  "signIn.confidential":
    "All information requested is confidential. It is up to you to take every available measure to use the services securely.",
  "signIn.noCode": "No user code? Ask your organization's electronic services officer.",
  "signIn.signedOut": "You are signed out.",
  "signIn.expired": "Your session has ended. Please sign in again.",

  "home.title": "Home",
  "home.welcome": "Welcome to the portal, {name}.",
  "home.organization": "Organization: {organization}",
  "home.rseSection": "User account management",
  "home.rseUsers": "Users of my organization",
  "home.rseUsersHint": "Create accounts, edit profiles, disable an account or reset a password.",

  "users.title": "Users of {organization}",
  "users.create": "Create a user",
  "users.empty": "No users.",
  "users.col.code": "User code",
  "users.col.name": "Name",
  "users.col.email": "Email",
  "users.col.status": "Status",
  "users.col.actions": "Actions",
  "users.status.active": "Active",
  "users.status.pending": "Awaiting activation",
  "users.status.disabled": "Disabled",
  "users.edit": "Edit",
  "users.roleRse": "Electronic services officer",
  "users.createTitle": "Create a user",
  "users.createIntro":
    "The user code is assigned automatically. The person will receive an activation link by email, valid for 72 hours, to choose a password.",
  "users.created": "Account {code} was created. An activation link was sent to {email}.",
  "users.editTitle": "Profile of {name} ({code})",
  "users.updated": "The profile was updated.",
  "users.disable": "Disable the account",
  "users.enable": "Re-enable the account",
  "users.disabled": "Account {code} is disabled. Its sessions have ended.",
  "users.enabled": "Account {code} is enabled again.",
  "users.resetPassword": "Reset the password",
  "users.resetSent": "A reset link was sent to {email}.",
  "users.accountActions": "Account management",
  "users.cannotDisableSelf": "You cannot disable your own account.",
  "users.alreadyDisabled": "Account {code} was already disabled. Nothing was changed.",
  "users.alreadyEnabled": "Account {code} was already active. Nothing was changed.",
  "users.repeated":
    "This form had already been sent: account {code} already exists. No other account was created.",

  "person.civility": "Title",
  "person.firstName": "First name",
  "person.lastName": "Last name",
  "person.jobTitle": "Position",
  "person.phone": "Phone",
  "person.extension": "Extension",
  "person.email": "Email",
  "person.userCode": "User code",
  "person.organization": "Organization",

  "profile.title": "My profile",
  "profile.intro": "To change your contact details, ask your organization's electronic services officer.",
  "profile.passwordTitle": "Change my password",
  "profile.currentPassword": "Current password",
  "profile.newPassword": "New password",
  "profile.confirmPassword": "Confirm the new password",
  "profile.passwordChanged": "Your password was changed.",
  "profile.currentWrong": "The current password is incorrect.",
  "profile.roles": "Roles",

  "password.rules":
    "At least 8 characters and at most 128. Any character is allowed. Avoid common passwords.",
  "password.tooShort": "The password must have at least 8 characters.",
  "password.tooLong": "The password must have at most 128 characters.",
  "password.common": "This password is too common. Choose another one.",
  "password.mismatch": "The two passwords do not match.",
  "password.sameAsCode": "The password must not contain your user code.",

  "activation.title": "Activate your account",
  "activation.resetTitle": "Reset your password",
  "activation.intro": "Hello {name}. Your user code is {code}. Choose your password.",
  "activation.submit": "Save the password",
  "activation.done": "Your password is saved. You can now sign in.",
  "activation.invalid":
    "This link is no longer valid: it was already used or it has expired. Ask your organization's electronic services officer for a new one.",

  "mail.activation.subject": "Guichet — activate your account {code}",
  "mail.activation.body":
    "Hello {name},\n\nAn account was created for you in Guichet by {organization}.\n\nYour user code: {code}\n\nTo choose your password, open this link within 72 hours:\n{link}\n\nIf you were not expecting this message, ignore it.\n\nGuichet",
  "mail.reset.subject": "Guichet — password reset",
  "mail.reset.body":
    "Hello {name},\n\nThe electronic services officer of {organization} asked to reset your password (user code {code}).\n\nTo choose a new password, open this link within 72 hours:\n{link}\n\nGuichet",

  "error.title": "Error",
  "error.not_found": "The page you asked for does not exist.",
  "error.forbidden": "You do not have access to this resource.",
  "error.unauthenticated": "Please sign in to see this page.",
  "error.csrf":
    "The form has expired or its origin could not be verified. Please reload the page and try again.",
  "error.rate_limited": "Too many requests. Please wait a moment before trying again.",
  "error.payload_too_large": "The request is too large.",
  "error.bad_request": "The request is invalid.",
  "error.conflict": "This operation was already done or conflicts with another one.",
  "error.internal": "An unexpected error occurred. Please try again later.",
  "error.unavailable": "The service is temporarily unavailable.",
  "error.user_not_found": "No user matches this code.",
  "error.account_disabled": "This account is disabled. Enable it before resetting its password.",
  "error.backHome": "Back to home",
};

export type Locale = "fr" | "en";
export const LOCALES: readonly Locale[] = ["fr", "en"];
const catalogues: Record<Locale, Catalogue> = { fr, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  return (key, params) => {
    const text = catalogue[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : String(value);
    });
  };
}

export function isLocale(value: unknown): value is Locale {
  return value === "fr" || value === "en";
}

export function allCatalogues(): Record<Locale, Catalogue> {
  return catalogues;
}
