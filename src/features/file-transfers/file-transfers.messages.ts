// Texts of « Transfert de fichiers » (seed 004): sending, history, inboxes, the notification email (French, then English).

export const fr = {
  "fileTransfers.title": "Transfert de fichiers",
  "fileTransfers.serviceHint": "Transmettre des fichiers de façon sécurisée aux directions du ministère.",
  "fileTransfers.inboxHint": "Consulter et télécharger les fichiers reçus par votre direction.",
  "fileTransfers.sendLink": "Transmettre des fichiers",
  "fileTransfers.recipient": "Destinataire",
  "fileTransfers.choose": "Veuillez choisir",
  "fileTransfers.recipientHint":
    "Veuillez sélectionner l'organisme ou la prestation électronique de services destinataire pour lequel vous désirez transmettre un fichier.",
  "fileTransfers.showRecipient": "Afficher les consignes",
  "fileTransfers.instructions": "Consignes du destinataire",
  "fileTransfers.allowedExtensions": "Seules les extensions suivantes sont permises\u00a0: {extensions}",
  "fileTransfers.maxSize": "La taille d'un fichier ne doit pas excéder {max}.",
  "fileTransfers.nameRuleGeoCode":
    "Nommez chaque fichier en commençant par votre code géographique, suivi d'une espace et du type de document. Par exemple\u00a0: «\u00a0{example}\u00a0».",
  "fileTransfers.receivedBy": "Les fichiers sont reçus par la {unit}.",
  "fileTransfers.files": "Fichiers à transférer",
  "fileTransfers.filesSent": "Fichiers transférés",
  "fileTransfers.filesReceived": "Fichiers reçus",
  "fileTransfers.noFilesYet": "Aucun fichier n'a encore été ajouté.",
  "fileTransfers.fileName": "Nom du fichier",
  "fileTransfers.fileSize": "Taille",
  "fileTransfers.fileActions": "Action",
  "fileTransfers.remove": "Supprimer",
  "fileTransfers.addFile": "Ajouter un fichier",
  "fileTransfers.fileField": "Fichier à ajouter",
  "fileTransfers.fileHint":
    "Un fichier à la fois\u00a0: répétez l'opération pour chacun des documents à transmettre. Les fichiers ajoutés sont conservés 24 heures en attendant le transfert.",
  "fileTransfers.certification":
    "En appuyant sur le bouton «\u00a0Transférer\u00a0» je certifie que les documents ci-dessus sont conformes aux normes et consignes du destinataire.",
  "fileTransfers.certify":
    "Je certifie que les documents ci-dessus sont conformes aux normes et consignes du destinataire.",
  "fileTransfers.submit": "Transférer",
  "fileTransfers.success":
    "Le transfert s'est déroulé avec succès. Le numéro de confirmation est le\u00a0: {number}",
  "fileTransfers.fileAdded": "Le fichier «\u00a0{name}\u00a0» a été ajouté.",
  "fileTransfers.fileReplaced": "Le fichier «\u00a0{name}\u00a0» a remplacé le fichier du même nom.",
  "fileTransfers.fileRemoved": "Le fichier «\u00a0{name}\u00a0» a été retiré.",
  "fileTransfers.fileAlreadyRemoved": "Ce fichier n'est plus dans le transfert en préparation.",
  "fileTransfers.certificationRequired": "Cochez la case de certification pour transférer les fichiers.",
  "fileTransfers.noFiles": "Ajoutez au moins un fichier avant de transférer.",
  "fileTransfers.refusal.noFile": "Choisissez un fichier à ajouter.",
  "fileTransfers.refusal.tooLarge":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: il dépasse la taille maximale de {max} permise pour ce destinataire. Rien n'en a été conservé.",
  "fileTransfers.refusal.empty": "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: il est vide (0 octet).",
  "fileTransfers.refusal.notMultipart":
    "Le fichier doit être envoyé au moyen du formulaire «\u00a0Ajouter un fichier\u00a0».",
  "fileTransfers.cannot.not_sending_organization":
    "Le transfert de fichiers est offert aux utilisateurs des municipalités et des organismes.",
  "fileTransfers.cannot.no_procuration":
    "Pour transmettre des fichiers à ce destinataire, vous devez détenir une procuration de {organization} pour le {ministry}. Adressez-vous au responsable des services électroniques (RSE) de votre organisation.",
  "fileTransfers.cannot.service_not_covered":
    "Votre procuration pour le {ministry} ne couvre pas le service «\u00a0Transfert de fichiers\u00a0». Adressez-vous au responsable des services électroniques (RSE) de votre organisation.",
  "fileTransfers.cannot.other": "Vous ne pouvez pas transmettre de fichiers à ce destinataire.",
  "fileTransfers.history": "Historique des transferts",
  "fileTransfers.historyTitle": "Historique des transferts de {organization}",
  "fileTransfers.historyIntro":
    "Les transferts de fichiers de votre organisation, les plus récents en premier (les 200 derniers).",
  "fileTransfers.historyEmpty": "Aucun transfert.",
  "fileTransfers.backToTransfer": "Retour au transfert de fichiers",
  "fileTransfers.number": "Numéro de confirmation",
  "fileTransfers.date": "Date",
  "fileTransfers.sender": "Expéditeur",
  "fileTransfers.organization": "Organisation",
  "fileTransfers.inboxes": "Fichiers reçus",
  "fileTransfers.inboxesIntro": "Les destinataires dont vous recevez les fichiers.",
  "fileTransfers.inboxesEmpty": "Vous n'êtes affecté à la réception d'aucun destinataire.",
  "fileTransfers.inboxTitle": "Fichiers reçus — {recipient}",
  "fileTransfers.inboxIntro":
    "Les transferts reçus pour ce destinataire, les plus récents en premier (les 200 derniers).",
  "fileTransfers.inboxEmpty": "Aucun transfert reçu.",
  "fileTransfers.backToInboxes": "Retour aux fichiers reçus",
  "fileTransfers.download": "Télécharger",
  "fileTransfers.uploading": "Envoi de «\u00a0{name}\u00a0»",
  "fileTransfers.uploadFailed":
    "L'envoi du fichier a été interrompu. Vérifiez votre connexion, puis ajoutez le fichier de nouveau.",
  "size.bytes": "{n} o",
  "size.kilobytes": "{n} Ko",
  "size.megabytes": "{n} Mo",
  "size.gigabytes": "{n} Go",

  "mail.fileTransfer.subject": "Guichet — transfert de fichiers, numéro de confirmation {number}",
  "mail.fileTransfer.body":
    "Bonjour {name},\n\nVotre transfert de fichiers s'est déroulé avec succès.\n\nNuméro de confirmation\u00a0: {number}\nDate et heure\u00a0: {when}\nUtilisateur\u00a0: {name} ({code})\nOrganisation\u00a0: {organization}\nDestinataire\u00a0: {recipient}\n\nFichiers transférés ({count})\u00a0:\n{files}\n\nL'empreinte SHA-256 de chaque fichier permet de vérifier qu'il a été reçu tel quel. Conservez ce courriel avec votre numéro de confirmation.",
  "mail.fileTransfer.file": "- {name} — {size} ({bytes} octets)\n  SHA-256\u00a0: {sha256}",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "fileTransfers.title": "File transfer",
  "fileTransfers.serviceHint": "Send files securely to the ministry's branches.",
  "fileTransfers.inboxHint": "See and download the files your branch received.",
  "fileTransfers.sendLink": "Send files",
  "fileTransfers.recipient": "Recipient",
  "fileTransfers.choose": "Please choose",
  "fileTransfers.recipientHint": "Please select the body or online service to which you wish to send a file.",
  "fileTransfers.showRecipient": "Show the instructions",
  "fileTransfers.instructions": "The recipient's instructions",
  "fileTransfers.allowedExtensions": "Only the following extensions are allowed: {extensions}",
  "fileTransfers.maxSize": "A file may not exceed {max}.",
  "fileTransfers.nameRuleGeoCode":
    "Name each file starting with your geographic code, then a space and the type of document. For example: “{example}”.",
  "fileTransfers.receivedBy": "The files are received by the {unit}.",
  "fileTransfers.files": "Files to transfer",
  "fileTransfers.filesSent": "Files transferred",
  "fileTransfers.filesReceived": "Files received",
  "fileTransfers.noFilesYet": "No file has been added yet.",
  "fileTransfers.fileName": "File name",
  "fileTransfers.fileSize": "Size",
  "fileTransfers.fileActions": "Action",
  "fileTransfers.remove": "Remove",
  "fileTransfers.addFile": "Add a file",
  "fileTransfers.fileField": "File to add",
  "fileTransfers.fileHint":
    "One file at a time: repeat for each document to send. Added files are kept for 24 hours until the transfer.",
  "fileTransfers.certification":
    "By pressing the “Transfer” button I certify that the documents above comply with the recipient's standards and instructions.",
  "fileTransfers.certify":
    "I certify that the documents above comply with the recipient's standards and instructions.",
  "fileTransfers.submit": "Transfer",
  "fileTransfers.success": "The transfer was successful. The confirmation number is: {number}",
  "fileTransfers.fileAdded": "The file “{name}” was added.",
  "fileTransfers.fileReplaced": "The file “{name}” replaced the file of the same name.",
  "fileTransfers.fileRemoved": "The file “{name}” was removed.",
  "fileTransfers.fileAlreadyRemoved": "This file is no longer in the transfer being prepared.",
  "fileTransfers.certificationRequired": "Tick the certification box to transfer the files.",
  "fileTransfers.noFiles": "Add at least one file before transferring.",
  "fileTransfers.refusal.noFile": "Choose a file to add.",
  "fileTransfers.refusal.tooLarge":
    "The file “{name}” is refused: it exceeds the maximum size of {max} allowed for this recipient. Nothing of it was kept.",
  "fileTransfers.refusal.empty": "The file “{name}” is refused: it is empty (0 bytes).",
  "fileTransfers.refusal.notMultipart": "The file must be sent with the “Add a file” form.",
  "fileTransfers.cannot.not_sending_organization":
    "File transfer is offered to users of municipalities and bodies.",
  "fileTransfers.cannot.no_procuration":
    "To send files to this recipient, you need a procuration from {organization} for the {ministry}. Ask your organization's services officer.",
  "fileTransfers.cannot.service_not_covered":
    "Your procuration for the {ministry} does not cover the “File transfer” service. Ask your organization's services officer.",
  "fileTransfers.cannot.other": "You cannot send files to this recipient.",
  "fileTransfers.history": "Transfer history",
  "fileTransfers.historyTitle": "Transfer history of {organization}",
  "fileTransfers.historyIntro": "Your organization's file transfers, most recent first (the last 200).",
  "fileTransfers.historyEmpty": "No transfer.",
  "fileTransfers.backToTransfer": "Back to file transfer",
  "fileTransfers.number": "Confirmation number",
  "fileTransfers.date": "Date",
  "fileTransfers.sender": "Sender",
  "fileTransfers.organization": "Organization",
  "fileTransfers.inboxes": "Received files",
  "fileTransfers.inboxesIntro": "The recipients whose files you receive.",
  "fileTransfers.inboxesEmpty": "You are not assigned to receive any recipient's files.",
  "fileTransfers.inboxTitle": "Received files — {recipient}",
  "fileTransfers.inboxIntro": "The transfers received for this recipient, most recent first (the last 200).",
  "fileTransfers.inboxEmpty": "No transfer received.",
  "fileTransfers.backToInboxes": "Back to received files",
  "fileTransfers.download": "Download",
  "fileTransfers.uploading": "Sending “{name}”",
  "fileTransfers.uploadFailed":
    "Sending the file was interrupted. Check your connection, then add the file again.",
  "size.bytes": "{n} B",
  "size.kilobytes": "{n} KB",
  "size.megabytes": "{n} MB",
  "size.gigabytes": "{n} GB",

  "mail.fileTransfer.subject": "Guichet — file transfer, confirmation number {number}",
  "mail.fileTransfer.body":
    "Hello {name},\n\nYour file transfer was successful.\n\nConfirmation number: {number}\nDate and time: {when}\nUser: {name} ({code})\nOrganization: {organization}\nRecipient: {recipient}\n\nFiles transferred ({count}):\n{files}\n\nEach file's SHA-256 fingerprint lets you check that it was received unchanged. Keep this email with your confirmation number.",
  "mail.fileTransfer.file": "- {name} — {size} ({bytes} bytes)\n  SHA-256: {sha256}",
};
