// Texts of the registry of access rights, deputies and associations (French, then English).

export const fr = {
  "registry.right.requester.write": "Requérant – Rédaction",
  "registry.right.requester.read": "Requérant – Consultation",
  "registry.right.agent.write": "Mandataire – Rédaction",
  "registry.right.agent.read": "Mandataire – Consultation",
  "registry.noEnd": "aucune date de fin",

  "registry.userCodeRequired": "Entrez le code d'utilisateur de la personne.",
  "registry.userCodeInvalid": "Le code d'utilisateur contient 7 lettres et chiffres, par exemple QCUSR01.",
  "registry.userUnknown":
    "Aucun membre de votre organisation ni aucun mandataire associé à ce service ne porte ce code. Vérifiez le code auprès de la personne.",
  "registry.memberUnknown":
    "Aucun membre de votre organisation ne porte ce code. Vérifiez le code auprès de la personne.",
  "registry.granteeDisabled":
    "Le compte de cette personne est désactivé\u00a0: elle ne peut recevoir aucun droit.",
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
    "Cette personne est le gestionnaire local\u00a0: elle ne peut pas être aussi son adjoint.",
  "registry.deputyAlready": "Cette personne est déjà gestionnaire local adjoint de ce service.",
  "registry.deputyNotFound": "Cette personne n'est plus gestionnaire local adjoint. Rien n'a été modifié.",
  "registry.alreadyAssociated": "Cette personne est déjà associée à ce service.",
  "registry.alreadyDissociated": "Cette personne n'est plus associée à ce service. Rien n'a été modifié.",

  "space.back": "Retour au service {service}",
  "space.home": "Retour à l'accueil",
  "space.nothing":
    "Vous ne détenez aucun rôle ni droit d'accès dans ce service. Pour obtenir un droit d'accès, adressez-vous au gestionnaire local des droits d'accès de votre organisation.",
  "space.actFor": "Organisations pour lesquelles vous agissez",
  "space.rightFor": "{organization}\u00a0: {right} (fin\u00a0: {until})",
  "space.utilities": "Utilitaires",
  "space.managedFor": "Droits d'accès — {organization}",
  "space.pointOf": "{firm}, point de service {point}",
  "space.yourRoles": "Votre fonction\u00a0: {roles}.",
  "space.registryHint":
    "Accorder, modifier et retirer les droits d'accès du personnel de l'organisation et de ses mandataires.",
  "space.whoHasAccessHint":
    "Toutes les personnes qui ont accès au service pour l'organisation, avec la chaîne qui le leur donne et jusqu'à quand\u202f; exportable en CSV.",
  "space.deputies": "Gestion des adjoints",
  "space.deputiesHint": "Nommer et retirer les gestionnaires locaux adjoints.",
  "space.deputiesViewHint": "Les gestionnaires locaux adjoints en fonction.",
  "space.associationHint":
    "Associer au service le personnel du point de service qui pourra recevoir un droit de mandataire, ou l'en dissocier.",
  "space.managerNoAccess":
    "La fonction de gestionnaire ne donne par elle-même aucun accès aux demandes d'aide financière\u00a0: un droit de requérant est nécessaire pour créer ou modifier un formulaire.",
  "space.refused.noProcuration":
    "Votre fonction s'exerce avec une procuration valide de votre organisation pour {ministry}, que vous ne détenez pas. Adressez-vous au responsable des services électroniques (RSE) de votre organisation.",
  "space.refused.serviceNotCovered":
    "Votre procuration pour {ministry} ne couvre pas ce service. Adressez-vous au responsable des services électroniques (RSE) de votre organisation.",
  "space.refused.other": "Cette fonction ne vous ouvre aucun outil pour le moment.",

  "registry.title": "Registre des droits d'accès",
  "registry.subtitle": "{organization} — {service}",
  "registry.current": "Droits d'accès en vigueur",
  "registry.empty": "Aucun droit d'accès n'est accordé dans ce registre.",
  "registry.col.person": "Personne",
  "registry.col.right": "Droit d'accès",
  "registry.col.firm": "Firme et point de service",
  "registry.col.grantedBy": "Accordé par",
  "registry.col.since": "Depuis",
  "registry.col.until": "Jusqu'au",
  "registry.col.actions": "Actions",
  "registry.col.add": "Ajouter",
  "registry.firmPoint": "{firm}, point de service {point}",
  "registry.change": "Modifier",
  "registry.revoke": "Retirer",
  "registry.new": "Nouvelle inscription",
  "registry.newIntro":
    "Entrez le code d'utilisateur de la personne à inscrire\u00a0: un membre du personnel de l'organisation, ou un mandataire que le gestionnaire de mandataires de sa firme a associé au service.",
  "registry.userCode": "Code d'utilisateur",
  "registry.userCodeHint": "7 lettres et chiffres, par exemple ABCD123.",
  "registry.search": "Chercher",
  "registry.personFound": "Personne trouvée",
  "registry.person.name": "Nom",
  "registry.person.organization": "Organisation",
  "registry.person.association": "Association au service",
  "registry.person.associated": "Associée par le gestionnaire de mandataires du point de service {point}",
  "registry.person.notAssociated": "Non associée",
  "registry.rightsOffered": "Droits d'accès offerts",
  "registry.rightsOfferedHint": "Cliquez sur «\u00a0+\u00a0» à droite du droit d'accès à accorder.",
  "registry.add": "Ajouter le droit {right}",
  "registry.backToRegistry": "Retour au registre des droits d'accès",
  "registry.confirmTitle": "Confirmer l'inscription",
  "registry.confirmIntro":
    "{name} recevra le droit d'accès «\u00a0{right}\u00a0» dans le registre de l'organisation.",
  "registry.validUntil": "Date de fin (facultative)",
  "registry.validUntilHint":
    "Dernier jour du droit, au format AAAA-MM-JJ\u202f; le droit prend fin de lui-même le lendemain. Laissez vide pour un droit sans date de fin.",
  "registry.confirm": "Confirmer",
  "registry.chooseAnother": "Choisir un autre droit",
  "registry.granted": "Le droit «\u00a0{right}\u00a0» a été accordé à {name}. Un courriel l'en informe.",
  "registry.repeated": "Ce formulaire avait déjà été transmis. Rien n'a été enregistré de nouveau.",
  "registry.changeTitle": "Modifier un droit d'accès",
  "registry.changeIntro":
    "{name} ({code}) détient le droit «\u00a0{right}\u00a0». Un droit se modifie à l'intérieur de sa paire, requérant ou mandataire.",
  "registry.save": "Enregistrer",
  "registry.changed": "Le droit d'accès de {name} a été modifié. Un courriel l'en informe.",
  "registry.unchanged": "Le droit et la date de fin sont restés les mêmes\u00a0: rien n'a été modifié.",
  "registry.revoked": "Le droit d'accès de {name} a pris fin. Un courriel l'en informe.",

  "deputies.title": "Gestionnaires locaux adjoints",
  "deputies.intro":
    "Les adjoints accordent, modifient et retirent les droits d'accès comme le gestionnaire local, mais ne peuvent pas nommer d'autres adjoints. Ils appartiennent à l'organisation.",
  "deputies.empty": "Aucun adjoint n'est en fonction.",
  "deputies.col.userCode": "Code d'utilisateur",
  "deputies.readOnly": "Seul le gestionnaire local nomme et retire les adjoints.",
  "deputies.name": "Nommer un adjoint",
  "deputies.userCode": "Code d'utilisateur de l'adjoint",
  "deputies.submit": "Continuer",
  "deputies.confirmTitle": "Confirmer la nomination d'un adjoint",
  "deputies.confirmIntro":
    "{name} ({code}) deviendra gestionnaire local adjoint des droits d'accès de {organization} pour le service en ligne {service}. Un courriel l'en informera.",
  "deputies.gapTitle": "Cette personne ne pourra pas encore agir comme adjoint",
  "deputies.gap.no_procuration":
    "{name} ne détient aucune procuration de {organization} en vigueur couvrant le service {service}. Sans procuration, un adjoint ne peut ni consulter le registre ni accorder de droits.",
  "deputies.gap.service_not_covered":
    "La procuration de {name} ne couvre pas le service {service}\u00a0: elle est avec restriction et ne le nomme pas. Tant qu'elle ne le couvre pas, un adjoint ne peut ni consulter le registre ni accorder de droits.",
  "deputies.gapFix":
    "Le responsable des services électroniques (RSE) de l'organisation peut la lui donner, ou l'étendre à ce service, dans «\u00a0Gestion des procurations\u00a0»\u00a0: {officers}. Vous pouvez confirmer dès maintenant\u202f; la personne sera informée par courriel de ce qui lui manque.",
  "deputies.noOfficer": "aucun compte de RSE actif",
  "deputies.remove": "Retirer",
  "deputies.named": "{name} est maintenant gestionnaire local adjoint. Un courriel l'en informe.",
  "deputies.removed": "{name} n'est plus gestionnaire local adjoint. Un courriel l'en informe.",

  "association.title": "Association des mandataires",
  "association.subtitle": "{firm}, point de service {point} — {service}",
  "association.intro":
    "Les personnes associées peuvent recevoir, d'une municipalité ou d'un organisme, un droit de mandataire dans ce service.",
  "association.empty": "Personne n'est associé à ce service pour ce point de service.",
  "association.col.associatedBy": "Associée par",
  "association.dissociate": "Dissocier",
  "association.new": "Nouvelle association",
  "association.newIntro": "Entrez le code d'utilisateur d'un membre du personnel de la firme.",
  "association.question": "Associer {name} au service pour le point de service {point}\u202f?",
  "association.ok": "OK",
  "association.back": "Retour à l'association des mandataires",
  "association.confirmTitle": "Confirmer l'association",
  "association.confirmIntro":
    "{name} ({code}) sera associé au service {service} pour le point de service {point} de la firme {firm}.",
  "association.associated": "{name} est maintenant associé au service.",
  "association.dissociateTitle": "Dissocier {name}",
  "association.dissociateWarning":
    "La dissociation met fin à l'instant, pour tous les clients, aux droits de mandataire et aux mandats de {name} dans le service {service}. Le gestionnaire local de chaque client en est informé par courriel.",
  "association.rightsEnding": "Droits qui prendront fin",
  "association.rightEnding": "{organization}\u00a0: {right}",
  "association.noRights": "Cette personne ne détient aucun droit de mandataire dans ce service.",
  "association.confirmDissociate": "Confirmer la dissociation",
  "association.dissociated": "{name} a été dissocié du service\u202f; ses droits de mandataire ont pris fin.",

  "whoHasAccess.title": "Qui a accès",
  "whoHasAccess.intro":
    "Toutes les personnes qui ont accès à ce service pour l'organisation, avec la chaîne qui leur donne cet accès et jusqu'à quand.",
  "whoHasAccess.empty": "Personne n'a accès à ce service pour cette organisation.",
  "whoHasAccess.csv": "Exporter en CSV",
  "whoHasAccess.col.person": "Personne",
  "whoHasAccess.col.userCode": "Code d'utilisateur",
  "whoHasAccess.col.organization": "Organisation",
  "whoHasAccess.col.access": "Accès",
  "whoHasAccess.col.chain": "Chaîne",
  "whoHasAccess.col.since": "Depuis",
  "whoHasAccess.col.until": "Jusqu'au",
  "whoHasAccess.kind.requester": "Requérant",
  "whoHasAccess.kind.agent": "Mandataire",
  "whoHasAccess.until": "jusqu'au {date}",
  "whoHasAccess.noEnd": "sans date de fin",
  "whoHasAccess.byMinistry": "le ministère",
  "whoHasAccess.chain.localManager":
    "Désignation par la demande d'accès no {request}, approuvée par {by} le {since}, {until}",
  "whoHasAccess.chain.localManagerNamed": "Désignation par {by} le {since}, {until}",
  "whoHasAccess.chain.deputy": "Nomination par {by} le {since}, {until}",
  "whoHasAccess.chain.requester": "{right} accordé par {by} le {since} {until}",
  "whoHasAccess.chain.agent":
    "Firme {firm}, point de service {point}, associé par {associatedBy} → {right} accordé par {by} le {since} {until}",

  "mail.grant.made.subject": "Guichet — droit d'accès accordé ({service})",
  "mail.grant.made.body":
    "Bonjour {name},\n\nLe droit d'accès «\u00a0{right}\u00a0» vous a été accordé dans le service en ligne {service}.\nFin\u00a0: {until}.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.grant.changed.subject": "Guichet — droit d'accès modifié ({service})",
  "mail.grant.changed.body":
    "Bonjour {name},\n\nVotre droit d'accès dans le service en ligne {service} est maintenant «\u00a0{right}\u00a0».\nFin\u00a0: {until}.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.grant.ended.subject": "Guichet — fin d'un droit d'accès ({service})",
  "mail.grant.ended.body":
    "Bonjour {name},\n\nVotre droit d'accès «\u00a0{right}\u00a0» dans le service en ligne {service} a pris fin.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.registryDeputy.named.subject": "Guichet — nomination comme gestionnaire local adjoint ({service})",
  "mail.registryDeputy.named.body":
    "Bonjour {name},\n\nVotre nomination comme gestionnaire local adjoint des droits d'accès du service en ligne {service} est en vigueur. Vous pouvez accorder, modifier et retirer les droits d'accès du personnel de votre organisation et de ses mandataires, mais non nommer d'autres adjoints. Cette fonction ne donne par elle-même aucun droit d'accès aux demandes d'aide financière.{missing}\n\n{link}\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.registryDeputy.named.no_procuration":
    "\n\nAttention\u00a0: vous ne détenez aucune procuration de {organization} en vigueur couvrant le service {service}. Tant que vous n'en détenez pas, vous ne pouvez pas agir comme adjoint (consulter le registre, accorder des droits). Le responsable des services électroniques de votre organisation peut vous en donner une\u00a0: {officers}.",
  "mail.registryDeputy.named.service_not_covered":
    "\n\nAttention\u00a0: votre procuration de {organization} ne couvre pas le service {service} (elle est avec restriction). Tant qu'elle ne le couvre pas, vous ne pouvez pas agir comme adjoint (consulter le registre, accorder des droits). Le responsable des services électroniques de votre organisation peut l'étendre à ce service\u00a0: {officers}.",
  "mail.registryDeputy.removed.subject":
    "Guichet — fin de votre fonction de gestionnaire local adjoint ({service})",
  "mail.registryDeputy.removed.body":
    "Bonjour {name},\n\nVotre fonction de gestionnaire local adjoint des droits d'accès du service en ligne {service} a pris fin.\n\n{link}\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.association.added.subject": "Guichet — association au service {service}",
  "mail.association.added.body":
    "Bonjour {name},\n\nLe gestionnaire de mandataires de {firm} vous a associé au service en ligne {service}. Les organisations clientes peuvent maintenant vous accorder un droit de mandataire dans leur registre de ce service.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.association.ended.subject": "Guichet — fin de votre association au service {service}",
  "mail.association.ended.body":
    "Bonjour {name},\n\nLe gestionnaire de mandataires de {firm} a mis fin à votre association au service en ligne {service}. Vos droits de mandataire et vos mandats dans ce service ont pris fin, pour toutes les organisations clientes.\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.dissociated.subject": "Guichet — fin des droits d'un mandataire ({service})",
  "mail.dissociated.body":
    "Bonjour {name},\n\nLe gestionnaire de mandataires de {firm} a dissocié {agent} du service en ligne {service}. Son droit «\u00a0{right}\u00a0» dans le registre de {organization} a pris fin à l'instant, ainsi que ses mandats.\n\nCe courriel est envoyé automatiquement par Guichet.",
};

