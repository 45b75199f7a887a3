// Texts of « Demander un accès », « Mes demandes d'accès », « Demandes d'accès reçues », the refusal page's « what is
// missing » and their emails (French, then English).

export const fr = {
  "rightRequests.askTitle": "Demander un accès",
  "rightRequests.askIntro":
    "Demandez un droit dans {service}. Votre demande va au gestionnaire local des droits d'accès de l'organisation choisie et à ses adjoints, qui l'approuvent ou la refusent\u202f; vous êtes informé de leur décision par courriel. Sans décision, elle expire après {days} jours.",
  "rightRequests.organization": "Organisation",
  "rightRequests.organizationHint":
    "La vôtre\u202f; pour un mandataire d'une firme, l'organisation cliente pour laquelle vous travaillez.",
  "rightRequests.chooseOrganization": "Choisissez une organisation",
  "rightRequests.right": "Droit demandé",
  "rightRequests.dossier": "Dossier (mandataire, facultatif)",
  "rightRequests.dossierHint":
    "Le numéro de la demande d'aide de l'organisation cliente sur laquelle vous devez travailler\u00a0: l'approbation vous y mandate.",
  "rightRequests.message": "Message (facultatif)",
  "rightRequests.messageHint": "Pourquoi vous avez besoin de ce droit (1000 caractères au plus).",
  "rightRequests.submit": "Envoyer la demande",
  "rightRequests.filed": "Votre demande du droit «\u00a0{right}\u00a0» pour {organization} est envoyée.",
  "rightRequests.repeatedFiling":
    "Cette demande avait déjà été envoyée\u202f; rien n'a été envoyé de nouveau.",
  "rightRequests.organizationRequired": "Choisissez l'organisation pour laquelle vous demandez le droit.",
  "rightRequests.rightRequired": "Choisissez le droit demandé.",
  "rightRequests.otherOrganization":
    "Vous ne pouvez pas demander un droit de requérant pour {organization}\u00a0: ce droit est réservé au personnel de l'organisation.",
  "rightRequests.notClient":
    "Vous ne pouvez pas demander ce droit pour {organization}\u00a0: un droit de mandataire est demandé par le personnel d'une firme, pour une municipalité ou un organisme client.",
  "rightRequests.messageTooLong": "Le texte dépasse {max} caractères\u202f; raccourcissez-le.",
  "rightRequests.dossierAgentOnly": "Un dossier ne se nomme qu'avec un droit de mandataire.",
  "rightRequests.dossierUnknown":
    "Ce numéro ne désigne aucune demande d'aide de {organization} dans ce service.",
  "rightRequests.alreadyHeld": "Vous détenez déjà ce droit pour {organization} dans ce service.",
  "rightRequests.holdsAnother":
    "Vous détenez déjà un droit pour cette organisation dans ce service\u202f; pour le changer, adressez-vous à son gestionnaire local ou à ses adjoints.",
  "rightRequests.alreadyAsked":
    "Vous avez déjà une demande ouverte pour ce droit\u202f; elle attend la décision du gestionnaire local (voir «\u00a0Mes demandes d'accès\u00a0»).",
  "rightRequests.expired": "Cette demande a expiré sans décision\u00a0: elle ne peut plus être approuvée.",
  "rightRequests.alreadyDecided": "Cette demande a déjà été décidée\u202f; rien n'a changé.",
  "rightRequests.notAssociated":
    "{name} n'est pas encore associé(e) à ce service par le gestionnaire de mandataires de sa firme\u00a0: l'approbation sera possible après l'association.",
  "rightRequests.reasonRequired": "Indiquez le motif du refus\u00a0: la personne en sera informée.",
  "rightRequests.ownTitle": "Mes demandes d'accès",
  "rightRequests.ownNone": "Vous n'avez fait aucune demande d'accès.",
  "rightRequests.receivedTitle": "Demandes d'accès reçues",
  "rightRequests.receivedIntro":
    "Les demandes de droits pour les registres dont vous êtes gestionnaire local ou adjoint. Approuver accorde le droit demandé.",
  "rightRequests.receivedNone": "Aucune demande d'accès reçue.",
  "rightRequests.col.date": "Date",
  "rightRequests.col.person": "Personne",
  "rightRequests.col.service": "Service",
  "rightRequests.col.organization": "Organisation",
  "rightRequests.col.right": "Droit",
  "rightRequests.col.dossier": "Dossier",
  "rightRequests.col.status": "État",
  "rightRequests.status.open": "En attente (expire le {date})",
  "rightRequests.status.openUnassociated":
    "En attente (expire le {date})\u00a0: le gestionnaire de mandataires de la firme doit d'abord associer la personne au service\u202f; il en est informé",
  "rightRequests.status.approved": "Approuvée par {name} le {date}",
  "rightRequests.status.refused": "Refusée par {name} le {date}\u00a0: {reason}",
  "rightRequests.status.expired": "Expirée sans décision",
  "rightRequests.review": "Examiner",
  "rightRequests.reviewTitle": "Demande d'accès de {name}",
  "rightRequests.reviewMessage": "Message",
  "rightRequests.noMessage": "(aucun)",
  "rightRequests.noDossier": "—",
  "rightRequests.needsAssociation":
    "{name} n'est pas encore associé(e) à ce service par le gestionnaire de mandataires de sa firme, qui a été informé de la demande\u202f; approuvez-la une fois l'association faite.",
  "rightRequests.approveHint":
    "Approuver accorde le droit sans date de fin (vous pourrez en fixer une dans le registre) et, si un dossier est nommé, y mandate la personne. Cette opération peut demander votre second facteur.",
  "rightRequests.approve": "Approuver et accorder le droit",
  "rightRequests.refuseReason": "Motif du refus",
  "rightRequests.refuseHint": "La personne recevra ce motif par courriel (1000 caractères au plus).",
  "rightRequests.refuse": "Refuser la demande",
  "rightRequests.approved": "La demande de {name} est approuvée\u00a0: le droit est accordé.",
  "rightRequests.approvedRepeated": "Cette approbation avait déjà été faite\u202f; rien n'a changé.",
  "rightRequests.refused": "La demande de {name} est refusée\u202f; la personne en est informée.",
  "rightRequests.decided": "Cette demande est décidée.",
  "rightRequests.backToReceived": "Retour aux demandes d'accès reçues",
  "rightRequests.askLink": "Demander un accès",
  "rightRequests.homeTitle": "Demandes d'accès",
  "rightRequests.receivedHint": "Approuver ou refuser les droits demandés dans les registres que vous gérez.",
  "rightRequests.ownHint":
    "Les droits que vous avez demandés et leur suite. Pour en demander un, ouvrez le service dans «\u00a0Services en ligne\u00a0».",
  "space.askHint":
    "Un droit vous manque dans ce service, pour votre organisation ou, comme mandataire, pour un client\u202f? Demandez-le à son gestionnaire local.",
  "stepUp.act.rightRequest.approve": "approuver une demande d'accès (accorder un droit)",
  "refusal.title": "Ce qui vous manque",
  "refusal.intro": "Pour {action} pour {organization} dans {service}, il vous manque\u00a0:",
  "refusal.action.application.list": "voir les demandes d'aide",
  "refusal.action.application.create": "créer une demande d'aide",
  "refusal.action.application.read": "consulter cette demande d'aide",
  "refusal.action.application.edit": "modifier cette demande d'aide",
  "refusal.action.application.transmit": "transmettre cette demande d'aide",
  "refusal.action.registry.view": "voir le registre des droits d'accès",
  "refusal.action.registry.grant": "accorder un droit d'accès",
  "refusal.action.registry.change": "modifier un droit d'accès",
  "refusal.action.registry.revoke": "retirer un droit d'accès",
  "refusal.action.registry.whoHasAccess": "voir qui a accès",
  "refusal.action.deputy.name": "nommer un gestionnaire adjoint",
  "refusal.action.deputy.remove": "retirer un gestionnaire adjoint",
  "refusal.action.mandate.view": "voir les mandats",
  "refusal.action.mandate.assign": "attribuer un mandat",
  "refusal.action.mandate.end": "mettre fin à un mandat",
  "refusal.action.journal.viewService": "voir le journal des accès du service",
  "refusal.action.rightRequest.decide": "décider d'une demande d'accès",
  "refusal.procuration": "une procuration de votre organisation couvrant ce service.",
  "refusal.procuration.who":
    "La donne le responsable des services électroniques (RSE) de votre organisation\u00a0: {names}.",
  "refusal.procuration.nobody": "Votre organisation n'a pas de responsable des services électroniques actif.",
  "refusal.association": "l'association de votre compte à ce service.",
  "refusal.association.who": "La fait le gestionnaire de mandataires de votre firme\u00a0: {names}.",
  "refusal.association.nobody":
    "Votre firme n'a pas de gestionnaire de mandataires dans ce service\u00a0: le ministère le désigne sur demande d'accès au service.",
  "refusal.right": "le droit {rights}.",
  "refusal.right.who":
    "Le donnent le gestionnaire local des droits d'accès de l'organisation et ses adjoints\u00a0: {names}.",
  "refusal.right.nobody":
    "Cette organisation n'a pas de gestionnaire local dans ce service\u00a0: le ministère le désigne sur demande d'accès au service.",
  "refusal.mandate": "un mandat sur ce dossier.",
  "refusal.mandate.who": "Le donnent le gestionnaire local et ses adjoints\u00a0: {names}.",
  "refusal.mandate.nobody": "Cette organisation n'a pas de gestionnaire local dans ce service.",
  "refusal.role": "le rôle de gestionnaire local ou d'adjoint de ce service.",
  "refusal.role.who": "Le gestionnaire local nomme les adjoints\u00a0: {names}.",
  "refusal.role.nobody": "Le ministère désigne le gestionnaire local sur demande d'accès au service.",
  "refusal.or": " ou ",
  "refusal.asked":
    "Vous avez déjà demandé ce droit le {date}\u202f; votre demande attend la décision du gestionnaire local.",
  "refusal.ownRequests": "Voir mes demandes d'accès",
  "mail.rightRequest.subject": "Guichet — demande d'accès dans {service}",
  "mail.rightRequest.body":
    "Bonjour {name},\n\n{person} demande le droit «\u00a0{right}\u00a0» pour {organization} dans {service}.{association}\n\nVous pouvez l'approuver ou la refuser dans «\u00a0Demandes d'accès reçues\u00a0»\u00a0: {link}\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.rightRequest.needsAssociation":
    "\n\nCette personne n'est pas encore associée au service\u00a0: le gestionnaire de mandataires de sa firme doit d'abord l'associer\u202f; il en est informé.",
  "mail.rightRequest.associationBody":
    "Bonjour {name},\n\n{person} demande le droit «\u00a0{right}\u00a0» pour {organization} dans {service}, comme mandataire. Pour que le gestionnaire local puisse l'accorder, associez d'abord cette personne au service («\u00a0Association des mandataires\u00a0», dans l'espace du service)\u00a0: {link}\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.rightRequest.approved.subject": "Guichet — votre demande d'accès dans {service} est approuvée",
  "mail.rightRequest.approved.body":
    "Bonjour {name},\n\nVotre demande du droit «\u00a0{right}\u00a0» pour {organization} dans {service} est approuvée\u00a0: le droit vous est accordé.\n\nVos demandes\u00a0: {link}\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.rightRequest.refused.subject": "Guichet — votre demande d'accès dans {service} est refusée",
  "mail.rightRequest.refused.body":
    "Bonjour {name},\n\nVotre demande du droit «\u00a0{right}\u00a0» pour {organization} dans {service} est refusée.\n\nMotif\u00a0: {reason}\n\nVos demandes\u00a0: {link}\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.rightRequest.expired.subject": "Guichet — votre demande d'accès dans {service} a expiré",
  "mail.rightRequest.expired.body":
    "Bonjour {name},\n\nVotre demande du droit «\u00a0{right}\u00a0» pour {organization} dans {service} a expiré sans décision. Vous pouvez en faire une nouvelle.{reason}\n\nVos demandes\u00a0: {link}\n\nCe courriel est envoyé automatiquement par Guichet.",
};

