// Texts of financial-aid applications and mandates (French, then English).

export const fr = {
  "applications.field.fileRequired": "Joignez au moins un fichier PDF.",
  "applications.field.date": "Entrez une date valide, au format AAAA-MM-JJ.",
  "applications.field.atMost": "Ce montant ne peut dépasser le champ « {other} ».",
  "applications.field.notBefore": "Cette date ne peut précéder le champ « {other} ».",
  "applications.money.invalid":
    "Entrez un montant en dollars et en cents, en chiffres seulement, par exemple 1 234,56.",
  "applications.money.negative": "Le montant ne peut pas être négatif.",
  "applications.money.decimals": "Le montant compte au plus 2 décimales (les cents).",
  "applications.money.tooLarge": "Le montant est trop élevé.",
  "applications.noForm":
    "Le formulaire de ce programme n'est pas encore offert. Communiquez avec le ministère.",
  "applications.alreadyTransmitted":
    "Cette demande a déjà été transmise : elle ne peut plus être modifiée. Pour la modifier, créez-en une nouvelle version.",
  "applications.staleRevision":
    "Quelqu'un a enregistré cette demande depuis que vous l'avez ouverte. Vos changements n'ont pas été enregistrés : ouvrez la version actuelle, puis refaites vos changements.",
  "applications.notAnAgent":
    "Cette personne ne détient pas de droit de mandataire pour votre organisation dans ce service. Accordez-lui d'abord un droit « Mandataire – Rédaction » ou « Mandataire – Consultation » dans le Registre des droits d'accès.",
  "applications.alreadyMandated": "Cette personne est déjà mandatée pour cette demande.",
  "applications.mandateAlreadyEnded": "Ce mandat a déjà pris fin. Rien n'a été modifié.",
  "mail.applicationTransmitted.subject":
    "Guichet — accusé de réception de votre demande ({service}, transmission {number})",
  "mail.applicationTransmitted.body":
    "Bonjour {name},\n\nLa demande d'aide financière « {title} » (no {application}) de {organization} a été transmise dans le service en ligne {service}.\n\nNuméro de transmission : {number}\nDate et heure : {date}\n\nLa demande transmise ne peut plus être modifiée.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.mandateAssigned.subject": "Guichet — nouveau mandat ({service})",
  "mail.mandateAssigned.body":
    "Bonjour {name},\n\n{organization} vous a mandaté pour la demande {application} dans le service en ligne {service}.\n\nCe courriel est envoyé automatiquement par Guichet.",
};

export const en: Record<keyof typeof fr, string> = {
  "applications.field.fileRequired": "Attach at least one PDF file.",
  "applications.field.date": "Enter a valid date, as YYYY-MM-DD.",
  "applications.field.atMost": "This amount cannot exceed the field “{other}”.",
  "applications.field.notBefore": "This date cannot be earlier than the field “{other}”.",
  "applications.money.invalid": "Enter an amount in dollars and cents, digits only, for example 1,234.56.",
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
};
