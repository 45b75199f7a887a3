// Texts of second factors and of the second step of a sign-in (French, then English).

export const fr = {
  "factors.title": "Sécurité du compte",
  "factors.profileLink": "Sécurité du compte\u00a0: deuxième facteur et codes de récupération",
  "factors.intro":
    "Un deuxième facteur protège votre compte même si quelqu'un d'autre connaît votre mot de passe\u00a0: après le mot de passe, Guichet vous demande le code que votre application d'authentification affiche.",
  "factors.totp.heading": "Application d'authentification",
  "factors.totp.none": "Aucune application d'authentification n'est associée à votre compte.",
  "factors.totp.active": "Application d'authentification associée le {date}.",
  "factors.totp.lastUsed": "Dernière utilisation\u00a0: {date}.",
  "factors.totp.add": "Ajouter une application d'authentification",
  "factors.totp.remove": "Retirer l'application d'authentification",
  "factors.totp.removeHint":
    "Sans deuxième facteur, votre mot de passe suffit de nouveau pour entrer dans votre compte, et vos codes de récupération cessent de fonctionner.",
  "factors.totp.removed": "L'application d'authentification a été retirée de votre compte.",
  "factors.totp.added": "L'application d'authentification est associée à votre compte.",
  "factors.enrol.title": "Ajouter une application d'authentification",
  "factors.enrol.scan":
    "Dans votre application d'authentification (par exemple Microsoft Authenticator, Google Authenticator ou FreeOTP), ajoutez un compte en balayant ce code QR.",
  "factors.enrol.qrAlt": "Code QR à balayer avec l'application d'authentification, pour le compte {code}",
  "factors.enrol.manual":
    "Vous ne pouvez pas balayer le code\u202f? Entrez plutôt cette clé dans l'application, comme clé basée sur le temps\u00a0:",
  "factors.enrol.confirmIntro": "Entrez ensuite le code à 6 chiffres que l'application affiche.",
  "factors.enrol.expires": "Confirmez avant {time}\u202f; après, il faudra recommencer.",
  "factors.enrol.none":
    "Aucun ajout n'est en cours, ou la clé a expiré (15 minutes). Recommencez l'ajout de l'application.",
  "factors.code": "Code à 6 chiffres",
  "factors.confirm": "Confirmer",
  "factors.recovery.heading": "Codes de récupération",
  "factors.recovery.left": "Codes inutilisés\u00a0: {count} sur 10, créés le {date}.",
  "factors.recovery.none": "Vous n'avez aucun code de récupération inutilisé.",
  "factors.recovery.needFactor":
    "Les codes de récupération accompagnent un deuxième facteur\u00a0: ajoutez d'abord une application d'authentification ou une clé d'accès.",
  "factors.recovery.renew": "Générer de nouveaux codes",
  "factors.recovery.renewHint":
    "Les nouveaux codes remplacent les anciens, qui cessent aussitôt de fonctionner.",
  "factors.recovery.shownTitle": "Vos codes de récupération",
  "factors.recovery.shownIntro":
    "Conservez ces codes en lieu sûr, ailleurs que sur votre téléphone. Chacun permet une seule fois de vous authentifier si vous n'avez plus votre application. Ils ne seront plus affichés.",
  "factors.recovery.download": "Télécharger les codes (fichier texte)",
  "factors.recovery.done": "J'ai conservé mes codes",
  "factors.file.title": "Guichet — codes de récupération du compte {code}",
  "factors.file.hint": "Chaque code ne sert qu'une fois. Gardez ce fichier hors de votre téléphone.",
  "factors.codeRequired": "Entrez le code à 6 chiffres de votre application d'authentification.",
  "factors.codeFormat": "Le code contient exactement 6 chiffres, sans lettres ni autres caractères.",
  "factors.secondFormat":
    "Entrez les 6 chiffres de votre application, ou un code de récupération de 16 caractères (XXXX-XXXX-XXXX-XXXX).",
  "factors.codeWrong":
    "Ce code est incorrect. Vérifiez que l'heure de votre appareil est juste, puis entrez le code affiché.",
  "factors.recoveryWrong": "Ce code de récupération n'est pas valide ou a déjà servi.",
  "factors.codeReused": "Ce code a déjà servi. Attendez que votre application en affiche un nouveau.",
  "factors.enrolmentExpired":
    "Cette clé a expiré (15 minutes) ou a déjà été confirmée. Recommencez l'ajout de l'application.",
  "factors.totpAlready":
    "Une application d'authentification est déjà associée à votre compte. Retirez-la avant d'en ajouter une autre.",
  "factors.noFactor": "Aucun deuxième facteur n'est associé à votre compte.",
  "factors.mustKeep":
    "Votre rôle exige un deuxième facteur\u00a0: vous ne pouvez pas retirer le seul que vous avez. Ajoutez-en un autre d'abord, ou demandez au responsable des services électroniques (RSE) de réinitialiser vos facteurs.",
  "factors.required.banner":
    "Votre rôle exige un deuxième facteur. Ajoutez-en un au plus tard le {date} (jours restants\u00a0: {days}).",
  "factors.required.blocked":
    "Votre rôle exige un deuxième facteur et le délai pour en ajouter un est écoulé\u00a0: ajoutez-le pour continuer.",
  "factors.required.link": "Ajouter un deuxième facteur",

  "signIn.factor.title": "Authentification de l'utilisateur — deuxième étape",
  "signIn.factor.intro": "Entrez le code à 6 chiffres que votre application d'authentification affiche.",
  "signIn.factor.code": "Code de vérification",
  "signIn.factor.hint":
    "Vous n'avez plus votre application\u202f? Entrez l'un de vos codes de récupération (XXXX-XXXX-XXXX-XXXX).",
  "signIn.factor.submit": "Vérifier",
  "signIn.factor.restart": "Recommencer avec un autre code d'utilisateur",
  "signIn.factor.expired":
    "L'étape de vérification a pris fin. Entrez de nouveau votre code d'utilisateur et votre mot de passe.",

  "factors.mail.added.subject": "Guichet — deuxième facteur ajouté à votre compte",
  "factors.mail.added.body":
    "Bonjour {name},\n\nUne application d'authentification vient d'être associée à votre compte Guichet {code}. Guichet vous demandera désormais son code après votre mot de passe.\n\nSi vous n'êtes pas à l'origine de ce changement, communiquez sans tarder avec le responsable des services électroniques (RSE) de votre organisation.\n\nGuichet",
  "factors.mail.removed.subject": "Guichet — deuxième facteur retiré de votre compte",
  "factors.mail.removed.body":
    "Bonjour {name},\n\nL'application d'authentification de votre compte Guichet {code} vient d'être retirée, et vos codes de récupération ne fonctionnent plus.\n\nSi vous n'êtes pas à l'origine de ce changement, communiquez sans tarder avec le responsable des services électroniques (RSE) de votre organisation.\n\nGuichet",
  "factors.mail.reset.subject": "Guichet — vos facteurs d'authentification ont été réinitialisés",
  "factors.mail.reset.body":
    "Bonjour {name},\n\nLe responsable des services électroniques (RSE) de votre organisation vient de réinitialiser les facteurs d'authentification de votre compte Guichet {code}\u00a0: votre application d'authentification et vos codes de récupération ne fonctionnent plus, et vos sessions ont pris fin. À votre prochaine connexion, ajoutez une application d'authentification dans «\u00a0Mon profil\u00a0» › «\u00a0Sécurité du compte\u00a0».\n\nSi vous n'avez pas demandé cette réinitialisation, communiquez sans tarder avec votre RSE.\n\nGuichet",
  "users.resetFactors": "Réinitialiser les facteurs d'authentification",
  "users.resetFactorsHint":
    "Pour une personne qui a perdu son téléphone\u00a0: son application d'authentification et ses codes de récupération cessent de fonctionner, ses sessions prennent fin, et elle en est avisée par courriel.",
  "users.factorsReset":
    "Les facteurs d'authentification de {code} sont réinitialisés. Un courriel l'en avise à {email}.",
  "factors.mail.throttled.subject": "Guichet — codes de vérification refusés à répétition",
  "factors.mail.throttled.body":
    "Bonjour {name},\n\nDes codes de vérification erronés ont été entrés à répétition pour votre compte Guichet {code}, après le bon mot de passe. Les essais sont maintenant ralentis.\n\nSi ce n'était pas vous, changez votre mot de passe dans «\u00a0Mon profil\u00a0» et avisez le responsable des services électroniques (RSE) de votre organisation.\n\nGuichet",
  "stepUp.title": "Confirmez votre identité",
  "stepUp.intro":
    "Cette opération demande de confirmer votre identité\u00a0: entrez le code à 6 chiffres de votre application d'authentification. Votre saisie est conservée.",
  "stepUp.act": "Opération\u00a0: {act}",
  "stepUp.confirmedTitle": "Identité confirmée",
  "stepUp.confirmedIntro":
    "Votre identité est confirmée et votre saisie est conservée. Confirmez pour terminer l'opération.",
  "stepUp.confirm": "Confirmer",
  "stepUp.expired":
    "Cette opération n'est plus en attente\u00a0: elle a déjà été confirmée, ou plus de 15 minutes se sont écoulées. Recommencez-la au besoin.",
  "stepUp.act.account.create": "créer un compte d'utilisateur",
  "stepUp.act.account.resetPassword": "réinitialiser le mot de passe d'un utilisateur",
  "stepUp.act.account.resetFactors": "réinitialiser les facteurs d'authentification d'un utilisateur",
  "stepUp.act.procuration.create": "créer une procuration",
  "stepUp.act.procuration.change": "modifier une procuration ou ses titulaires",
  "stepUp.act.registry.grant": "accorder un droit d'accès",
  "stepUp.act.registry.change": "modifier un droit d'accès",
  "stepUp.act.registry.revoke": "retirer un droit d'accès",
  "stepUp.act.deputy.name": "nommer un gestionnaire adjoint",
  "stepUp.act.deputy.remove": "retirer un gestionnaire adjoint",
  "stepUp.act.association.add": "associer un mandataire",
  "stepUp.act.association.remove": "dissocier un mandataire",
  "stepUp.act.accessRequest.decide": "approuver ou refuser une demande d'accès",
  "stepUp.act.identificationCode.issue": "émettre un code d'identification",
  "stepUp.act.factor.remove": "retirer un deuxième facteur",
  "passkeys.heading": "Clés d'accès",
  "passkeys.intro":
    "Une clé d'accès (passkey) remplace le code à 6 chiffres\u00a0: votre appareil la déverrouille avec votre empreinte, votre visage ou votre NIP.",
  "passkeys.none": "Aucune clé d'accès n'est associée à votre compte.",
  "passkeys.colName": "Nom",
  "passkeys.colAdded": "Ajoutée le",
  "passkeys.colLastUsed": "Dernière utilisation",
  "passkeys.never": "Jamais",
  "passkeys.remove": "Retirer",
  "passkeys.name": "Nom de la clé d'accès",
  "passkeys.nameHint": "Par exemple «\u00a0Portable bureau\u00a0» (60 caractères au plus).",
  "passkeys.add": "Ajouter une clé d'accès",
  "passkeys.needsScript":
    "L'ajout d'une clé d'accès demande JavaScript et un navigateur qui prend en charge les clés d'accès. Vous pouvez plutôt ajouter une application d'authentification.",
  "passkeys.added": "La clé d'accès est associée à votre compte.",
  "passkeys.removed": "La clé d'accès a été retirée de votre compte.",
  "passkeys.use": "Utiliser une clé d'accès",
  "passkeys.useHint": "Avec JavaScript et un navigateur qui prend en charge les clés d'accès.",
  "passkeys.signInHint": "Ou, sans entrer votre code d'utilisateur\u00a0:",
  "passkeys.nameRequired": "Donnez un nom à la clé d'accès, par exemple «\u00a0Portable bureau\u00a0».",
  "passkeys.nameLength": "Le nom de la clé d'accès compte 60 caractères au plus.",
  "passkeys.responseMissing":
    "La réponse de la clé d'accès est absente ou illisible\u00a0: le navigateur n'a pas pu utiliser de clé d'accès (opération annulée ou non prise en charge). Réessayez, ou utilisez un code.",
  "passkeys.challengeUnknown":
    "Cette demande de clé d'accès a expiré ou a déjà servi. Recommencez avec le bouton.",
  "passkeys.origin":
    "Cette réponse de clé d'accès ne vient pas de l'adresse de Guichet\u00a0: elle est refusée.",
  "passkeys.counter":
    "Le compteur de cette clé d'accès n'a pas augmenté\u00a0: elle a peut-être été copiée. Elle est refusée\u202f; communiquez avec votre RSE si cela se répète.",
  "passkeys.refused": "La clé d'accès n'a pas pu être vérifiée. Réessayez, ou utilisez un code.",
  "passkeys.unknown": "Cette clé d'accès n'est pas associée à ce compte.",
  "passkeys.already": "Cette clé d'accès est déjà enregistrée.",
  "passkeys.notFound": "Cette clé d'accès n'existe pas ou a déjà été retirée.",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "factors.title": "Account security",
  "factors.profileLink": "Account security: second factor and recovery codes",
  "factors.intro":
    "A second factor protects your account even if someone else knows your password: after the password, Guichet asks for the code your authenticator app shows.",
  "factors.totp.heading": "Authenticator app",
  "factors.totp.none": "No authenticator app is linked to your account.",
  "factors.totp.active": "Authenticator app linked on {date}.",
  "factors.totp.lastUsed": "Last used: {date}.",
  "factors.totp.add": "Add an authenticator app",
  "factors.totp.remove": "Remove the authenticator app",
  "factors.totp.removeHint":
    "Without a second factor, your password alone opens your account again, and your recovery codes stop working.",
  "factors.totp.removed": "The authenticator app was removed from your account.",
  "factors.totp.added": "The authenticator app is linked to your account.",
  "factors.enrol.title": "Add an authenticator app",
  "factors.enrol.scan":
    "In your authenticator app (for example Microsoft Authenticator, Google Authenticator or FreeOTP), add an account by scanning this QR code.",
  "factors.enrol.qrAlt": "QR code to scan with the authenticator app, for account {code}",
  "factors.enrol.manual": "Cannot scan the code? Enter this key in the app instead, as a time-based key:",
  "factors.enrol.confirmIntro": "Then enter the 6-digit code the app shows.",
  "factors.enrol.expires": "Confirm before {time}; after that, you will have to start again.",
  "factors.enrol.none": "No app is being added, or the key expired (15 minutes). Start adding the app again.",
  "factors.code": "6-digit code",
  "factors.confirm": "Confirm",
  "factors.recovery.heading": "Recovery codes",
  "factors.recovery.left": "Unused codes: {count} of 10, created on {date}.",
  "factors.recovery.none": "You have no unused recovery code.",
  "factors.recovery.needFactor":
    "Recovery codes come with a second factor: add an authenticator app or a passkey first.",
  "factors.recovery.renew": "Generate new codes",
  "factors.recovery.renewHint": "The new codes replace the old ones, which stop working at once.",
  "factors.recovery.shownTitle": "Your recovery codes",
  "factors.recovery.shownIntro":
    "Keep these codes somewhere safe, away from your phone. Each lets you sign in once if you no longer have your app. They will not be shown again.",
  "factors.recovery.download": "Download the codes (text file)",
  "factors.recovery.done": "I have kept my codes",
  "factors.file.title": "Guichet — recovery codes of account {code}",
  "factors.file.hint": "Each code works once. Keep this file away from your phone.",
  "factors.codeRequired": "Enter the 6-digit code of your authenticator app.",
  "factors.codeFormat": "The code has exactly 6 digits, with no letters or other characters.",
  "factors.secondFormat":
    "Enter the 6 digits of your app, or a 16-character recovery code (XXXX-XXXX-XXXX-XXXX).",
  "factors.codeWrong":
    "This code is incorrect. Check that your device's time is right, then enter the code shown.",
  "factors.recoveryWrong": "This recovery code is not valid or was already used.",
  "factors.codeReused": "This code was already used. Wait for your app to show a new one.",
  "factors.enrolmentExpired":
    "This key expired (15 minutes) or was already confirmed. Start adding the app again.",
  "factors.totpAlready":
    "An authenticator app is already linked to your account. Remove it before adding another one.",
  "factors.noFactor": "No second factor is linked to your account.",
  "factors.mustKeep":
    "Your role requires a second factor: you cannot remove the only one you have. Add another first, or ask your electronic services officer to reset your factors.",
  "factors.required.banner": "Your role requires a second factor. Add one by {date} (days left: {days}).",
  "factors.required.blocked":
    "Your role requires a second factor and the time to add one is over: add it to continue.",
  "factors.required.link": "Add a second factor",

  "signIn.factor.title": "User authentication — second step",
  "signIn.factor.intro": "Enter the 6-digit code your authenticator app shows.",
  "signIn.factor.code": "Verification code",
  "signIn.factor.hint": "No longer have your app? Enter one of your recovery codes (XXXX-XXXX-XXXX-XXXX).",
  "signIn.factor.submit": "Verify",
  "signIn.factor.restart": "Start again with another user code",
  "signIn.factor.expired": "The verification step has ended. Enter your user code and password again.",

  "factors.mail.added.subject": "Guichet — second factor added to your account",
  "factors.mail.added.body":
    "Hello {name},\n\nAn authenticator app was just linked to your Guichet account {code}. From now on, Guichet will ask for its code after your password.\n\nIf you did not make this change, contact your organization's electronic services officer at once.\n\nGuichet",
  "factors.mail.removed.subject": "Guichet — second factor removed from your account",
  "factors.mail.removed.body":
    "Hello {name},\n\nThe authenticator app of your Guichet account {code} was just removed, and your recovery codes no longer work.\n\nIf you did not make this change, contact your organization's electronic services officer at once.\n\nGuichet",
  "factors.mail.reset.subject": "Guichet — your authentication factors were reset",
  "factors.mail.reset.body":
    "Hello {name},\n\nYour organization's electronic services officer just reset the authentication factors of your Guichet account {code}: your authenticator app and your recovery codes no longer work, and your sessions have ended. At your next sign-in, add an authenticator app in “My profile” › “Account security”.\n\nIf you did not ask for this reset, contact your electronic services officer at once.\n\nGuichet",
  "users.resetFactors": "Reset the authentication factors",
  "users.resetFactorsHint":
    "For someone who lost their phone: their authenticator app and recovery codes stop working, their sessions end, and they are told by email.",
  "users.factorsReset": "The authentication factors of {code} are reset. An email tells them at {email}.",
  "factors.mail.throttled.subject": "Guichet — verification codes refused repeatedly",
  "factors.mail.throttled.body":
    "Hello {name},\n\nWrong verification codes were entered repeatedly for your Guichet account {code}, after the right password. Attempts are now slowed down.\n\nIf it was not you, change your password in “My profile” and tell your organization's electronic services officer.\n\nGuichet",
  "stepUp.title": "Confirm your identity",
  "stepUp.intro":
    "This operation asks you to confirm your identity: enter the 6-digit code of your authenticator app. What you entered is kept.",
  "stepUp.act": "Operation: {act}",
  "stepUp.confirmedTitle": "Identity confirmed",
  "stepUp.confirmedIntro":
    "Your identity is confirmed and what you entered is kept. Confirm to complete the operation.",
  "stepUp.confirm": "Confirm",
  "stepUp.expired":
    "This operation is no longer waiting: it was already confirmed, or more than 15 minutes went by. Start it again if needed.",
  "stepUp.act.account.create": "create a user account",
  "stepUp.act.account.resetPassword": "reset a user's password",
  "stepUp.act.account.resetFactors": "reset a user's authentication factors",
  "stepUp.act.procuration.create": "create a procuration",
  "stepUp.act.procuration.change": "change a procuration or its holders",
  "stepUp.act.registry.grant": "grant an access right",
  "stepUp.act.registry.change": "change an access right",
  "stepUp.act.registry.revoke": "revoke an access right",
  "stepUp.act.deputy.name": "name a deputy manager",
  "stepUp.act.deputy.remove": "remove a deputy manager",
  "stepUp.act.association.add": "associate an agent",
  "stepUp.act.association.remove": "dissociate an agent",
  "stepUp.act.accessRequest.decide": "approve or reject an access request",
  "stepUp.act.identificationCode.issue": "issue an identification code",
  "stepUp.act.factor.remove": "remove a second factor",
  "passkeys.heading": "Passkeys",
  "passkeys.intro":
    "A passkey replaces the 6-digit code: your device unlocks it with your fingerprint, your face or your PIN.",
  "passkeys.none": "No passkey is linked to your account.",
  "passkeys.colName": "Name",
  "passkeys.colAdded": "Added on",
  "passkeys.colLastUsed": "Last used",
  "passkeys.never": "Never",
  "passkeys.remove": "Remove",
  "passkeys.name": "Passkey name",
  "passkeys.nameHint": "For instance “Office laptop” (60 characters at most).",
  "passkeys.add": "Add a passkey",
  "passkeys.needsScript":
    "Adding a passkey needs JavaScript and a browser that supports passkeys. You may add an authenticator app instead.",
  "passkeys.added": "The passkey is linked to your account.",
  "passkeys.removed": "The passkey was removed from your account.",
  "passkeys.use": "Use a passkey",
  "passkeys.useHint": "With JavaScript and a browser that supports passkeys.",
  "passkeys.signInHint": "Or, without typing your user code:",
  "passkeys.nameRequired": "Give the passkey a name, for instance “Office laptop”.",
  "passkeys.nameLength": "A passkey's name has 60 characters at most.",
  "passkeys.responseMissing":
    "The passkey's answer is missing or unreadable: the browser could not use a passkey (cancelled or not supported). Try again, or use a code.",
  "passkeys.challengeUnknown":
    "This passkey request has expired or was already used. Start again with the button.",
  "passkeys.origin": "This passkey answer does not come from Guichet's address: it is refused.",
  "passkeys.counter":
    "This passkey's counter did not increase: it may have been copied. It is refused; contact your services officer if this happens again.",
  "passkeys.refused": "The passkey could not be verified. Try again, or use a code.",
  "passkeys.unknown": "This passkey is not linked to this account.",
  "passkeys.already": "This passkey is already registered.",
  "passkeys.notFound": "This passkey does not exist or was already removed.",
};
