// The one message catalogue: every text the portal shows or sends, in French first and in English.
// Core texts live here; a feature with many texts keeps them in its own *.messages.ts, spread in below.
import * as accessRequestMessages from "../features/access-requests/access-requests.messages.js";
import * as applicationMessages from "../features/applications/applications.messages.js";
import * as backOfficeMessages from "../features/back-office/back-office.messages.js";
import * as externalServiceMessages from "../features/external-services/external-services.messages.js";
import * as factorMessages from "../features/factors/factors.messages.js";
import * as federationMessages from "../features/federation/federation.messages.js";
import * as fileCheckMessages from "../features/file-transfers/file-checks.messages.js";
import * as fileTransferMessages from "../features/file-transfers/file-transfers.messages.js";
import * as journalMessages from "../features/journal/journal.messages.js";
import * as registryMessages from "../features/registry/registry.messages.js";
import * as reminderMessages from "../features/reminders/reminders.messages.js";
import * as reviewMessages from "../features/reviews/reviews.messages.js";
import * as rightRequestMessages from "../features/right-requests/right-requests.messages.js";

const core = {
  "site.name": "Guichet",
  "site.tagline": "Portail gouvernemental des affaires municipales et régionales",
  "site.skip": "Passer au contenu principal",
  "site.home": "Accueil",
  "site.services": "Services en ligne",
  "site.footer": "Guichet — logiciel libre. Tous les renseignements demandés sont confidentiels.",
  "site.langSwitch": "English",
  "site.mainNav": "Navigation principale",
  "header.hello": "Bonjour {name} ({code})",
  "header.profile": "Mon profil",
  "header.signOut": "Déconnexion",
  "header.signIn": "Se connecter",

  "form.required": "Les champs marqués d'un astérisque (*) sont obligatoires.",
  "form.errorSummary": "Le formulaire contient des erreurs",
  "form.labelled": "{label}\u00a0: {value}",
  "form.errorTitle": "Erreur\u00a0: {title}",
  "form.errorCount": "Veuillez corriger {count} {count|erreur|erreurs} ci-dessous.",
  "form.continue": "Continuer",
  "form.save": "Enregistrer",
  "form.cancel": "Annuler",
  "form.back": "Retour",

  "field.required.firstName": "Entrez le prénom.",
  "field.required.lastName": "Entrez le nom.",
  "field.required.email": "Entrez l'adresse courriel.",
  "field.required.jobTitle": "Entrez la fonction.",
  "field.required.phone": "Entrez le numéro de téléphone.",
  "field.required.userCode": "Entrez votre code d'utilisateur.",
  "field.required.password": "Entrez votre mot de passe.",
  "field.required.newPassword": "Entrez le nouveau mot de passe.",
  "field.required.currentPassword": "Entrez votre mot de passe actuel.",
  "field.required.procurationName": "Entrez le nom de la procuration.",
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
  "signIn.throttled": "Trop de tentatives infructueuses. Veuillez réessayer dans {seconds} s.",
  "signIn.confidential":
    "Tous les renseignements demandés sont confidentiels. Il vous revient de prendre toutes les mesures à votre portée pour utiliser les services dans des conditions de sécurité optimales.",
  "signIn.noCode":
    "Vous n'avez pas de code d'utilisateur\u202f? Adressez-vous au responsable des services électroniques (RSE) de votre organisation.",
  "signIn.signedOut": "Vous êtes déconnecté.",
  "signIn.expired": "Votre session a pris fin. Veuillez vous authentifier de nouveau.",

  "home.title": "Accueil",
  "home.welcome": "Bienvenue dans le portail, {name}.",
  "home.organization": "Organisation\u00a0: {organization}",
  "home.rseSection": "Gestion des dossiers des utilisateurs",
  "home.rseUsers": "Utilisateurs de mon organisation",
  "home.rseUsersHint":
    "Créer des comptes, modifier les profils, désactiver un compte ou réinitialiser un mot de passe.",

  "home.procurations": "Gestion des procurations",
  "home.procurationsHint": "Créer des procurations internes, les assigner, les modifier ou y mettre fin.",
  "home.accessRights": "Gestion des droits d'accès",
  "home.accessRightsHint":
    "Donner à un utilisateur le droit d'agir pour l'organisation auprès de ministères, jusqu'à une date.",

  "procurations.title": "Gestion des procurations",
  "procurations.intro":
    "Une procuration interne permet à un employé d'agir au nom de l'organisation auprès des ministères et organismes choisis, jusqu'à la date de fin.",
  "procurations.add": "Ajouter",
  "procurations.addTitle": "Ajouter une procuration",
  "procurations.addIntro": "Choisissez le type de procuration à créer.",
  "procurations.internal": "Interne",
  "procurations.empty": "Aucune procuration.",
  "procurations.name": "Nom de la procuration",
  "procurations.ministries": "Ministères et organismes",
  "procurations.access": "Accès à {ministry}",
  "procurations.services": "Services en ligne visés",
  "procurations.scope": "Accès",
  "procurations.until": "Jusqu'au",
  "procurations.startDate": "Date de début",
  "procurations.endDate": "Date de fin",
  "procurations.endDateHint": "La procuration est valide jusqu'à cette date inclusivement (heure du Québec).",
  "procurations.holders": "Titulaires",
  "procurations.noHolder": "Personne ne détient cette procuration.",
  "procurations.users": "Utilisateurs",
  "procurations.status": "État",
  "procurations.status.valid": "En vigueur",
  "procurations.status.upcoming": "À venir",
  "procurations.status.expired": "Expirée",
  "procurations.status.ended": "Terminée",
  "procurations.unrestricted": "Accès sans restriction (toutes les tâches)",
  "procurations.restricted": "Accès avec restriction",
  "procurations.details": "Détails",
  "procurations.assign": "Assigner",
  "procurations.change": "Modifier",
  "procurations.edit": "Modifier",
  "procurations.transmit": "Transmettre",
  "procurations.newTitle": "Nouvelle procuration interne",
  "procurations.changeTitle": "Modifier la procuration",
  "procurations.summaryTitle": "Résumé",
  "procurations.summaryIntro":
    "Vérifiez le résumé puis, si tout est conforme, cliquez sur «\u00a0Transmettre\u00a0».",
  "procurations.detailTitle": "Procuration\u00a0: {name}",
  "procurations.assignTitle": "Assigner la procuration\u00a0: {name}",
  "procurations.assignSummaryIntro":
    "Les utilisateurs ci-dessous détiendront la procuration «\u00a0{name}\u00a0».",
  "procurations.removeHolder": "Retirer",
  "procurations.endTitle": "Mettre fin à la procuration",
  "procurations.endOn": "Dernier jour de validité",
  "procurations.endOnHint": "Aujourd'hui ou plus tard, au plus tard la date de fin actuelle.",
  "procurations.endAtDate": "Mettre fin à cette date",
  "procurations.endNow": "Mettre fin immédiatement",
  "procurations.created": "La procuration a été créée. Vous pouvez maintenant l'assigner.",
  "procurations.changed": "La procuration a été modifiée.",
  "procurations.assigned":
    "La procuration a été assignée ({count} {count|nouveau titulaire|nouveaux titulaires}).",
  "procurations.repeated": "Ce formulaire avait déjà été transmis. Rien n'a été enregistré de nouveau.",
  "procurations.ended": "La procuration prend fin le {date}.",
  "procurations.alreadyEnded": "Cette procuration avait déjà pris fin. Rien n'a été changé.",
  "procurations.holderRemoved": "Le titulaire a été retiré de la procuration.",
  "procurations.holderAlreadyRemoved": "Cette personne ne détenait déjà plus la procuration.",
  "procurations.mine": "Mes procurations",
  "procurations.mineEmpty": "Vous ne détenez aucune procuration en vigueur.",
  "procurations.mineOfficer":
    "À titre de responsable des services électroniques, vous détenez implicitement toutes les procurations de votre organisation.",
  "procurations.endDate.required": "Indiquez la date de fin.",
  "procurations.endDate.invalid": "Entrez une date valide au format AAAA-MM-JJ, par exemple 2027-03-31.",
  "procurations.endDate.past": "La date de fin doit être dans le futur\u00a0: le {first} au plus tôt.",
  "procurations.endDate.tooFar": "La date de fin ne peut dépasser le {max} ({years} ans).",
  "procurations.end.beforeToday": "Le dernier jour de validité ne peut être dans le passé.",
  "procurations.end.afterEnd":
    "Pour prolonger la procuration, modifiez-la. Le dernier jour doit précéder ou égaler le {end}.",
  "procurations.ministries.required": "Sélectionnez au moins un ministère ou organisme.",
  "procurations.services.required":
    "Avec restriction, sélectionnez au moins un service en ligne de {ministry}.",
  "procurations.users.required": "Sélectionnez au moins un utilisateur.",
  "procurations.users.invalid":
    "Un utilisateur choisi n'appartient pas à votre organisation ou son compte est désactivé.",

  "accessRights.title": "Gestion des droits d'accès",
  "accessRights.intro": "Sélectionnez l'utilisateur concerné, puis cliquez sur «\u00a0Continuer\u00a0».",
  "accessRights.user": "Utilisateur",
  "accessRights.choose": "— Choisissez un utilisateur —",
  "accessRights.userRequired": "Sélectionnez un utilisateur.",
  "accessRights.formTitle": "Droits d'accès de l'utilisateur",
  "accessRights.for": "Procuration pour {name} ({code})",
  "accessRights.defaultName": "Procuration — {name}",
  "accessRights.created": "La procuration a été créée et assignée à {name}.",

  "mail.procurationHolder.assigned.subject": "Guichet — procuration attribuée\u00a0: {procuration}",
  "mail.procurationHolder.assigned.body":
    "Bonjour {name},\n\nLe responsable des services électroniques de votre organisation vous a attribué la procuration «\u00a0{procuration}\u00a0»\u00a0: vous pouvez agir pour l'organisation auprès des ministères qu'elle couvre, jusqu'au {end} inclusivement. Sa portée est indiquée dans «\u00a0Mon profil\u00a0».\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.procurationHolder.changed.subject": "Guichet — procuration modifiée\u00a0: {procuration}",
  "mail.procurationHolder.changed.body":
    "Bonjour {name},\n\nLe responsable des services électroniques de votre organisation a modifié la procuration «\u00a0{procuration}\u00a0» que vous détenez. Elle vaut jusqu'au {end} inclusivement\u202f; sa portée est indiquée dans «\u00a0Mon profil\u00a0».\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.procurationHolder.ended.subject": "Guichet — fin d'une procuration\u00a0: {procuration}",
  "mail.procurationHolder.ended.body":
    "Bonjour {name},\n\nLe responsable des services électroniques de votre organisation a mis fin à la procuration «\u00a0{procuration}\u00a0» que vous déteniez. Vous ne pouvez plus agir pour l'organisation en vertu de celle-ci.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.procurationHolder.endDate.body":
    "Bonjour {name},\n\nLe responsable des services électroniques de votre organisation a avancé la fin de la procuration «\u00a0{procuration}\u00a0» que vous détenez\u00a0: elle vaut jusqu'au {end} inclusivement, puis prend fin.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.procurationHolder.removed.subject": "Guichet — procuration retirée\u00a0: {procuration}",
  "mail.procurationHolder.removed.body":
    "Bonjour {name},\n\nLe responsable des services électroniques de votre organisation vous a retiré la procuration «\u00a0{procuration}\u00a0». Vous ne pouvez plus agir pour l'organisation en vertu de celle-ci.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.procurationReminder.subject": "Guichet — une procuration prend fin dans {days} jours",
  "mail.procurationReminder.body":
    "Bonjour {name},\n\nLa procuration «\u00a0{procuration}\u00a0» de {organization} prend fin le {end}, dans {days} jours.\n\nSi elle doit continuer, le responsable des services électroniques de l'organisation peut la modifier\u00a0:\n{link}\n\nGuichet",

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
    "Ce formulaire avait déjà été transmis\u00a0: le compte {code} existe déjà. Aucun autre compte n'a été créé.",

  "person.civility": "Civilité",
  "person.civility.M.": "M.",
  "person.civility.Mme": "Mme",
  "person.name": "Nom",
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
  "profile.throttled": "Trop de tentatives infructueuses. Veuillez réessayer plus tard.",
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
    "Ce lien n'est plus valide\u00a0: il a déjà servi ou il a expiré. Demandez un nouveau lien au responsable des services électroniques de votre organisation.",

  "mail.activation.subject": "Guichet — activation de votre compte {code}",
  "mail.activation.body":
    "Bonjour {name},\n\nUn compte a été créé pour vous dans Guichet par {organization}.\n\nVotre code d'utilisateur\u00a0: {code}\n\nPour choisir votre mot de passe, ouvrez ce lien dans les 72 heures\u00a0:\n{link}\n\nSi vous n'attendiez pas ce message, ignorez-le.\n\nGuichet",
  "mail.reset.subject": "Guichet — réinitialisation de votre mot de passe",
  "mail.reset.body":
    "Bonjour {name},\n\nLe responsable des services électroniques de {organization} a demandé la réinitialisation de votre mot de passe (code d'utilisateur {code}).\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans les 72 heures\u00a0:\n{link}\n\nGuichet",

  "error.title": "Erreur",
  "error.not_found": "La page demandée n'existe pas.",
  "error.forbidden": "Vous n'avez pas accès à cette ressource.",
  "error.unauthenticated": "Veuillez vous authentifier pour accéder à cette page.",
  "error.csrf":
    "Le formulaire a expiré ou sa provenance n'a pu être vérifiée. Veuillez recharger la page et réessayer.",
  "error.rate_limited": "Trop de requêtes. Veuillez patienter un moment avant de réessayer.",
  "error.payload_too_large": "La requête est trop volumineuse.",
  "error.bad_request": "La requête est invalide.",
  "error.control_character":
    "L'adresse de la page contient un caractère de contrôle invisible (comme NUL) qui n'est pas permis. Vérifiez le lien ou l'adresse saisie.",
  "error.malformed_upload":
    "Le fichier n'a pas été reçu en entier\u00a0: l'envoi a été interrompu ou mal formé. Rien n'a été conservé. Veuillez réessayer.",
  "error.conflict": "Cette opération a déjà été effectuée ou entre en conflit avec une autre.",
  "error.internal": "Une erreur inattendue est survenue. Veuillez réessayer plus tard.",
  "error.unavailable": "Le service est temporairement indisponible.",
  "error.user_not_found": "Aucun utilisateur ne correspond à ce code.",
  "error.account_disabled": "Ce compte est désactivé. Réactivez-le avant de réinitialiser son mot de passe.",
  "error.procuration_inactive":
    "Cette procuration a pris fin ou est expirée\u00a0: elle ne peut plus être assignée ni modifiée.",
  "error.backHome": "Retour à l'accueil",
} as const;

