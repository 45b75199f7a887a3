// Texts of the service catalogue and of the access requests an organization files (French, then English).

export const fr = {
  "services.catalogueTitle": "Services en ligne",
  "services.catalogueIntro":
    "Les services en ligne des programmes d'aide financière du ministère. Pour obtenir l'accès à un service, votre organisation désigne un gestionnaire local des droits d'accès (ou, pour une firme, un gestionnaire de mandataires).",
  "services.category.infrastructures": "Infrastructures",
  "services.category.other": "Autres",
  "services.requestAccess": "Demander l'accès au service",
  "services.mine": "Mes services en ligne",
  "services.mineEmpty":
    "Vous ne détenez aucun rôle dans un service en ligne. Le gestionnaire local des droits d'accès de votre organisation peut vous en attribuer.",
  "services.allServices": "Tous les services en ligne",
  "services.allServicesHint": "Consulter le catalogue des services et demander l'accès à un service.",
  "services.role.local_manager": "Gestionnaire local des droits d'accès",
  "services.role.deputy": "Gestionnaire local adjoint",
  "services.role.agent_manager": "Gestionnaire de mandataires",
  "services.administeredBy": "Administré par\u00a0: {unit}",

  "accessRequests.title": "Demande d'accès au service en ligne {service}",
  "accessRequests.intro":
    "La présente demande a pour but de donner accès à votre organisation au service en ligne «\u00a0{name}\u00a0» par l'entremise d'une personne que vous aurez désignée. En tant que «\u00a0gestionnaire local des droits d'accès\u00a0», cette personne aura le pouvoir d'attribuer et de retirer des droits d'accès aux employés et mandataires de votre organisation.",
  "accessRequests.introFirm":
    "La présente demande a pour but de donner accès à un point de service de votre firme au service en ligne «\u00a0{name}\u00a0» par l'entremise d'une personne que vous aurez désignée. En tant que «\u00a0gestionnaire de mandataires\u00a0», cette personne associera au service le personnel de ce point de service.",
  "accessRequests.stepsTitle": "Étapes à suivre",
  "accessRequests.step1":
    "Désignez la personne de votre organisation qui sera responsable de gérer les droits d'accès au service. Elle doit appartenir à votre organisation et être placée sous son autorité directe.",
  "accessRequests.step2":
    "Si cette personne n'a pas de code d'utilisateur, elle doit d'abord en obtenir un auprès du responsable des services électroniques (RSE) de votre organisation.",
  "accessRequests.step3": "Ayez en main son code d'utilisateur au moment de remplir le formulaire.",
  "accessRequests.step4":
    "Une municipalité doit avoir en main son code d'identification, reçu par la poste\u202f; ce code est nécessaire pour transmettre la demande.",
  "accessRequests.step5": "Remplissez le formulaire ci-dessous et soumettez-le au ministère.",
  "accessRequests.step6":
    "Une fois votre demande traitée, le ministère confirmera par courriel à la personne désignée sa désignation, de même que ses droits et ses responsabilités.",
  "accessRequests.chooseForm": "Formulaire",
  "accessRequests.managerGap": "{manager}, {role} de votre organisation, ne peut plus agir\u00a0: {cause}.",
  "accessRequests.managerGapReplace": "Faire la demande de remplacement",
  "accessRequests.form.municipalite":
    "Formulaire de désignation d'un gestionnaire local des droits d'accès pour une municipalité",
  "accessRequests.form.organisme":
    "Formulaire de désignation d'un gestionnaire local des droits d'accès pour un organisme",
  "accessRequests.form.mandataires": "Formulaire de désignation d'un gestionnaire de mandataires",
  "accessRequests.replacement.municipalite":
    "Demande de remplacement du gestionnaire local des droits d'accès d'une municipalité",
  "accessRequests.replacement.organisme":
    "Demande de remplacement du gestionnaire local des droits d'accès d'un organisme",
  "accessRequests.replacement.mandataires": "Demande de remplacement d'un gestionnaire de mandataires",
  "accessRequests.ministryCannotFile":
    "Un ministère administre les services en ligne\u00a0: il ne fait pas de demande d'accès à ses propres services.",
  "accessRequests.needProcuration":
    "Pour faire une demande d'accès au nom de {organization}, vous devez détenir une procuration valide pour {ministry}. Adressez-vous au responsable des services électroniques (RSE) de votre organisation.",
  "accessRequests.serviceNotCovered":
    "Votre procuration pour {ministry} ne couvre pas ce service en ligne. Adressez-vous au responsable des services électroniques (RSE) de votre organisation.",
  "accessRequests.backToServices": "Retour aux services en ligne",

  "accessRequests.search": "Chercher",
  "accessRequests.submit": "Soumettre",
  "accessRequests.municipalityStep": "Étape 1 – Identifiez la municipalité",
  "accessRequests.bodyStep": "Étape 1 – Identifiez l'organisme",
  "accessRequests.firmStep": "Étape 1 – Identifiez la firme",
  "accessRequests.geoCode": "Code géographique",
  "accessRequests.geoCodeHint": "5 chiffres, par exemple 23027.",
  "accessRequests.neq": "Numéro d'entreprise du Québec (NEQ)",
  "accessRequests.neqHint": "10 chiffres.",
  "accessRequests.municipality": "Municipalité",
  "accessRequests.address": "Adresse",
  "accessRequests.identificationCode": "Code d'identification de la municipalité",
  "accessRequests.identificationCodeHint":
    "Le code reçu par la poste, par exemple ABCD-EFGH-JKMN (les tirets et la casse ne comptent pas).",
  "accessRequests.bodyDetailsIntro": "Inscrivez les coordonnées complètes de votre organisme.",
  "accessRequests.bodyCategory": "Catégorie de l'organisme",
  "accessRequests.bodyName": "Nom de l'organisme",
  "accessRequests.civicNumber": "Numéro civique",
  "accessRequests.street": "Nom de la rue",
  "accessRequests.city": "Municipalité",
  "accessRequests.postalCode": "Code postal",
  "accessRequests.postalCodeHint": "Par exemple G1R 4J3.",
  "accessRequests.region": "Région administrative",
  "accessRequests.provincialRiding": "Circonscription électorale provinciale",
  "accessRequests.federalRiding": "Circonscription électorale fédérale",
  "accessRequests.firm": "Firme",
  "accessRequests.servicePoint": "Point de service",
  "accessRequests.servicePointIntro":
    "Un gestionnaire de mandataires est désigné par point de service. Choisissez le point de service, ou ajoutez-en un.",
  "accessRequests.servicePointManager": "Gestionnaire de mandataires\u00a0: {name}",
  "accessRequests.newServicePoint": "Ajouter un point de service",
  "accessRequests.newServicePointName": "Nom du point de service",
  "accessRequests.requesterTitle": "Demandeur",
  "accessRequests.requesterIntro":
    "Inscrivez les coordonnées du demandeur. Le demandeur doit être une personne en autorité au sein de l'organisation.",
  "accessRequests.civility": "Civilité",
  "accessRequests.requesterLastName": "Nom du demandeur",
  "accessRequests.requesterFirstName": "Prénom du demandeur",
  "accessRequests.jobTitle": "Fonction",
  "accessRequests.phone": "Téléphone",
  "accessRequests.extension": "Poste",
  "accessRequests.email": "Courriel",
  "accessRequests.designatedStep.local_manager":
    "Étape 2 – Identifiez le gestionnaire local des droits d'accès",
  "accessRequests.designatedStep.agent_manager": "Étape 2 – Identifiez le gestionnaire de mandataires",
  "accessRequests.designatedIntro":
    "Inscrivez le code d'utilisateur de la personne de votre organisation que vous désignez, puis cliquez sur «\u00a0Chercher\u00a0»\u00a0: ses coordonnées apparaîtront. Une organisation ne désigne qu'un seul gestionnaire par service en ligne.",
  "accessRequests.userCode": "Code d'utilisateur de la personne désignée",
  "accessRequests.userCodeHint": "7 lettres et chiffres.",
  "accessRequests.designatedFound": "Personne désignée",
  "accessRequests.designatedProfileHint":
    "Pour modifier ses coordonnées, la personne s'adresse au responsable des services électroniques (RSE) de son organisation.",
  "accessRequests.reasonTitle": "Motif du remplacement",
  "accessRequests.reason": "Raison du remplacement",
  "accessRequests.reasonHint": "Par exemple\u00a0: départ à la retraite, changement de fonction.",
  "accessRequests.currentManager": "Gestionnaire en fonction\u00a0: {name} ({code})",
  "accessRequests.replacementIntro":
    "La personne nommée remplacera le gestionnaire en fonction dès que le ministère aura approuvé la demande.",
  "accessRequests.requestLabel": "Demande",

  "accessRequests.geoCode.invalid": "Le code géographique contient 5 chiffres, par exemple 23027.",
  "accessRequests.geoCode.unknown": "Aucune municipalité ne correspond au code géographique {code}.",
  "accessRequests.neq.invalid": "Le NEQ contient exactement 10 chiffres.",
  "accessRequests.neq.unknownBody": "Aucun organisme ne correspond au NEQ {neq}.",
  "accessRequests.neq.unknownFirm": "Aucune firme ne correspond au NEQ {neq}.",
  "accessRequests.identificationCode.wrong":
    "Le code d'identification est incorrect. Vérifiez le code reçu par la poste.",
  "accessRequests.identificationCode.none":
    "Aucun code d'identification n'a été émis pour cette municipalité. Adressez-vous à la Direction générale des infrastructures.",
  "accessRequests.identificationCode.throttled":
    "Trop de codes d'identification erronés pour cette municipalité. Veuillez réessayer dans {seconds} s.",
  "accessRequests.postalCode.invalid": "Entrez un code postal canadien, par exemple G1R 4J3.",
  "accessRequests.userCode.invalid": "Le code d'utilisateur contient 7 lettres et chiffres.",
  "accessRequests.userCode.notMember":
    "Aucun utilisateur de {organization} ne correspond au code {code}. La personne désignée doit appartenir à votre organisation.",
  "accessRequests.userCode.disabled":
    "Le compte de cette personne est désactivé. Désignez une personne dont le compte est actif.",
  "accessRequests.userCode.alreadyManager": "Cette personne est déjà le gestionnaire en fonction.",
  "accessRequests.servicePoint.required": "Choisissez un point de service ou ajoutez-en un.",
  "accessRequests.required.geoCode": "Entrez le code géographique de la municipalité.",
  "accessRequests.required.neq": "Entrez le numéro d'entreprise du Québec (NEQ).",
  "accessRequests.required.identificationCode": "Entrez le code d'identification de la municipalité.",
  "accessRequests.required.designatedCode": "Entrez le code d'utilisateur de la personne désignée.",
  "accessRequests.required.category": "Entrez la catégorie de l'organisme.",
  "accessRequests.required.bodyName": "Entrez le nom de l'organisme.",
  "accessRequests.required.street": "Entrez le nom de la rue.",
  "accessRequests.required.city": "Entrez la municipalité.",
  "accessRequests.required.postalCode": "Entrez le code postal.",
  "accessRequests.required.provincialRiding": "Entrez la circonscription électorale provinciale.",
  "accessRequests.required.federalRiding": "Entrez la circonscription électorale fédérale.",
  "accessRequests.required.pointName": "Entrez le nom du point de service.",
  "accessRequests.required.reason": "Entrez la raison du remplacement.",
  "accessRequests.servicePoint.invalid": "Ce point de service n'appartient pas à la firme.",
  "accessRequests.servicePoint.nameTaken": "La firme a déjà un point de service nommé «\u00a0{name}\u00a0».",
  "accessRequests.managerExists.local_manager":
    "{name} est déjà le gestionnaire local des droits d'accès de {organization} pour ce service. Une organisation n'en désigne qu'un seul\u00a0: pour le remplacer, faites une demande de remplacement.",
  "accessRequests.managerExists.agent_manager":
    "{name} est déjà le gestionnaire de mandataires de ce point de service pour ce service. Pour le remplacer, faites une demande de remplacement.",
  "accessRequests.askReplacement": "Faire une demande de remplacement",
  "accessRequests.noManagerToReplace":
    "Aucun gestionnaire n'est en fonction\u00a0: il n'y a personne à remplacer. Faites plutôt une demande d'accès.",
  "accessRequests.askAccess": "Faire une demande d'accès",
  "accessRequests.pending":
    "Une demande est déjà en attente pour cette organisation et ce service. Le ministère doit la traiter avant qu'une autre puisse être faite.",
  "accessRequests.alreadySent":
    "Ce formulaire a déjà été transmis\u00a0: votre demande a été envoyée une seule fois et elle est en attente de traitement.",
  "accessRequests.sent": "Merci, votre demande a été envoyée avec succès à la {unit}.",
  "accessRequests.sentTitle": "Demande d'accès envoyée",
  "accessRequests.sentNext":
    "Dès que la demande aura été traitée, la personne désignée recevra un courriel lui confirmant sa désignation. Un accusé de réception a été envoyé au demandeur.",
  "accessRequests.defaultUnit": "Direction générale des infrastructures",

  "mail.accessRequest.subject": "Guichet — demande d'accès au service {service}",
  "mail.accessRequest.body":
    "Bonjour {name},\n\nNous avons bien reçu la demande faite au nom de {organization} le {date}\u00a0: désignation de {designated} comme {role} du service en ligne {service}.\n\nLa demande a été transmise à la {unit}. Dès qu'elle aura été traitée, la personne désignée recevra un courriel lui confirmant sa désignation.\n\nNuméro de la demande\u00a0: {id}\n\nCe message est envoyé automatiquement\u202f; veuillez ne pas y répondre.",
  "mail.accessRequest.roleLocalManager": "gestionnaire local des droits d'accès",
  "mail.accessRequest.roleAgentManager": "gestionnaire de mandataires ({point})",
  "mail.accessRequest.replacement": " (remplacement)",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "services.catalogueTitle": "Online services",
  "services.catalogueIntro":
    "The online services of the ministry's financial aid programs. To get access to a service, your organization designates a local access rights manager (or, for a firm, an agent manager).",
  "services.category.infrastructures": "Infrastructure",
  "services.category.other": "Other",
  "services.requestAccess": "Request access to the service",
  "services.mine": "My online services",
  "services.mineEmpty":
    "You hold no role in any online service. Your organization's local access rights manager can give you one.",
  "services.allServices": "All online services",
  "services.allServicesHint": "Browse the service catalogue and request access to a service.",
  "services.role.local_manager": "Local access rights manager",
  "services.role.deputy": "Deputy local manager",
  "services.role.agent_manager": "Agent manager",
  "services.administeredBy": "Administered by: {unit}",

  "accessRequests.title": "Access request for the online service {service}",
  "accessRequests.intro":
    "This request gives your organization access to the online service “{name}” through a person you designate. As “local access rights manager”, this person will be able to grant and remove access rights for your organization's employees and agents.",
  "accessRequests.introFirm":
    "This request gives one service point of your firm access to the online service “{name}” through a person you designate. As “agent manager”, this person will associate the staff of that service point with the service.",
  "accessRequests.stepsTitle": "Steps",
  "accessRequests.step1":
    "Designate the person of your organization who will manage access rights to the service. They must belong to your organization and report directly to it.",
  "accessRequests.step2":
    "If this person has no user code, they must first get one from your organization's electronic services officer.",
  "accessRequests.step3": "Have their user code at hand when you fill in the form.",
  "accessRequests.step4":
    "A municipality needs its identification code, received by mail; the request cannot be sent without it.",
  "accessRequests.step5": "Fill in the form below and submit it to the ministry.",
  "accessRequests.step6":
    "Once your request is processed, the ministry will confirm the designation, rights and responsibilities to the designated person by email.",
  "accessRequests.chooseForm": "Form",
  "accessRequests.managerGap": "{manager}, {role} of your organization, can no longer act: {cause}.",
  "accessRequests.managerGapReplace": "Send the replacement request",
  "accessRequests.form.municipalite": "Designation of a local access rights manager for a municipality",
  "accessRequests.form.organisme": "Designation of a local access rights manager for a public body",
  "accessRequests.form.mandataires": "Designation of an agent manager",
  "accessRequests.replacement.municipalite":
    "Replacement of the local access rights manager of a municipality",
  "accessRequests.replacement.organisme": "Replacement of the local access rights manager of a public body",
  "accessRequests.replacement.mandataires": "Replacement of an agent manager",
  "accessRequests.ministryCannotFile":
    "A ministry administers online services: it does not request access to its own services.",
  "accessRequests.needProcuration":
    "To request access on behalf of {organization}, you need a valid procuration for {ministry}. Contact your organization's electronic services officer.",
  "accessRequests.serviceNotCovered":
    "Your procuration for {ministry} does not cover this online service. Contact your organization's electronic services officer.",
  "accessRequests.backToServices": "Back to online services",

  "accessRequests.search": "Search",
  "accessRequests.submit": "Submit",
  "accessRequests.municipalityStep": "Step 1 – Identify the municipality",
  "accessRequests.bodyStep": "Step 1 – Identify the public body",
  "accessRequests.firmStep": "Step 1 – Identify the firm",
  "accessRequests.geoCode": "Geographic code",
  "accessRequests.geoCodeHint": "5 digits, for example 23027.",
  "accessRequests.neq": "Québec enterprise number (NEQ)",
  "accessRequests.neqHint": "10 digits.",
  "accessRequests.municipality": "Municipality",
  "accessRequests.address": "Address",
  "accessRequests.identificationCode": "Municipality identification code",
  "accessRequests.identificationCodeHint":
    "The code received by mail, for example ABCD-EFGH-JKMN (dashes and case do not matter).",
  "accessRequests.bodyDetailsIntro": "Enter your public body's full details.",
  "accessRequests.bodyCategory": "Category of the body",
  "accessRequests.bodyName": "Name of the body",
  "accessRequests.civicNumber": "Civic number",
  "accessRequests.street": "Street",
  "accessRequests.city": "Municipality",
  "accessRequests.postalCode": "Postal code",
  "accessRequests.postalCodeHint": "For example G1R 4J3.",
  "accessRequests.region": "Administrative region",
  "accessRequests.provincialRiding": "Provincial electoral riding",
  "accessRequests.federalRiding": "Federal electoral riding",
  "accessRequests.firm": "Firm",
  "accessRequests.servicePoint": "Service point",
  "accessRequests.servicePointIntro":
    "An agent manager is designated for each service point. Choose the service point, or add one.",
  "accessRequests.servicePointManager": "Agent manager: {name}",
  "accessRequests.newServicePoint": "Add a service point",
  "accessRequests.newServicePointName": "Name of the service point",
  "accessRequests.requesterTitle": "Requester",
  "accessRequests.requesterIntro":
    "Enter the requester's details. The requester must be a person in authority within the organization.",
  "accessRequests.civility": "Title",
  "accessRequests.requesterLastName": "Requester's last name",
  "accessRequests.requesterFirstName": "Requester's first name",
  "accessRequests.jobTitle": "Position",
  "accessRequests.phone": "Phone",
  "accessRequests.extension": "Extension",
  "accessRequests.email": "Email",
  "accessRequests.designatedStep.local_manager": "Step 2 – Identify the local access rights manager",
  "accessRequests.designatedStep.agent_manager": "Step 2 – Identify the agent manager",
  "accessRequests.designatedIntro":
    "Enter the user code of the person of your organization you designate, then click “Search”: their details will appear. An organization designates only one manager per online service.",
  "accessRequests.userCode": "User code of the designated person",
  "accessRequests.userCodeHint": "7 letters and digits.",
  "accessRequests.designatedFound": "Designated person",
  "accessRequests.designatedProfileHint":
    "To change their details, the person contacts their organization's electronic services officer.",
  "accessRequests.reasonTitle": "Reason for the replacement",
  "accessRequests.reason": "Reason for the replacement",
  "accessRequests.reasonHint": "For example: retirement, change of position.",
  "accessRequests.currentManager": "Current manager: {name} ({code})",
  "accessRequests.replacementIntro":
    "The person named will replace the current manager as soon as the ministry approves the request.",
  "accessRequests.requestLabel": "Request",

  "accessRequests.geoCode.invalid": "The geographic code has 5 digits, for example 23027.",
  "accessRequests.geoCode.unknown": "No municipality has the geographic code {code}.",
  "accessRequests.neq.invalid": "The NEQ has exactly 10 digits.",
  "accessRequests.neq.unknownBody": "No public body has the NEQ {neq}.",
  "accessRequests.neq.unknownFirm": "No firm has the NEQ {neq}.",
  "accessRequests.identificationCode.wrong":
    "The identification code is wrong. Check the code received by mail.",
  "accessRequests.identificationCode.none":
    "No identification code was issued for this municipality. Contact the Direction générale des infrastructures.",
  "accessRequests.identificationCode.throttled":
    "Too many wrong identification codes for this municipality. Please try again in {seconds} s.",
  "accessRequests.postalCode.invalid": "Enter a Canadian postal code, for example G1R 4J3.",
  "accessRequests.userCode.invalid": "The user code has 7 letters and digits.",
  "accessRequests.userCode.notMember":
    "No user of {organization} has the code {code}. The designated person must belong to your organization.",
  "accessRequests.userCode.disabled":
    "This person's account is disabled. Designate a person whose account is active.",
  "accessRequests.userCode.alreadyManager": "This person already is the current manager.",
  "accessRequests.servicePoint.required": "Choose a service point or add one.",
  "accessRequests.required.geoCode": "Enter the municipality's geographic code.",
  "accessRequests.required.neq": "Enter the Québec enterprise number (NEQ).",
  "accessRequests.required.identificationCode": "Enter the municipality's identification code.",
  "accessRequests.required.designatedCode": "Enter the designated person's user code.",
  "accessRequests.required.category": "Enter the body's category.",
  "accessRequests.required.bodyName": "Enter the body's name.",
  "accessRequests.required.street": "Enter the street name.",
  "accessRequests.required.city": "Enter the municipality.",
  "accessRequests.required.postalCode": "Enter the postal code.",
  "accessRequests.required.provincialRiding": "Enter the provincial electoral riding.",
  "accessRequests.required.federalRiding": "Enter the federal electoral riding.",
  "accessRequests.required.pointName": "Enter the service point's name.",
  "accessRequests.required.reason": "Enter the reason for the replacement.",
  "accessRequests.servicePoint.invalid": "This service point does not belong to the firm.",
  "accessRequests.servicePoint.nameTaken": "The firm already has a service point named “{name}”.",
  "accessRequests.managerExists.local_manager":
    "{name} already is the local access rights manager of {organization} for this service. An organization designates only one: to replace them, make a replacement request.",
  "accessRequests.managerExists.agent_manager":
    "{name} already is the agent manager of this service point for this service. To replace them, make a replacement request.",
  "accessRequests.askReplacement": "Make a replacement request",
  "accessRequests.noManagerToReplace":
    "No manager is in office: there is nobody to replace. Make an access request instead.",
  "accessRequests.askAccess": "Make an access request",
  "accessRequests.pending":
    "A request is already pending for this organization and this service. The ministry must process it before another one can be made.",
  "accessRequests.alreadySent":
    "This form was already sent: your request was sent once and is awaiting processing.",
  "accessRequests.sent": "Thank you, your request was sent successfully to the {unit}.",
  "accessRequests.sentTitle": "Access request sent",
  "accessRequests.sentNext":
    "Once the request is processed, the designated person will receive an email confirming their designation. An acknowledgement was sent to the requester.",
  "accessRequests.defaultUnit": "Direction générale des infrastructures",

  "mail.accessRequest.subject": "Guichet — access request for the service {service}",
  "mail.accessRequest.body":
    "Hello {name},\n\nWe received the request made on behalf of {organization} on {date}: designation of {designated} as {role} of the online service {service}.\n\nThe request was sent to the {unit}. Once it is processed, the designated person will receive an email confirming their designation.\n\nRequest number: {id}\n\nThis message is sent automatically; please do not reply.",
  "mail.accessRequest.roleLocalManager": "local access rights manager",
  "mail.accessRequest.roleAgentManager": "agent manager ({point})",
  "mail.accessRequest.replacement": " (replacement)",
};
