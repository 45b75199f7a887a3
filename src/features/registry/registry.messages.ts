// Texts of the registry of access rights, deputies and associations (French, then English).

export const fr = {
  "registry.right.requester.write": "Requérant – Rédaction",
  "registry.right.requester.read": "Requérant – Consultation",
  "registry.right.agent.write": "Mandataire – Rédaction",
  "registry.right.agent.read": "Mandataire – Consultation",
  "registry.noEnd": "aucune date de fin",

  "registry.userCodeRequired": "Entrez le code d'utilisateur de la personne.",
  "registry.userCodeInvalid": "Le code d'utilisateur contient 7 lettres et chiffres, par exemple QCUSR01.",
  "registry.userUnknown": "Aucun utilisateur ne porte ce code. Vérifiez le code auprès de la personne.",
  "registry.granteeDisabled":
    "Le compte de cette personne est désactivé : elle ne peut recevoir aucun droit.",
  "registry.granteeOtherOrganization":
    "Cette personne n'appartient pas à votre organisation. Les droits de requérant et la fonction d'adjoint sont réservés au personnel de l'organisation.",
  "registry.granteeNotAssociated":
    "Cette personne n'est pas associée à ce service par le gestionnaire de mandataires de sa firme. Un droit de mandataire exige cette association.",
  "registry.granteeRefused": "Cette personne ne peut pas recevoir ce droit.",
  "registry.rightRequired": "Choisissez un droit d'accès.",
  "registry.rightOtherPair":
    "Un droit de requérant ne peut devenir un droit de mandataire, ni l'inverse. Retirez le droit et inscrivez la personne de nouveau.",
  "registry.validUntilInvalid": "Entrez une date de fin valide, au format AAAA-MM-JJ.",
  "registry.validUntilPast": "La date de fin ne peut pas être passée.",
  "registry.alreadyGranted":
    "Cette personne détient déjà un droit dans ce registre. Modifiez ce droit plutôt que d'en ajouter un second.",
  "registry.alreadyEnded": "Ce droit a déjà pris fin. Rien n'a été modifié.",
  "registry.deputyIsManager":
    "Cette personne est le gestionnaire local : elle ne peut pas être aussi son adjoint.",
  "registry.deputyAlready": "Cette personne est déjà gestionnaire local adjoint de ce service.",
  "registry.deputyNotFound": "Cette personne n'est plus gestionnaire local adjoint. Rien n'a été modifié.",
  "registry.alreadyAssociated": "Cette personne est déjà associée à ce service.",
  "registry.alreadyDissociated": "Cette personne n'est plus associée à ce service. Rien n'a été modifié.",

  "mail.grant.made.subject": "Guichet — droit d'accès accordé ({service})",
  "mail.grant.made.body":
    "Bonjour {name},\n\nLe droit d'accès « {right} » vous a été accordé dans le service en ligne {service}.\nFin : {until}.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.grant.changed.subject": "Guichet — droit d'accès modifié ({service})",
  "mail.grant.changed.body":
    "Bonjour {name},\n\nVotre droit d'accès dans le service en ligne {service} est maintenant « {right} ».\nFin : {until}.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.grant.ended.subject": "Guichet — fin d'un droit d'accès ({service})",
  "mail.grant.ended.body":
    "Bonjour {name},\n\nVotre droit d'accès « {right} » dans le service en ligne {service} a pris fin.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.registryDeputy.named.subject": "Guichet — nomination comme gestionnaire local adjoint ({service})",
  "mail.registryDeputy.named.body":
    "Bonjour {name},\n\nVous avez été nommé gestionnaire local adjoint des droits d'accès du service en ligne {service}. Vous pouvez accorder, modifier et retirer les droits d'accès du personnel de votre organisation et de ses mandataires, mais non nommer d'autres adjoints. Cette fonction ne donne par elle-même aucun droit d'accès aux demandes d'aide financière.\n\n{link}\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.registryDeputy.removed.subject":
    "Guichet — fin de votre fonction de gestionnaire local adjoint ({service})",
  "mail.registryDeputy.removed.body":
    "Bonjour {name},\n\nVotre fonction de gestionnaire local adjoint des droits d'accès du service en ligne {service} a pris fin.\n\n{link}\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.dissociated.subject": "Guichet — fin des droits d'un mandataire ({service})",
  "mail.dissociated.body":
    "Bonjour {name},\n\nLe gestionnaire de mandataires de {firm} a dissocié {agent} du service en ligne {service}. Son droit « {right} » dans le registre de {organization} a pris fin à l'instant, ainsi que ses mandats.\n\nCe courriel est envoyé automatiquement par Guichet.",
};