const coreEn: Record<keyof typeof core, string> = {
  "site.name": "Guichet",
  "site.tagline": "Government portal for municipal and regional affairs",
  "site.skip": "Skip to main content",
  "site.home": "Home",
  "site.services": "Online services",
  "site.footer": "Guichet — free software. All information requested is confidential.",
  "site.langSwitch": "Français",
  "site.mainNav": "Main navigation",
  "header.hello": "Hello {name} ({code})",
  "header.profile": "My profile",
  "header.signOut": "Sign out",
  "header.signIn": "Sign in",

  "form.required": "Fields marked with an asterisk (*) are required.",
  "form.errorSummary": "The form has errors",
  "form.labelled": "{label}: {value}",
  "form.errorTitle": "Error: {title}",
  "form.errorCount": "Please correct {count} {count|error|errors} below.",
  "form.continue": "Continue",
  "form.save": "Save",
  "form.cancel": "Cancel",
  "form.back": "Back",

  "field.required.firstName": "Enter the first name.",
  "field.required.lastName": "Enter the last name.",
  "field.required.email": "Enter the email address.",
  "field.required.jobTitle": "Enter the position.",
  "field.required.phone": "Enter the phone number.",
  "field.required.userCode": "Enter your user code.",
  "field.required.password": "Enter your password.",
  "field.required.newPassword": "Enter the new password.",
  "field.required.currentPassword": "Enter your current password.",
  "field.required.procurationName": "Enter the procuration's name.",
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
  "signIn.throttled": "Too many failed attempts. Please try again in {seconds} s.",
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

  "home.procurations": "Procuration management",
  "home.procurationsHint": "Create internal procurations, assign them, change them or end them.",
  "home.accessRights": "Access rights management",
  "home.accessRightsHint": "Let a user act for the organization with ministries, until a date.",

  "procurations.title": "Procuration management",
  "procurations.intro":
    "An internal procuration lets an employee act on behalf of the organization with the chosen ministries and agencies, until its end date.",
  "procurations.add": "Add",
  "procurations.addTitle": "Add a procuration",
  "procurations.addIntro": "Choose the type of procuration to create.",
  "procurations.internal": "Internal",
  "procurations.empty": "No procurations.",
  "procurations.name": "Procuration name",
  "procurations.ministries": "Ministries and agencies",
  "procurations.access": "Access to {ministry}",
  "procurations.services": "Online services covered",
  "procurations.scope": "Access",
  "procurations.until": "Until",
  "procurations.startDate": "Start date",
  "procurations.endDate": "End date",
  "procurations.endDateHint": "The procuration is valid up to and including that day (Québec time).",
  "procurations.holders": "Holders",
  "procurations.noHolder": "Nobody holds this procuration.",
  "procurations.users": "Users",
  "procurations.status": "Status",
  "procurations.status.valid": "In force",
  "procurations.status.upcoming": "Upcoming",
  "procurations.status.expired": "Expired",
  "procurations.status.ended": "Ended",
  "procurations.unrestricted": "Unrestricted access (all tasks)",
  "procurations.restricted": "Restricted access",
  "procurations.details": "Details",
  "procurations.assign": "Assign",
  "procurations.change": "Change",
  "procurations.edit": "Change",
  "procurations.transmit": "Submit",
  "procurations.newTitle": "New internal procuration",
  "procurations.changeTitle": "Change the procuration",
  "procurations.summaryTitle": "Summary",
  "procurations.summaryIntro": "Check the summary and, if everything is right, click “Submit”.",
  "procurations.detailTitle": "Procuration: {name}",
  "procurations.assignTitle": "Assign the procuration: {name}",
  "procurations.assignSummaryIntro": "The users below will hold the procuration “{name}”.",
  "procurations.removeHolder": "Remove",
  "procurations.endTitle": "End the procuration",
  "procurations.endOn": "Last day of validity",
  "procurations.endOnHint": "Today or later, at the latest the current end date.",
  "procurations.endAtDate": "End on that day",
  "procurations.endNow": "End now",
  "procurations.created": "The procuration was created. You can now assign it.",
  "procurations.changed": "The procuration was changed.",
  "procurations.assigned": "The procuration was assigned ({count} {count|new holder|new holders}).",
  "procurations.repeated": "This form had already been submitted. Nothing new was saved.",
  "procurations.ended": "The procuration ends on {date}.",
  "procurations.alreadyEnded": "This procuration had already ended. Nothing was changed.",
  "procurations.holderRemoved": "The holder was removed from the procuration.",
  "procurations.holderAlreadyRemoved": "This person no longer held the procuration.",
  "procurations.mine": "My procurations",
  "procurations.mineEmpty": "You hold no procuration in force.",
  "procurations.mineOfficer":
    "As the electronic services officer, you implicitly hold every procuration of your organization.",
  "procurations.endDate.required": "Enter the end date.",
  "procurations.endDate.invalid": "Enter a valid date in the form YYYY-MM-DD, for example 2027-03-31.",
  "procurations.endDate.past": "The end date must be in the future: {first} at the earliest.",
  "procurations.endDate.tooFar": "The end date cannot be later than {max} ({years} years).",
  "procurations.end.beforeToday": "The last day of validity cannot be in the past.",
  "procurations.end.afterEnd":
    "To extend the procuration, change it. The last day must be on or before {end}.",
  "procurations.ministries.required": "Select at least one ministry or agency.",
  "procurations.services.required":
    "With restricted access, select at least one online service of {ministry}.",
  "procurations.users.required": "Select at least one user.",
  "procurations.users.invalid":
    "A chosen user does not belong to your organization or their account is disabled.",

  "accessRights.title": "Access rights management",
  "accessRights.intro": "Select the user, then click “Continue”.",
  "accessRights.user": "User",
  "accessRights.choose": "— Choose a user —",
  "accessRights.userRequired": "Select a user.",
  "accessRights.formTitle": "The user's access rights",
  "accessRights.for": "Procuration for {name} ({code})",
  "accessRights.defaultName": "Procuration — {name}",
  "accessRights.created": "The procuration was created and assigned to {name}.",

  "mail.procurationHolder.assigned.subject": "Guichet — procuration assigned: {procuration}",
  "mail.procurationHolder.assigned.body":
    "Hello {name},\n\nYour organization's electronic services officer assigned you the procuration “{procuration}”: you may act for the organization with the ministries it covers, through {end}. Its scope is shown in “My profile”.\n\nThis email is sent automatically by Guichet.",
  "mail.procurationHolder.changed.subject": "Guichet — procuration changed: {procuration}",
  "mail.procurationHolder.changed.body":
    "Hello {name},\n\nYour organization's electronic services officer changed the procuration “{procuration}” that you hold. It holds through {end}; its scope is shown in “My profile”.\n\nThis email is sent automatically by Guichet.",
  "mail.procurationHolder.ended.subject": "Guichet — a procuration ended: {procuration}",
  "mail.procurationHolder.ended.body":
    "Hello {name},\n\nYour organization's electronic services officer ended the procuration “{procuration}” that you held. You can no longer act for the organization under it.\n\nThis email is sent automatically by Guichet.",
  "mail.procurationHolder.endDate.body":
    "Hello {name},\n\nYour organization's electronic services officer brought forward the end of the procuration “{procuration}” that you hold: it holds through {end}, then ends.\n\nThis email is sent automatically by Guichet.",
  "mail.procurationHolder.removed.subject": "Guichet — procuration withdrawn: {procuration}",
  "mail.procurationHolder.removed.body":
    "Hello {name},\n\nYour organization's electronic services officer withdrew the procuration “{procuration}” from you. You can no longer act for the organization under it.\n\nThis email is sent automatically by Guichet.",
  "mail.procurationReminder.subject": "Guichet — a procuration ends in {days} days",
  "mail.procurationReminder.body":
    "Hello {name},\n\nThe procuration “{procuration}” of {organization} ends on {end}, in {days} days.\n\nIf it must go on, the organization's electronic services officer can change it:\n{link}\n\nGuichet",

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
  "person.civility.M.": "Mr.",
  "person.civility.Mme": "Ms.",
  "person.name": "Name",
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
  "profile.throttled": "Too many failed attempts. Please try again later.",
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
  "error.control_character":
    "The page's address contains an invisible control character (such as NUL), which is not allowed. Check the link or the address you typed.",
  "error.malformed_upload":
    "The file was not received in full: the upload was interrupted or malformed. Nothing was kept. Please try again.",
  "error.conflict": "This operation was already done or conflicts with another one.",
  "error.internal": "An unexpected error occurred. Please try again later.",
  "error.unavailable": "The service is temporarily unavailable.",
  "error.user_not_found": "No user matches this code.",
  "error.account_disabled": "This account is disabled. Enable it before resetting its password.",
  "error.procuration_inactive":
    "This procuration has ended or expired: it can no longer be assigned or changed.",
  "error.backHome": "Back to home",
};