export const en: Record<keyof typeof fr, string> = {
  "registry.right.requester.write": "Requester – Write",
  "registry.right.requester.read": "Requester – Read",
  "registry.right.agent.write": "Agent – Write",
  "registry.right.agent.read": "Agent – Read",
  "registry.noEnd": "no end date",

  "registry.userCodeRequired": "Enter the person's user code.",
  "registry.userCodeInvalid": "A user code has 7 letters and digits, for example QCUSR01.",
  "registry.userUnknown":
    "No member of your organization and no agent associated with this service has this code. Check the code with the person.",
  "registry.memberUnknown": "No member of your organization has this code. Check the code with the person.",
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

  "space.back": "Back to the service {service}",
  "space.home": "Back to the home page",
  "space.nothing":
    "You hold no role and no access right in this service. To obtain an access right, ask your organization's local access rights manager.",
  "space.actFor": "Organizations you act for",
  "space.rightFor": "{organization}: {right} (end: {until})",
  "space.utilities": "Utilities",
  "space.managedFor": "Access rights — {organization}",
  "space.pointOf": "{firm}, service point {point}",
  "space.yourRoles": "Your role: {roles}.",
  "space.registryHint": "Grant, change and revoke the access rights of the organization's staff and agents.",
  "space.whoHasAccessHint":
    "Everyone with access to the service for the organization, with the chain that gives it and until when; exportable as CSV.",
  "space.deputies": "Manage deputies",
  "space.deputiesHint": "Name and remove deputy local managers.",
  "space.deputiesViewHint": "The deputy local managers in office.",
  "space.associationHint":
    "Associate with the service the service point's staff who may receive an agent right, or dissociate them.",
  "space.managerNoAccess":
    "A manager's role alone gives no access to financial-aid applications: a requester right is needed to create or edit a form.",
  "space.refused.noProcuration":
    "Your role needs a valid procuration of your organization for {ministry}, which you do not hold. Ask your organization's services officer (RSE).",
  "space.refused.serviceNotCovered":
    "Your procuration for {ministry} does not cover this service. Ask your organization's services officer (RSE).",
  "space.refused.other": "This role opens no tool for now.",

  "registry.title": "Access rights registry",
  "registry.subtitle": "{organization} — {service}",
  "registry.current": "Current access rights",
  "registry.empty": "No access right is granted in this registry.",
  "registry.col.person": "Person",
  "registry.col.right": "Access right",
  "registry.col.firm": "Firm and service point",
  "registry.col.grantedBy": "Granted by",
  "registry.col.since": "Since",
  "registry.col.until": "Until",
  "registry.col.actions": "Actions",
  "registry.col.add": "Add",
  "registry.firmPoint": "{firm}, service point {point}",
  "registry.change": "Change",
  "registry.revoke": "Revoke",
  "registry.new": "New registration",
  "registry.newIntro":
    "Enter the user code of the person to register: a staff member of the organization, or an agent whom their firm's agent manager associated with the service.",
  "registry.userCode": "User code",
  "registry.userCodeHint": "7 letters and digits, for example ABCD123.",
  "registry.search": "Search",
  "registry.personFound": "Person found",
  "registry.person.name": "Name",
  "registry.person.organization": "Organization",
  "registry.person.association": "Association with the service",
  "registry.person.associated": "Associated by the agent manager of the service point {point}",
  "registry.person.notAssociated": "Not associated",
  "registry.rightsOffered": "Access rights offered",
  "registry.rightsOfferedHint": "Click “+” to the right of the access right to grant.",
  "registry.add": "Add the right {right}",
  "registry.backToRegistry": "Back to the access rights registry",
  "registry.confirmTitle": "Confirm the registration",
  "registry.confirmIntro": "{name} will receive the access right “{right}” in the organization's registry.",
  "registry.validUntil": "End date (optional)",
  "registry.validUntilHint":
    "The right's last day, as YYYY-MM-DD; the right ends by itself the day after. Leave empty for no end date.",
  "registry.confirm": "Confirm",
  "registry.chooseAnother": "Choose another right",
  "registry.granted": "The right “{right}” was granted to {name}. An email tells them.",
  "registry.repeated": "This form had already been sent. Nothing new was recorded.",
  "registry.changeTitle": "Change an access right",
  "registry.changeIntro":
    "{name} ({code}) holds the right “{right}”. A right changes within its pair, requester or agent.",
  "registry.save": "Save",
  "registry.changed": "The access right of {name} was changed. An email tells them.",
  "registry.unchanged": "The right and the end date are the same: nothing was changed.",
  "registry.revoked": "The access right of {name} has ended. An email tells them.",

  "deputies.title": "Deputy local managers",
  "deputies.intro":
    "Deputies grant, change and revoke access rights as the local manager does, but cannot name other deputies. They belong to the organization.",
  "deputies.empty": "No deputy is in office.",
  "deputies.col.userCode": "User code",
  "deputies.readOnly": "Only the local manager names and removes deputies.",
  "deputies.name": "Name a deputy",
  "deputies.userCode": "Deputy's user code",
  "deputies.submit": "Continue",
  "deputies.confirmTitle": "Confirm the naming of a deputy",
  "deputies.confirmIntro":
    "{name} ({code}) will become deputy local access manager of {organization} for the online service {service}. An email will tell them.",
  "deputies.gapTitle": "This person cannot act as a deputy yet",
  "deputies.gap.no_procuration":
    "{name} holds no procuration of {organization} in force covering the service {service}. Without one, a deputy can neither see the registry nor grant rights.",
  "deputies.gap.service_not_covered":
    "{name}'s procuration does not cover the service {service}: it is restricted and does not name it. Until it does, a deputy can neither see the registry nor grant rights.",
  "deputies.gapFix":
    "The organization's electronic services officer (RSE) can give it, or extend it to this service, in “Procuration management”: {officers}. You may confirm now; the person will be told by email what they lack.",
  "deputies.noOfficer": "no active RSE account",
  "deputies.remove": "Remove",
  "deputies.named": "{name} is now a deputy local manager. An email tells them.",
  "deputies.removed": "{name} is no longer a deputy local manager. An email tells them.",

  "association.title": "Agent association",
  "association.subtitle": "{firm}, service point {point} — {service}",
  "association.intro":
    "Associated people may receive, from a municipality or a body, an agent right in this service.",
  "association.empty": "Nobody is associated with this service for this service point.",
  "association.col.associatedBy": "Associated by",
  "association.dissociate": "Dissociate",
  "association.new": "New association",
  "association.newIntro": "Enter the user code of a staff member of the firm.",
  "association.question": "Associate {name} with the service for the service point {point}?",
  "association.ok": "OK",
  "association.back": "Back to agent association",
  "association.confirmTitle": "Confirm the association",
  "association.confirmIntro":
    "{name} ({code}) will be associated with the service {service} for the service point {point} of the firm {firm}.",
  "association.associated": "{name} is now associated with the service.",
  "association.dissociateTitle": "Dissociate {name}",
  "association.dissociateWarning":
    "Dissociating ends at once, for every client, the agent rights and mandates of {name} in the service {service}. Each client's local manager is told by email.",
  "association.rightsEnding": "Rights that will end",
  "association.rightEnding": "{organization}: {right}",
  "association.noRights": "This person holds no agent right in this service.",
  "association.confirmDissociate": "Confirm the dissociation",
  "association.dissociated": "{name} was dissociated from the service; their agent rights have ended.",

  "whoHasAccess.title": "Who has access",
  "whoHasAccess.intro":
    "Everyone with access to this service for the organization, with the chain that gives it and until when.",
  "whoHasAccess.empty": "Nobody has access to this service for this organization.",
  "whoHasAccess.csv": "Export as CSV",
  "whoHasAccess.col.person": "Person",
  "whoHasAccess.col.userCode": "User code",
  "whoHasAccess.col.organization": "Organization",
  "whoHasAccess.col.access": "Access",
  "whoHasAccess.col.chain": "Chain",
  "whoHasAccess.col.since": "Since",
  "whoHasAccess.col.until": "Until",
  "whoHasAccess.kind.requester": "Requester",
  "whoHasAccess.kind.agent": "Agent",
  "whoHasAccess.until": "until {date}",
  "whoHasAccess.noEnd": "no end date",
  "whoHasAccess.byMinistry": "the ministry",
  "whoHasAccess.chain.localManager":
    "Designated by access request no. {request}, approved by {by} on {since}, {until}",
  "whoHasAccess.chain.localManagerNamed": "Designated by {by} on {since}, {until}",
  "whoHasAccess.chain.deputy": "Named by {by} on {since}, {until}",
  "whoHasAccess.chain.requester": "{right} granted by {by} on {since} {until}",
  "whoHasAccess.chain.agent":
    "Firm {firm}, service point {point}, associated by {associatedBy} → {right} granted by {by} on {since} {until}",

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
    "Hello {name},\n\nYou were named deputy local access manager of the online service {service}. You may grant, change and revoke the access rights of your organization's staff and of its agents, but not name other deputies. The role by itself gives no access to financial-aid applications.{missing}\n\n{link}\n\nThis email is sent automatically by Guichet.",
  "mail.registryDeputy.named.no_procuration":
    "\n\nPlease note: you hold no procuration of {organization} in force covering the service {service}. Until you do, you cannot act as a deputy (see the registry, grant rights). Your organization's electronic services officer can give you one: {officers}.",
  "mail.registryDeputy.named.service_not_covered":
    "\n\nPlease note: your procuration of {organization} does not cover the service {service} (it is restricted). Until it does, you cannot act as a deputy (see the registry, grant rights). Your organization's electronic services officer can extend it to this service: {officers}.",
  "mail.registryDeputy.removed.subject": "Guichet — your deputy local manager role ended ({service})",
  "mail.registryDeputy.removed.body":
    "Hello {name},\n\nYour role as deputy local access manager of the online service {service} has ended.\n\n{link}\n\nThis email is sent automatically by Guichet.",
  "mail.association.added.subject": "Guichet — associated with the service {service}",
  "mail.association.added.body":
    "Hello {name},\n\nThe agent manager of {firm} associated you with the online service {service}. Client organizations may now grant you an agent right in their registry of this service.\n\nThis email is sent automatically by Guichet.",
  "mail.association.ended.subject": "Guichet — your association with the service {service} ended",
  "mail.association.ended.body":
    "Hello {name},\n\nThe agent manager of {firm} ended your association with the online service {service}. Your agent rights and mandates in this service have ended, for every client organization.\n\nThis email is sent automatically by Guichet.",
  "mail.dissociated.subject": "Guichet — an agent's rights ended ({service})",
  "mail.dissociated.body":
    "Hello {name},\n\nThe agent manager of {firm} dissociated {agent} from the online service {service}. Their right “{right}” in the registry of {organization} ended just now, together with their mandates.\n\nThis email is sent automatically by Guichet.",
};