export const en: Record<keyof typeof fr, string> = {
  "registry.right.requester.write": "Requester – Write",
  "registry.right.requester.read": "Requester – Read",
  "registry.right.agent.write": "Agent – Write",
  "registry.right.agent.read": "Agent – Read",
  "registry.noEnd": "no end date",

  "registry.userCodeRequired": "Enter the person's user code.",
  "registry.userCodeInvalid": "A user code has 7 letters and digits, for example QCUSR01.",
  "registry.userUnknown": "No user has this code. Check the code with the person.",
  "registry.granteeDisabled": "This person's account is disabled: they cannot receive any right.",
  "registry.granteeOtherOrganization":
    "This person does not belong to your organization. Requester rights and the deputy role are for the organization's own staff.",
  "registry.granteeNotAssociated":
    "This person is not associated with this service by their firm's agent manager. An agent right requires that association.",
  "registry.granteeRefused": "This person cannot receive this right.",
  "registry.rightRequired": "Choose an access right.",
  "registry.rightOtherPair":
    "A requester right cannot become an agent right, nor the reverse. Revoke the right and register the person again.",
  "registry.validUntilInvalid": "Enter a valid end date, as YYYY-MM-DD.",
  "registry.validUntilPast": "The end date cannot be in the past.",
  "registry.alreadyGranted":
    "This person already holds a right in this registry. Change that right rather than adding a second one.",
  "registry.alreadyEnded": "This right has already ended. Nothing was changed.",
  "registry.deputyIsManager": "This person is the local manager: they cannot also be their deputy.",
  "registry.deputyAlready": "This person is already a deputy local manager of this service.",
  "registry.deputyNotFound": "This person is no longer a deputy local manager. Nothing was changed.",
  "registry.alreadyAssociated": "This person is already associated with this service.",
  "registry.alreadyDissociated":
    "This person is no longer associated with this service. Nothing was changed.",

  "mail.grant.made.subject": "Guichet — access right granted ({service})",
  "mail.grant.made.body":
    "Hello {name},\n\nThe access right “{right}” was granted to you in the online service {service}.\nEnd: {until}.\n\nThis email is sent automatically by Guichet.",
  "mail.grant.changed.subject": "Guichet — access right changed ({service})",
  "mail.grant.changed.body":
    "Hello {name},\n\nYour access right in the online service {service} is now “{right}”.\nEnd: {until}.\n\nThis email is sent automatically by Guichet.",
  "mail.grant.ended.subject": "Guichet — an access right ended ({service})",
  "mail.grant.ended.body":
    "Hello {name},\n\nYour access right “{right}” in the online service {service} has ended.\n\nThis email is sent automatically by Guichet.",
  "mail.registryDeputy.named.subject": "Guichet — named deputy local manager ({service})",
  "mail.registryDeputy.named.body":
    "Hello {name},\n\nYou were named deputy local access manager of the online service {service}. You may grant, change and revoke the access rights of your organization's staff and of its agents, but not name other deputies. The role by itself gives no access to financial-aid applications.\n\n{link}\n\nThis email is sent automatically by Guichet.",
  "mail.registryDeputy.removed.subject": "Guichet — your deputy local manager role ended ({service})",
  "mail.registryDeputy.removed.body":
    "Hello {name},\n\nYour role as deputy local access manager of the online service {service} has ended.\n\n{link}\n\nThis email is sent automatically by Guichet.",
  "mail.dissociated.subject": "Guichet — an agent's rights ended ({service})",
  "mail.dissociated.body":
    "Hello {name},\n\nThe agent manager of {firm} dissociated {agent} from the online service {service}. Their right “{right}” in the registry of {organization} ended just now, together with their mandates.\n\nThis email is sent automatically by Guichet.",
};