const fr = {
  ...core,
  ...accessRequestMessages.fr,
  ...backOfficeMessages.fr,
  ...registryMessages.fr,
  ...reminderMessages.fr,
  ...reviewMessages.fr,
  ...factorMessages.fr,
  ...applicationMessages.fr,
  ...fileCheckMessages.fr,
  ...fileTransferMessages.fr,
  ...externalServiceMessages.fr,
  ...federationMessages.fr,
  ...journalMessages.fr,
  ...rightRequestMessages.fr,
} as const;

export type MessageKey = keyof typeof fr;
export type Catalogue = Record<MessageKey, string>;

const en: Catalogue = {
  ...coreEn,
  ...accessRequestMessages.en,
  ...backOfficeMessages.en,
  ...registryMessages.en,
  ...reminderMessages.en,
  ...reviewMessages.en,
  ...factorMessages.en,
  ...applicationMessages.en,
  ...fileCheckMessages.en,
  ...fileTransferMessages.en,
  ...externalServiceMessages.en,
  ...federationMessages.en,
  ...journalMessages.en,
  ...rightRequestMessages.en,
};

export type Locale = "fr" | "en";
export const LOCALES: readonly Locale[] = ["fr", "en"];
const catalogues: Record<Locale, Catalogue> = { fr, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/**
 * {name} is the parameter; {name|singular|plural} chooses by the number in it, by the language's own rule (French
 * says « 0 erreur » and « 1 erreur », English "0 errors" and "1 error"), never « erreur(s) ».
 */
function makeTranslator(catalogue: Catalogue, locale: Locale): Translate {
  const plurals = new Intl.PluralRules(locale === "fr" ? "fr-CA" : "en-CA");
  return (key, params) => {
    const text = catalogue[key];
    if (!params) return text;
    return text.replace(
      /\{(\w+)(?:\|([^|}]*)\|([^|}]*))?\}/g,
      (whole, name: string, one?: string, other?: string) => {
        const value = params[name];
        if (value === undefined) return whole;
        if (one === undefined || other === undefined) return String(value);
        return plurals.select(Number(value)) === "one" ? one : other;
      },
    );
  };
}

/** One translator per language, made once: every request and every mail shares them. */
const translators: Record<Locale, Translate> = { fr: makeTranslator(fr, "fr"), en: makeTranslator(en, "en") };

export function translator(locale: Locale): Translate {
  return translators[locale];
}

export function isLocale(value: unknown): value is Locale {
  return value === "fr" || value === "en";
}

export function allCatalogues(): Record<Locale, Catalogue> {
  return catalogues;
}