export const en: Record<keyof typeof fr, string> = {
  "rightRequests.askTitle": "Ask for access",
  "rightRequests.askIntro":
    "Ask for a right in {service}. Your request goes to the local access manager of the organization you choose and to their deputies, who approve or refuse it; you are told of their decision by email. Without a decision, it expires after {days} days.",
  "rightRequests.organization": "Organization",
  "rightRequests.organizationHint": "Your own; for a firm's agent, the client organization you work for.",
  "rightRequests.chooseOrganization": "Choose an organization",
  "rightRequests.right": "Right asked for",
  "rightRequests.dossier": "Dossier (agent, optional)",
  "rightRequests.dossierHint":
    "The number of the client organization's application you must work on: the approval mandates you on it.",
  "rightRequests.message": "Message (optional)",
  "rightRequests.messageHint": "Why you need this right (1,000 characters at most).",
  "rightRequests.submit": "Send the request",
  "rightRequests.filed": "Your request for the right “{right}” for {organization} is sent.",
  "rightRequests.repeatedFiling": "This request had already been sent; nothing was sent again.",
  "rightRequests.organizationRequired": "Choose the organization you ask the right for.",
  "rightRequests.rightRequired": "Choose the right you ask for.",
  "rightRequests.otherOrganization":
    "You cannot ask for a requester right for {organization}: that right is for the organization's own staff.",
  "rightRequests.notClient":
    "You cannot ask for this right for {organization}: an agent right is asked by a firm's staff, for a client municipality or body.",
  "rightRequests.messageTooLong": "The text is over {max} characters; shorten it.",
  "rightRequests.dossierAgentOnly": "A dossier is named only with an agent right.",
  "rightRequests.dossierUnknown": "This number names no application of {organization} in this service.",
  "rightRequests.alreadyHeld": "You already hold this right for {organization} in this service.",
  "rightRequests.holdsAnother":
    "You already hold a right for this organization in this service; to change it, ask its local manager or deputies.",
  "rightRequests.alreadyAsked":
    "You already have an open request for this right; it awaits the local manager's decision (see “My access requests”).",
  "rightRequests.expired": "This request expired without a decision: it can no longer be approved.",
  "rightRequests.alreadyDecided": "This request has already been decided; nothing changed.",
  "rightRequests.notAssociated":
    "{name} is not yet associated with this service by their firm's agent manager: it can be approved after the association.",
  "rightRequests.reasonRequired": "Give the reason for the refusal: the person will be told.",
  "rightRequests.ownTitle": "My access requests",
  "rightRequests.ownNone": "You have made no access request.",
  "rightRequests.receivedTitle": "Access requests received",
  "rightRequests.receivedIntro":
    "Requests for rights in the registries where you are local manager or deputy. Approving grants the right asked for.",
  "rightRequests.receivedNone": "No access request received.",
  "rightRequests.col.date": "Date",
  "rightRequests.col.person": "Person",
  "rightRequests.col.service": "Service",
  "rightRequests.col.organization": "Organization",
  "rightRequests.col.right": "Right",
  "rightRequests.col.dossier": "Dossier",
  "rightRequests.col.status": "Status",
  "rightRequests.status.open": "Waiting (expires on {date})",
  "rightRequests.status.openUnassociated":
    "Waiting (expires on {date}): the firm's agent manager must first associate the person with the service, and is told so",
  "rightRequests.status.approved": "Approved by {name} on {date}",
  "rightRequests.status.refused": "Refused by {name} on {date}: {reason}",
  "rightRequests.status.expired": "Expired without a decision",
  "rightRequests.review": "Review",
  "rightRequests.reviewTitle": "Access request from {name}",
  "rightRequests.reviewMessage": "Message",
  "rightRequests.noMessage": "(none)",
  "rightRequests.noDossier": "—",
  "rightRequests.needsAssociation":
    "{name} is not yet associated with this service by their firm's agent manager, who was told of the request; approve it once the association is made.",
  "rightRequests.approveHint":
    "Approving grants the right with no end date (you may set one in the registry) and, when a dossier is named, mandates the person on it. It may ask for your second factor.",
  "rightRequests.approve": "Approve and grant the right",
  "rightRequests.refuseReason": "Reason for the refusal",
  "rightRequests.refuseHint": "The person will receive this reason by email (1,000 characters at most).",
  "rightRequests.refuse": "Refuse the request",
  "rightRequests.approved": "{name}'s request is approved: the right is granted.",
  "rightRequests.approvedRepeated": "This approval had already been made; nothing changed.",
  "rightRequests.refused": "{name}'s request is refused; the person is told.",
  "rightRequests.decided": "This request is decided.",
  "rightRequests.backToReceived": "Back to the access requests received",
  "rightRequests.askLink": "Ask for access",
  "rightRequests.homeTitle": "Access requests",
  "rightRequests.receivedHint": "Approve or refuse the rights asked for in the registries you manage.",
  "rightRequests.ownHint":
    "The rights you asked for and what became of them. To ask for one, open the service in “Online services”.",
  "space.askHint":
    "Missing a right in this service, for your organization or, as an agent, for a client? Ask its local manager.",
  "stepUp.act.rightRequest.approve": "approve an access request (grant a right)",
  "refusal.title": "What you lack",
  "refusal.intro": "To {action} for {organization} in {service}, you lack:",
  "refusal.action.application.list": "see the applications",
  "refusal.action.application.create": "create an application",
  "refusal.action.application.read": "read this application",
  "refusal.action.application.edit": "edit this application",
  "refusal.action.application.transmit": "transmit this application",
  "refusal.action.registry.view": "see the access registry",
  "refusal.action.registry.grant": "grant an access right",
  "refusal.action.registry.change": "change an access right",
  "refusal.action.registry.revoke": "revoke an access right",
  "refusal.action.registry.whoHasAccess": "see who has access",
  "refusal.action.deputy.name": "name a deputy manager",
  "refusal.action.deputy.remove": "remove a deputy manager",
  "refusal.action.mandate.view": "see the mandates",
  "refusal.action.mandate.assign": "assign a mandate",
  "refusal.action.mandate.end": "end a mandate",
  "refusal.action.journal.viewService": "see the service's access journal",
  "refusal.action.rightRequest.decide": "decide an access request",
  "refusal.procuration": "a procuration of your organization covering this service.",
  "refusal.procuration.who": "Your organization's services officer (RSE) gives it: {names}.",
  "refusal.procuration.nobody": "Your organization has no active services officer.",
  "refusal.association": "the association of your account with this service.",
  "refusal.association.who": "Your firm's agent manager makes it: {names}.",
  "refusal.association.nobody":
    "Your firm has no agent manager in this service: the ministry designates one on an access request for the service.",
  "refusal.right": "the right {rights}.",
  "refusal.right.who": "The organization's local access manager and deputies give it: {names}.",
  "refusal.right.nobody":
    "This organization has no local manager in this service: the ministry designates one on an access request for the service.",
  "refusal.mandate": "a mandate on this dossier.",
  "refusal.mandate.who": "The local manager and deputies give it: {names}.",
  "refusal.mandate.nobody": "This organization has no local manager in this service.",
  "refusal.role": "the role of local manager or deputy of this service.",
  "refusal.role.who": "The local manager names the deputies: {names}.",
  "refusal.role.nobody": "The ministry designates the local manager on an access request for the service.",
  "refusal.or": " or ",
  "refusal.asked":
    "You already asked for this right on {date}; your request awaits the local manager's decision.",
  "refusal.ownRequests": "See my access requests",
  "mail.rightRequest.subject": "Guichet — access request in {service}",
  "mail.rightRequest.body":
    "Hello {name},\n\n{person} asks for the right “{right}” for {organization} in {service}.{association}\n\nYou can approve or refuse it in “Access requests received”: {link}\n\nThis email is sent automatically by Guichet.",
  "mail.rightRequest.needsAssociation":
    "\n\nThis person is not yet associated with the service: their firm's agent manager must associate them first, and is told so.",
  "mail.rightRequest.associationBody":
    "Hello {name},\n\n{person} asks for the right “{right}” for {organization} in {service}, as an agent. For the local manager to grant it, first associate this person with the service (“Agent association”, in the service's space): {link}\n\nThis email is sent automatically by Guichet.",
  "mail.rightRequest.approved.subject": "Guichet — your access request in {service} is approved",
  "mail.rightRequest.approved.body":
    "Hello {name},\n\nYour request for the right “{right}” for {organization} in {service} is approved: the right is granted to you.\n\nYour requests: {link}\n\nThis email is sent automatically by Guichet.",
  "mail.rightRequest.refused.subject": "Guichet — your access request in {service} is refused",
  "mail.rightRequest.refused.body":
    "Hello {name},\n\nYour request for the right “{right}” for {organization} in {service} is refused.\n\nReason: {reason}\n\nYour requests: {link}\n\nThis email is sent automatically by Guichet.",
  "mail.rightRequest.expired.subject": "Guichet — your access request in {service} expired",
  "mail.rightRequest.expired.body":
    "Hello {name},\n\nYour request for the right “{right}” for {organization} in {service} expired without a decision. You may make a new one.{reason}\n\nYour requests: {link}\n\nThis email is sent automatically by Guichet.",
};
