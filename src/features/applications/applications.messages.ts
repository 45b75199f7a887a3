// Texts of financial-aid applications and mandates (French, then English).

export const fr = {
  "applications.field.fileRequired": "Joignez au moins un fichier PDF.",
  "applications.field.required": "Remplissez le champ «\u00a0{label}\u00a0».",
  "applications.title.required": "Entrez le titre du projet.",
  "applications.mandate.numberRequired": "Entrez le numéro de la demande.",
  "applications.mandate.dossierRequired": "Entrez le numéro du dossier.",
  "applications.field.date": "Entrez une date valide, au format AAAA-MM-JJ.",
  "applications.field.atMost": "Ce montant ne peut dépasser le champ «\u00a0{other}\u00a0».",
  "applications.field.notBefore": "Cette date ne peut précéder le champ «\u00a0{other}\u00a0».",
  "applications.money.invalid":
    "Entrez un montant en dollars et en cents, en chiffres seulement, par exemple 1 234,56.",
  "applications.money.negative": "Le montant ne peut pas être négatif.",
  "applications.money.decimals": "Le montant compte au plus 2 décimales (les cents).",
  "applications.money.tooLarge": "Le montant est trop élevé.",
  "applications.noForm":
    "Le formulaire de ce programme n'est pas encore offert. Communiquez avec le ministère.",
  "applications.alreadyTransmitted":
    "Cette demande a déjà été transmise\u00a0: elle ne peut plus être modifiée. Pour la modifier, créez-en une nouvelle version.",
  "applications.staleRevision":
    "Quelqu'un a enregistré cette demande depuis que vous l'avez ouverte. Vos changements n'ont pas été enregistrés\u00a0: ouvrez la version actuelle, puis refaites vos changements.",
  "applications.notAnAgent":
    "Cette personne ne détient pas de droit de mandataire pour votre organisation dans ce service. Accordez-lui d'abord un droit «\u00a0Mandataire – Rédaction\u00a0» ou «\u00a0Mandataire – Consultation\u00a0» dans le Registre des droits d'accès.",
  "applications.alreadyMandated": "Cette personne est déjà mandatée pour cette demande.",
  "applications.mandateAlreadyEnded": "Ce mandat a déjà pris fin. Rien n'a été modifié.",
  "mail.applicationTransmitted.subject":
    "Guichet — accusé de réception de votre demande ({service}, transmission {number})",
  "mail.applicationTransmitted.body":
    "Bonjour {name},\n\nLa demande d'aide financière «\u00a0{title}\u00a0» (no {application}) de {organization} a été transmise dans le service en ligne {service}.\n\nNuméro de transmission\u00a0: {number}\nDate et heure\u00a0: {date}\n\nLa demande transmise ne peut plus être modifiée.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.mandateAssigned.subject": "Guichet — nouveau mandat ({service})",
  "mail.mandateAssigned.body":
    "Bonjour {name},\n\n{organization} vous a mandaté pour la demande {application} dans le service en ligne {service}.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "applications.home.title": "Demandes d'aide financière",
  "applications.home.list": "{service} — demandes de {organization}",
  "applications.home.mandatesHint":
    "Attribuer les demandes de votre organisation aux mandataires, et mettre fin aux mandats.",
  "applications.list.title": "Demandes d'aide financière",
  "applications.list.heading": "Demandes",
  "applications.list.empty": "Aucune demande à afficher.",
  "applications.list.new": "Nouvelle demande",
  "applications.list.newTitle": "Titre du projet",
  "applications.list.newHint": "La demande est créée comme brouillon\u202f; vous la remplirez ensuite.",
  "applications.list.create": "Créer le brouillon",
  "applications.col.number": "Numéro",
  "applications.col.title": "Titre",
  "applications.col.status": "État",
  "applications.col.updated": "Dernière modification",
  "applications.col.updatedBy": "Par",
  "applications.status.draft": "Brouillon",
  "applications.status.transmitted": "Transmise",
  "applications.created": "La demande no {number} a été créée comme brouillon.",
  "applications.saved": "La demande a été enregistrée.",
  "applications.page.title": "Demande no {number} — {title}",
  "applications.page.status": "État\u00a0:",
  "applications.page.transmittedOn": "transmise le {date}, numéro de transmission {number}",
  "applications.page.updatedOn": "dernière modification le {date} par {name}",
  "applications.form.draftHint":
    "Ils le sont pour transmettre la demande\u00a0: un brouillon peut être enregistré incomplet.",
  "applications.form.save": "Enregistrer",
  "applications.form.openCurrent": "Ouvrir la version actuelle de la demande",
  "applications.value.empty": "Non rempli",
  "applications.backToList": "Retour à la liste des demandes",
  "applications.backToApplication": "Retour à la demande",
  "applications.attachment.title": "Pièces jointes",
  "applications.attachment.intro":
    "Enregistrez d'abord vos changements au formulaire\u00a0: ajouter ou supprimer une pièce jointe recharge la page. Seuls les fichiers PDF sont acceptés.",
  "applications.attachment.choose": "Fichier PDF à joindre\u00a0: {field}",
  "applications.attachment.hint":
    "Un fichier PDF à la fois\u202f; au plus {max} {max|fichier|fichiers} pour ce champ.",
  "applications.attachment.add": "Ajouter",
  "applications.attachment.remove": "Supprimer",
  "applications.attachment.none": "Aucun fichier joint.",
  "applications.attachment.full":
    "Ce champ a atteint son maximum de {max} {max|fichier|fichiers}. Supprimez-en un pour en joindre un autre.",
  "applications.attachment.added": "Le fichier «\u00a0{name}\u00a0» a été joint à la demande.",
  "applications.attachment.removed": "Le fichier «\u00a0{name}\u00a0» a été retiré de la demande.",
  "applications.attachment.alreadyRemoved": "Ce fichier avait déjà été retiré. Rien n'a été modifié.",
  "applications.attachment.notPdf":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: seuls les fichiers PDF (.pdf) sont acceptés. Rien n'en a été conservé.",
  "applications.attachment.tooLarge":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: il dépasse la taille maximale de {max}. Rien n'en a été conservé.",
  "applications.attachment.tooMany":
    "Ce champ accepte au plus {max} {max|fichier|fichiers}. Supprimez-en un avant d'en joindre un autre.",
  "applications.attachment.notMultipart":
    "Le fichier doit être envoyé au moyen du bouton «\u00a0Ajouter\u00a0» de la demande.",
  "applications.transmit.title": "Transmission",
  "applications.transmit.intro":
    "Une fois transmise au ministère, la demande ne peut plus être modifiée. Ce qui est transmis est la demande telle qu'enregistrée\u00a0: enregistrez d'abord vos changements.",
  "applications.transmit.button": "Transmettre",
  "applications.transmit.confirmTitle": "Transmettre la demande no {number}",
  "applications.transmit.warning":
    "Vérifiez la demande ci-dessous. Après la transmission, elle ne pourra plus être modifiée\u202f; une nouvelle version sera nécessaire pour tout changement.",
  "applications.transmit.confirm": "Confirmer la transmission",
  "applications.transmitted.title": "Demande transmise",
  "applications.transmitted.notice":
    "La demande a été transmise avec succès le {date}. Le numéro de transmission est le\u00a0: {number}",
  "applications.transmitted.application": "Demande no {number} — {title}",
  "applications.transmitted.receipt":
    "Un accusé de réception indiquant le numéro et la date de transmission vous est envoyé par courriel.",
  "applications.transmitted.view": "Consulter la demande transmise",
  "applications.version.new": "Créer une nouvelle version",
  "applications.version.newHint":
    "La demande transmise reste telle quelle\u202f; la nouvelle version en est une copie, en brouillon, que vous pourrez modifier puis transmettre.",
  "applications.version.created":
    "La demande no {number} a été créée comme nouvelle version de la demande no {previous}.",
  "applications.version.nextExists": "Une nouvelle version de cette demande existe déjà.",
  "applications.version.open": "Ouvrir la demande no {number}",
  "applications.version.title": "Demande no {number} — version {revision}",
  "applications.version.savedAt": "Version enregistrée le {date} ({status}).",
  "applications.versions.link": "Versions",
  "applications.versions.title": "Versions de la demande no {number}",
  "applications.versions.revision": "Version",
  "applications.versions.savedAt": "Enregistrée le",
  "applications.versions.savedBy": "Par",
  "applications.versions.view": "Version {revision}",
  "applications.versions.back": "Retour aux versions",
  "applications.mandates.title": "Gestion des mandats",
  "applications.mandates.intro":
    "Les mandats en cours de votre organisation dans les services en ligne des programmes d'infrastructures où vous êtes gestionnaire local ou adjoint. Un mandataire n'a accès qu'aux demandes qui lui sont confiées.",
  "applications.mandates.current": "Mandats en cours",
  "applications.mandates.empty": "Aucun mandat en cours.",
  "applications.mandates.service": "Service en ligne",
  "applications.mandates.application": "Demande",
  "applications.mandates.agent": "Mandataire",
  "applications.mandates.since": "Attribué",
  "applications.mandates.assigned": "le {date} par {name}",
  "applications.mandates.end": "Mettre fin",
  "applications.mandate.assignTitle": "Attribuer un mandat",
  "applications.mandate.assignHint":
    "Confiez cette demande à un mandataire qui détient un droit «\u00a0Mandataire – Rédaction\u00a0» ou «\u00a0Mandataire – Consultation\u00a0» pour votre organisation dans ce service.",
  "applications.mandate.number": "Numéro de la demande",
  "applications.mandate.agentCode": "Code d'utilisateur du mandataire",
  "applications.mandate.agentHint": "7 lettres et chiffres, par exemple FGCUSR1.",
  "applications.mandate.confirmTitle": "Confirmer le mandat",
  "applications.mandate.confirm": "Confirmer",
  "applications.mandate.assigned": "{name} est maintenant mandaté pour la demande no {number}.",
  "applications.mandate.ended":
    "Le mandat sur la demande no {number} a pris fin. Le mandataire n'y a plus accès.",
  "applications.mandate.numberInvalid": "Entrez le numéro de la demande, en chiffres seulement.",
  "applications.mandate.numberUnknown": "Aucune demande de votre organisation ne porte ce numéro.",
  "applications.mandate.notManager":
    "Vous n'êtes ni gestionnaire local ni adjoint de votre organisation dans le service {service} de cette demande\u202f; vous ne pouvez pas y attribuer de mandat.",
  "applications.alreadyMandatedDossier": "Cette personne est déjà mandatée pour ce dossier.",
  "mail.mandateAssignedDossier.body":
    "Bonjour {name},\n\n{organization} vous a mandaté pour le dossier {application} dans le service en ligne {service}.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.mandateEnded.subject": "Guichet — fin d'un mandat ({service})",
  "mail.mandateEnded.body":
    "Bonjour {name},\n\n{organization} a mis fin à votre mandat pour la demande {application} dans le service en ligne {service}.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.mandateEndedDossier.body":
    "Bonjour {name},\n\n{organization} a mis fin à votre mandat pour le dossier {application} dans le service en ligne {service}.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.mandateEndedClosed.body":
    "Bonjour {name},\n\nLe service en ligne {service} a fermé le dossier {application} de {organization}\u00a0: votre mandat sur ce dossier a pris fin.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "stepUp.act.mandate.assign": "attribuer un mandat",
  "stepUp.act.mandate.end": "mettre fin à un mandat",
  "applications.mandates.dossiersTitle": "Dossiers à mandater",
  "applications.mandates.dossiersIntro":
    "Choisissez un service pour voir les dossiers de votre organisation\u00a0: les demandes faites dans Guichet et les dossiers que le service en ligne a déclarés.",
  "applications.mandates.dossiersOf": "Dossiers de {service}",
  "applications.mandate.dossier": "Dossier",
  "applications.mandate.dossierUnknown":
    "Aucun dossier de votre organisation ne porte cet identifiant dans ce service.",
  "applications.mandate.dossierClosed":
    "Ce dossier est fermé par le service en ligne\u00a0: on ne peut plus y attribuer de mandat.",
  "applications.mandate.assignedDossier": "{name} est maintenant mandaté pour le dossier {number}.",
  "applications.mandate.endedDossier":
    "Le mandat sur le dossier {number} a pris fin. Le mandataire n'y a plus accès.",
  "applications.dossiers.title": "Gestion des mandats — {service}",
  "applications.dossiers.intro":
    "Les dossiers de {organization} dans {service}. Le contenu des dossiers n'est pas affiché\u00a0: il est réservé aux personnes qui y ont accès.",
  "applications.dossiers.filters": "Filtrer les dossiers",
  "applications.dossiers.text": "Numéro, identifiant ou titre",
  "applications.dossiers.agentFilter": "Mandataire",
  "applications.dossiers.anyAgent": "Tous",
  "applications.dossiers.noAgent": "Aucun mandataire",
  "applications.dossiers.filter": "Filtrer",
  "applications.dossiers.count": "{count} {count|dossier|dossiers}",
  "applications.dossiers.empty": "Aucun dossier ne correspond à ces critères.",
  "applications.dossiers.reference": "Numéro ou identifiant",
  "applications.dossiers.titleCol": "Titre",
  "applications.dossiers.status": "État",
  "applications.dossiers.agents": "Mandataires actuels",
  "applications.dossiers.mandate": "Mandater",
  "applications.dossiers.none": "Aucun",
  "applications.dossiers.chooseAgent": "Mandataire à ajouter pour {dossier}",
  "applications.dossiers.noAgentToChoose":
    "Aucun mandataire ne détient de droit pour votre organisation dans ce service\u00a0: accordez d'abord un droit «\u00a0Mandataire – Rédaction\u00a0» ou «\u00a0Mandataire – Consultation\u00a0» dans le Registre des droits d'accès.",
  "applications.dossiers.kind.application": "Demande",
  "applications.dossiers.kind.declared": "Dossier du service en ligne",
  "applications.dossiers.status.open": "Ouvert",
  "applications.dossiers.status.closed": "Fermé",
  "applications.dossiers.pages": "Pages de la liste",
  "applications.dossiers.pageOf": "Page {page} de {pages}",
  "applications.dossiers.previous": "Page précédente",
  "applications.dossiers.next": "Page suivante",
  "applications.dossiers.back": "Retour à la liste des dossiers",
  "applications.ministry.title": "Demandes d'aide transmises",
  "applications.ministry.homeHint":
    "Les demandes d'aide financière transmises dans les services en ligne du ministère.",
  "applications.ministry.intro":
    "Les demandes transmises dans les services en ligne de votre ministère, les plus récentes d'abord. Les brouillons ne sont jamais visibles.",
  "applications.ministry.empty": "Aucune demande transmise.",
  "applications.ministry.transmission": "No de transmission",
  "applications.ministry.organization": "Organisation",
  "applications.ministry.transmittedAt": "Transmise le",
  "applications.ministry.back": "Retour aux demandes transmises",
};

export const en: Record<keyof typeof fr, string> = {
  "applications.field.fileRequired": "Attach at least one PDF file.",
  "applications.field.required": "Fill in “{label}”.",
  "applications.title.required": "Enter the project title.",
  "applications.mandate.numberRequired": "Enter the application number.",
  "applications.mandate.dossierRequired": "Enter the dossier number.",
  "applications.field.date": "Enter a valid date, as YYYY-MM-DD.",
  "applications.field.atMost": "This amount cannot exceed the field “{other}”.",
  "applications.field.notBefore": "This date cannot be earlier than the field “{other}”.",
  "applications.money.invalid":
    "Enter an amount in dollars and cents, digits only, for example 1 234.56 (no commas between thousands).",
  "applications.money.negative": "The amount cannot be negative.",
  "applications.money.decimals": "The amount has at most 2 decimals (the cents).",
  "applications.money.tooLarge": "The amount is too large.",
  "applications.noForm": "This program's form is not offered yet. Contact the ministry.",
  "applications.alreadyTransmitted":
    "This application has already been transmitted: it can no longer be changed. To change it, create a new version.",
  "applications.staleRevision":
    "Someone saved this application since you opened it. Your changes were not saved: open the current version, then make your changes again.",
  "applications.notAnAgent":
    "This person holds no agent right for your organization in this service. First grant them “Agent – Write” or “Agent – Read” in the access rights registry.",
  "applications.alreadyMandated": "This person is already mandated for this application.",
  "applications.mandateAlreadyEnded": "This mandate has already ended. Nothing was changed.",
  "mail.applicationTransmitted.subject":
    "Guichet — receipt of your application ({service}, transmission {number})",
  "mail.applicationTransmitted.body":
    "Hello {name},\n\nThe financial-aid application “{title}” (no. {application}) of {organization} was transmitted in the online service {service}.\n\nTransmission number: {number}\nDate and time: {date}\n\nA transmitted application can no longer be changed.\n\nThis email is sent automatically by Guichet.",
  "mail.mandateAssigned.subject": "Guichet — new mandate ({service})",
  "mail.mandateAssigned.body":
    "Hello {name},\n\n{organization} mandated you for application {application} in the online service {service}.\n\nThis email is sent automatically by Guichet.",
  "applications.home.title": "Financial-aid applications",
  "applications.home.list": "{service} — applications of {organization}",
  "applications.home.mandatesHint": "Assign your organization's applications to agents, and end mandates.",
  "applications.list.title": "Financial-aid applications",
  "applications.list.heading": "Applications",
  "applications.list.empty": "No application to show.",
  "applications.list.new": "New application",
  "applications.list.newTitle": "Project title",
  "applications.list.newHint": "The application is created as a draft; you will fill it in next.",
  "applications.list.create": "Create the draft",
  "applications.col.number": "Number",
  "applications.col.title": "Title",
  "applications.col.status": "Status",
  "applications.col.updated": "Last change",
  "applications.col.updatedBy": "By",
  "applications.status.draft": "Draft",
  "applications.status.transmitted": "Transmitted",
  "applications.created": "Application no. {number} was created as a draft.",
  "applications.saved": "The application was saved.",
  "applications.page.title": "Application no. {number} — {title}",
  "applications.page.status": "Status:",
  "applications.page.transmittedOn": "transmitted on {date}, transmission number {number}",
  "applications.page.updatedOn": "last changed on {date} by {name}",
  "applications.form.draftHint":
    "They are required to transmit the application: a draft may be saved incomplete.",
  "applications.form.save": "Save",
  "applications.form.openCurrent": "Open the current version of the application",
  "applications.value.empty": "Not filled in",
  "applications.backToList": "Back to the list of applications",
  "applications.backToApplication": "Back to the application",
  "applications.attachment.title": "Attachments",
  "applications.attachment.intro":
    "Save your changes to the form first: adding or removing an attachment reloads the page. Only PDF files are accepted.",
  "applications.attachment.choose": "PDF file to attach: {field}",
  "applications.attachment.hint": "One PDF file at a time; at most {max} {max|file|files} for this field.",
  "applications.attachment.add": "Add",
  "applications.attachment.remove": "Remove",
  "applications.attachment.none": "No file attached.",
  "applications.attachment.full":
    "This field has reached its maximum of {max} {max|file|files}. Remove one to attach another.",
  "applications.attachment.added": "The file “{name}” was attached to the application.",
  "applications.attachment.removed": "The file “{name}” was removed from the application.",
  "applications.attachment.alreadyRemoved": "This file had already been removed. Nothing was changed.",
  "applications.attachment.notPdf":
    "The file “{name}” is refused: only PDF files (.pdf) are accepted. Nothing of it was kept.",
  "applications.attachment.tooLarge":
    "The file “{name}” is refused: it exceeds the maximum size of {max}. Nothing of it was kept.",
  "applications.attachment.tooMany":
    "This field takes at most {max} {max|file|files}. Remove one before attaching another.",
  "applications.attachment.notMultipart": "The file must be sent with the application's “Add” button.",
  "applications.transmit.title": "Transmission",
  "applications.transmit.intro":
    "Once transmitted to the ministry, the application can no longer be changed. What is transmitted is the application as saved: save your changes first.",
  "applications.transmit.button": "Transmit",
  "applications.transmit.confirmTitle": "Transmit application no. {number}",
  "applications.transmit.warning":
    "Check the application below. After transmission it can no longer be changed; any change will need a new version.",
  "applications.transmit.confirm": "Confirm the transmission",
  "applications.transmitted.title": "Application transmitted",
  "applications.transmitted.notice":
    "The application was transmitted successfully on {date}. The transmission number is: {number}",
  "applications.transmitted.application": "Application no. {number} — {title}",
  "applications.transmitted.receipt":
    "A receipt giving the transmission number and date is sent to you by email.",
  "applications.transmitted.view": "View the transmitted application",
  "applications.version.new": "Create a new version",
  "applications.version.newHint":
    "The transmitted application stays as it is; the new version is a copy of it, as a draft, which you can change and then transmit.",
  "applications.version.created":
    "Application no. {number} was created as a new version of application no. {previous}.",
  "applications.version.nextExists": "A new version of this application already exists.",
  "applications.version.open": "Open application no. {number}",
  "applications.version.title": "Application no. {number} — version {revision}",
  "applications.version.savedAt": "Version saved on {date} ({status}).",
  "applications.versions.link": "Versions",
  "applications.versions.title": "Versions of application no. {number}",
  "applications.versions.revision": "Version",
  "applications.versions.savedAt": "Saved on",
  "applications.versions.savedBy": "By",
  "applications.versions.view": "Version {revision}",
  "applications.versions.back": "Back to the versions",
  "applications.mandates.title": "Mandate management",
  "applications.mandates.intro":
    "Your organization's current mandates in the infrastructure programs' online services where you are local manager or deputy. An agent reaches only the applications entrusted to them.",
  "applications.mandates.current": "Current mandates",
  "applications.mandates.empty": "No current mandate.",
  "applications.mandates.service": "Online service",
  "applications.mandates.application": "Application",
  "applications.mandates.agent": "Agent",
  "applications.mandates.since": "Assigned",
  "applications.mandates.assigned": "on {date} by {name}",
  "applications.mandates.end": "End",
  "applications.mandate.assignTitle": "Assign a mandate",
  "applications.mandate.assignHint":
    "Entrust this application to an agent who holds “Agent – Write” or “Agent – Read” for your organization in this service.",
  "applications.mandate.number": "Application number",
  "applications.mandate.agentCode": "Agent's user code",
  "applications.mandate.agentHint": "7 letters and digits, for example FGCUSR1.",
  "applications.mandate.confirmTitle": "Confirm the mandate",
  "applications.mandate.confirm": "Confirm",
  "applications.mandate.assigned": "{name} is now mandated for application no. {number}.",
  "applications.mandate.ended":
    "The mandate on application no. {number} has ended. The agent no longer has access to it.",
  "applications.mandate.numberInvalid": "Enter the application's number, in digits only.",
  "applications.mandate.numberUnknown": "No application of your organization has this number.",
  "applications.mandate.notManager":
    "You are neither local manager nor deputy of your organization in this application's service {service}; you cannot assign a mandate there.",
  "applications.alreadyMandatedDossier": "This person is already mandated for this dossier.",
  "mail.mandateAssignedDossier.body":
    "Hello {name},\n\n{organization} mandated you for dossier {application} in the online service {service}.\n\nThis email is sent automatically by Guichet.",
  "mail.mandateEnded.subject": "Guichet — a mandate ended ({service})",
  "mail.mandateEnded.body":
    "Hello {name},\n\n{organization} ended your mandate for application {application} in the online service {service}.\n\nThis email is sent automatically by Guichet.",
  "mail.mandateEndedDossier.body":
    "Hello {name},\n\n{organization} ended your mandate for dossier {application} in the online service {service}.\n\nThis email is sent automatically by Guichet.",
  "mail.mandateEndedClosed.body":
    "Hello {name},\n\nThe online service {service} closed dossier {application} of {organization}: your mandate on this dossier has ended.\n\nThis email is sent automatically by Guichet.",
  "stepUp.act.mandate.assign": "assign a mandate",
  "stepUp.act.mandate.end": "end a mandate",
  "applications.mandates.dossiersTitle": "Dossiers to mandate",
  "applications.mandates.dossiersIntro":
    "Choose a service to see your organization's dossiers: the applications made in Guichet and the dossiers the online service declared.",
  "applications.mandates.dossiersOf": "Dossiers of {service}",
  "applications.mandate.dossier": "Dossier",
  "applications.mandate.dossierUnknown":
    "No dossier of your organization has this identifier in this service.",
  "applications.mandate.dossierClosed":
    "The online service has closed this dossier: no mandate can be assigned on it any more.",
  "applications.mandate.assignedDossier": "{name} is now mandated for dossier {number}.",
  "applications.mandate.endedDossier":
    "The mandate on dossier {number} has ended. The agent no longer has access to it.",
  "applications.dossiers.title": "Mandate management — {service}",
  "applications.dossiers.intro":
    "The dossiers of {organization} in {service}. Their content is not shown: it is for the people who have access to them.",
  "applications.dossiers.filters": "Filter the dossiers",
  "applications.dossiers.text": "Number, identifier or title",
  "applications.dossiers.agentFilter": "Agent",
  "applications.dossiers.anyAgent": "All",
  "applications.dossiers.noAgent": "No agent",
  "applications.dossiers.filter": "Filter",
  "applications.dossiers.count": "{count} {count|dossier|dossiers}",
  "applications.dossiers.empty": "No dossier matches these criteria.",
  "applications.dossiers.reference": "Number or identifier",
  "applications.dossiers.titleCol": "Title",
  "applications.dossiers.status": "Status",
  "applications.dossiers.agents": "Current agents",
  "applications.dossiers.mandate": "Mandate",
  "applications.dossiers.none": "None",
  "applications.dossiers.chooseAgent": "Agent to add for {dossier}",
  "applications.dossiers.noAgentToChoose":
    "No agent holds a right for your organization in this service: first grant “Mandataire – Rédaction” or “Mandataire – Consultation” in the access registry.",
  "applications.dossiers.kind.application": "Application",
  "applications.dossiers.kind.declared": "Online service's dossier",
  "applications.dossiers.status.open": "Open",
  "applications.dossiers.status.closed": "Closed",
  "applications.dossiers.pages": "Pages of the list",
  "applications.dossiers.pageOf": "Page {page} of {pages}",
  "applications.dossiers.previous": "Previous page",
  "applications.dossiers.next": "Next page",
  "applications.dossiers.back": "Back to the list of dossiers",
  "applications.ministry.title": "Transmitted aid applications",
  "applications.ministry.homeHint":
    "The financial-aid applications transmitted in the ministry's online services.",
  "applications.ministry.intro":
    "The applications transmitted in your ministry's online services, most recent first. Drafts are never shown.",
  "applications.ministry.empty": "No transmitted application.",
  "applications.ministry.transmission": "Transmission no.",
  "applications.ministry.organization": "Organization",
  "applications.ministry.transmittedAt": "Transmitted on",
  "applications.ministry.back": "Back to the transmitted applications",
};
