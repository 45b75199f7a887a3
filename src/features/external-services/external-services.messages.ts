// Texts of « Services en ligne externes »: the list, the form, the client's page and its secret (French, then English).

export const fr = {
  "externalServices.title": "Services en ligne externes",
  "externalServices.homeHint":
    "Inscrire les services en ligne du ministère offerts sur leurs propres serveurs, qui authentifient leurs utilisateurs par Guichet (OpenID Connect).",
  "externalServices.intro":
    "Les services en ligne du ministère ({ministry}) offerts sur leurs propres serveurs. Chacun est un client OpenID de Guichet\u00a0: les personnes s'y connectent avec leur code d'utilisateur, et Guichet indique au service pour quelle organisation elles agissent. Les droits d'accès restent inscrits dans le Registre des droits d'accès de Guichet.",
  "externalServices.empty": "Aucun service en ligne externe n'est inscrit.",
  "externalServices.add": "Inscrire un service en ligne externe",
  "externalServices.back": "Retour aux services en ligne externes",
  "externalServices.open": "Consulter",
  "externalServices.none": "Aucune",
  "externalServices.col.service": "Service en ligne",
  "externalServices.col.address": "Adresse",
  "externalServices.col.clientId": "Identifiant du client",
  "externalServices.col.method": "Authentification",
  "externalServices.col.assurance": "Niveau minimal",
  "externalServices.col.state": "État",
  "externalServices.col.actions": "Actions",
  "externalServices.state.enabled": "Actif",
  "externalServices.state.disabled": "Désactivé",

  "externalServices.new.title": "Inscrire un service en ligne externe",
  "externalServices.new.intro":
    "Le service en ligne est ajouté au catalogue de Guichet et inscrit comme client OpenID. Guichet compare les adresses telles quelles\u00a0: écrivez-les exactement comme le service les enverra.",
  "externalServices.new.submit": "Inscrire",
  "externalServices.edit.title": "Modifier {code}",
  "externalServices.edit.intro":
    "Les changements s'appliquent dès l'enregistrement. Passer à un secret partagé génère un secret, affiché une seule fois.",
  "externalServices.edit.submit": "Enregistrer les changements",
  "externalServices.form.service": "Service en ligne",
  "externalServices.form.signIn": "Connexion par Guichet (OpenID Connect)",
  "externalServices.form.authentication": "Authentification du service auprès de Guichet",
  "externalServices.field.code": "Code du service",
  "externalServices.required.code": "Entrez le code du service.",
  "externalServices.required.name": "Entrez le nom du service.",
  "externalServices.required.address": "Entrez l'adresse du service.",
  "externalServices.required.redirects": "Entrez au moins une adresse de redirection.",
  "externalServices.required.jwks": "Entrez l'adresse JWKS du service.",
  "externalServices.field.codeHint":
    "Lettres, chiffres, espaces, points et traits d'union, par exemple PAVL. Il paraît dans «\u00a0Mes services en ligne\u00a0» et ne peut plus être changé.",
  "externalServices.field.name": "Nom du service",
  "externalServices.field.nameHint":
    "Le nom affiché dans le catalogue des services en ligne et à la connexion.",
  "externalServices.field.category": "Catégorie",
  "externalServices.category.infrastructures": "Infrastructures",
  "externalServices.category.other": "Autres",
  "externalServices.field.address": "Adresse du service",
  "externalServices.field.addressHint":
    "L'adresse où «\u00a0Mes services en ligne\u00a0» mène, par exemple https://pavl.transports.example/. En https\u202f; http seulement pour http://localhost:port ou http://127.0.0.1:port, en développement.",
  "externalServices.field.redirects": "Adresses de redirection",
  "externalServices.field.redirectsHint":
    "Une adresse par ligne (10 au plus), toutes sur le même site\u00a0: Guichet y renvoie la personne après sa connexion. En https\u202f; http seulement pour localhost ou 127.0.0.1 avec un port. Ni caractère générique (*), ni fragment (#).",
  "externalServices.field.postLogout": "Adresses de retour après la déconnexion",
  "externalServices.field.postLogoutHint":
    "Facultatif. Une adresse par ligne (10 au plus), selon les mêmes règles.",
  "externalServices.field.backchannel": "Adresse de déconnexion par canal arrière (back-channel logout)",
  "externalServices.field.backchannelHint":
    "Facultatif. Guichet y envoie un jeton de déconnexion lorsque la session de la personne prend fin. Mêmes règles.",
  "externalServices.field.method": "Méthode d'authentification",
  "externalServices.method.client_secret_basic": "Secret partagé (client_secret_basic)",
  "externalServices.method.client_secret_basicHint":
    "Guichet génère un secret, affiché une seule fois et conservé sous forme d'empreinte.",
  "externalServices.method.private_key_jwt": "Clé privée (private_key_jwt)",
  "externalServices.method.private_key_jwtHint":
    "Le service signe ses demandes avec sa clé privée\u202f; ses clés publiques sont publiées à l'adresse JWKS.",
  "externalServices.field.jwks": "Adresse JWKS (clés publiques du service)",
  "externalServices.field.jwksHint": "Avec private_key_jwt seulement. Mêmes règles que les autres adresses.",
  "externalServices.field.assurance": "Niveau d'authentification minimal",
  "externalServices.assurance.password": "Mot de passe",
  "externalServices.assurance.mfa": "Mot de passe et deuxième facteur",

  "externalServices.uri.tooLong": "L'adresse est trop longue\u00a0: 2 000 caractères au plus.",
  "externalServices.uri.controlCharacters": "L'adresse contient des caractères non permis.",
  "externalServices.uri.spaces": "L'adresse «\u00a0{uri}\u00a0» contient des espaces.",
  "externalServices.uri.wildcard":
    "L'adresse «\u00a0{uri}\u00a0» contient un caractère générique (*)\u00a0: inscrivez chaque adresse exacte.",
  "externalServices.uri.fragment":
    "L'adresse «\u00a0{uri}\u00a0» contient un fragment (#)\u00a0: retirez-le.",
  "externalServices.uri.notUrl":
    "«\u00a0{uri}\u00a0» n'est pas une adresse web valide\u202f; par exemple\u00a0: https://service.example/retour.",
  "externalServices.uri.scheme":
    "L'adresse «\u00a0{uri}\u00a0» doit commencer par https:// (http:// seulement pour http://localhost:port ou http://127.0.0.1:port, en développement).",
  "externalServices.uri.userInfo":
    "L'adresse «\u00a0{uri}\u00a0» ne doit contenir ni nom d'utilisateur ni mot de passe.",
  "externalServices.uriLine.tooLong":
    "Ligne {line}\u00a0: l'adresse est trop longue\u00a0: 2 000 caractères au plus.",
  "externalServices.uriLine.controlCharacters":
    "Ligne {line}\u00a0: l'adresse contient des caractères non permis.",
  "externalServices.uriLine.spaces":
    "Ligne {line}\u00a0: l'adresse «\u00a0{uri}\u00a0» contient des espaces.",
  "externalServices.uriLine.wildcard":
    "Ligne {line}\u00a0: l'adresse «\u00a0{uri}\u00a0» contient un caractère générique (*)\u00a0: inscrivez chaque adresse exacte.",
  "externalServices.uriLine.fragment":
    "Ligne {line}\u00a0: l'adresse «\u00a0{uri}\u00a0» contient un fragment (#)\u00a0: retirez-le.",
  "externalServices.uriLine.notUrl":
    "Ligne {line}\u00a0: «\u00a0{uri}\u00a0» n'est pas une adresse web valide\u202f; par exemple\u00a0: https://service.example/retour.",
  "externalServices.uriLine.scheme":
    "Ligne {line}\u00a0: l'adresse «\u00a0{uri}\u00a0» doit commencer par https:// (http:// seulement pour http://localhost:port ou http://127.0.0.1:port, en développement).",
  "externalServices.uriLine.userInfo":
    "Ligne {line}\u00a0: l'adresse «\u00a0{uri}\u00a0» ne doit contenir ni nom d'utilisateur ni mot de passe.",
  "externalServices.uris.tooMany": "Inscrivez au plus {max} adresses, une par ligne.",
  "externalServices.uris.duplicate":
    "Ligne {line}\u00a0: l'adresse «\u00a0{uri}\u00a0» figure déjà plus haut.",
  "externalServices.uris.oneHost":
    "Les adresses de redirection doivent toutes être sur le même site (même hôte et même port).",
  "externalServices.code.invalid":
    "Le code contient des lettres, des chiffres, des espaces, des points ou des traits d'union, et commence par une lettre ou un chiffre.",
  "externalServices.code.taken":
    "Un service en ligne porte déjà le code {code}\u00a0: rien n'a été créé. Si le formulaire a été transmis deux fois, le premier envoi a été enregistré\u202f; consultez la liste des services en ligne externes.",
  "externalServices.category.invalid": "Choisissez une catégorie de la liste.",
  "externalServices.method.invalid": "Choisissez une méthode d'authentification.",
  "externalServices.jwks.onlyWithKeys":
    "L'adresse JWKS ne sert qu'avec private_key_jwt\u00a0: videz ce champ ou choisissez cette méthode.",
  "externalServices.assurance.invalid": "Choisissez un niveau d'authentification.",

  "externalServices.detail.title": "{code} — {name}",
  "externalServices.detail.clientId": "Identifiant du client (client_id)",
  "externalServices.detail.category": "Catégorie",
  "externalServices.detail.state": "État",
  "externalServices.detail.disabledSince": "Désactivé depuis le {date}",
  "externalServices.detail.created": "Inscrit le",
  "externalServices.detail.updated": "Modifié le",
  "externalServices.detail.secretIssued": "Secret en vigueur émis le",
  "externalServices.edit": "Modifier",
  "externalServices.rotate.title": "Secret du client",
  "externalServices.rotate.hint":
    "Un nouveau secret remplace l'ancien, qui cesse de fonctionner immédiatement. Il n'est affiché qu'une seule fois.",
  "externalServices.rotate.submit": "Générer un nouveau secret",
  "externalServices.disable.title": "Désactiver",
  "externalServices.disable.hint":
    "Guichet refusera toute connexion par ce service jusqu'à sa réactivation. Rien n'est effacé.",
  "externalServices.disable.submit": "Désactiver le client",
  "externalServices.enable.title": "Réactiver",
  "externalServices.enable.hint":
    "Le service pourra de nouveau connecter des personnes, avec le même secret ou les mêmes clés. Si le secret a pu être divulgué, générez-en d'abord un nouveau.",
  "externalServices.enable.submit": "Réactiver le client",

  "externalServices.secret.title": "Secret du client de {code}",
  "externalServices.secret.once":
    "Ce secret n'est affiché qu'une seule fois. Copiez-le maintenant et transmettez-le par un moyen sûr aux responsables du service\u00a0: il ne pourra plus être consulté. S'il est perdu, générez-en un nouveau.",
  "externalServices.secret.label": "Secret du client (client_secret)",
  "externalServices.secret.usage":
    "Le service s'authentifie auprès de Guichet avec l'identifiant du client et ce secret (authentification HTTP Basic, client_secret_basic).",
  "externalServices.secret.continue": "J'ai copié le secret\u00a0: consulter le service",
  "externalServices.secret.none":
    "Ce service s'authentifie par une clé privée (private_key_jwt)\u00a0: il n'a pas de secret à remplacer. Rien n'a été changé.",
  "externalServices.secret.repeated":
    "Ce formulaire avait déjà été transmis\u00a0: le nouveau secret a été affiché une seule fois, à ce moment. S'il est perdu, générez-en un autre.",

  "externalServices.registered": "Le service en ligne externe {code} est inscrit.",
  "externalServices.changed": "Les changements de {code} sont enregistrés.",
  "externalServices.disabled":
    "Le client de {code} est désactivé\u00a0: Guichet refuse toute connexion par ce service.",
  "externalServices.enabled": "Le client de {code} est réactivé.",
  "externalServices.alreadyDisabled": "Le client de {code} était déjà désactivé. Rien n'a été changé.",
  "externalServices.alreadyEnabled": "Le client de {code} était déjà actif. Rien n'a été changé.",

  "externalServices.link.external": "site externe",
  "externalServices.link.space": "Gestion des accès",

  "stepUp.act.externalService.register": "inscrire un service en ligne externe",
  "stepUp.act.externalService.change": "modifier un service en ligne externe",
  "stepUp.act.externalService.rotateSecret": "générer un nouveau secret pour un service en ligne externe",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "externalServices.title": "External online services",
  "externalServices.homeHint":
    "Register the ministry's online services that run on their own servers and sign their users in through Guichet (OpenID Connect).",
  "externalServices.intro":
    "The online services of the ministry ({ministry}) that run on their own servers. Each is an OpenID client of Guichet: people sign in to it with their user code, and Guichet tells the service which organization they act for. Access rights stay in Guichet's access registry.",
  "externalServices.empty": "No external online service is registered.",
  "externalServices.add": "Register an external online service",
  "externalServices.back": "Back to external online services",
  "externalServices.open": "View",
  "externalServices.none": "None",
  "externalServices.col.service": "Online service",
  "externalServices.col.address": "Address",
  "externalServices.col.clientId": "Client identifier",
  "externalServices.col.method": "Authentication",
  "externalServices.col.assurance": "Minimum level",
  "externalServices.col.state": "Status",
  "externalServices.col.actions": "Actions",
  "externalServices.state.enabled": "Active",
  "externalServices.state.disabled": "Disabled",

  "externalServices.new.title": "Register an external online service",
  "externalServices.new.intro":
    "The online service is added to Guichet's catalogue and registered as an OpenID client. Guichet compares addresses as they are: write them exactly as the service will send them.",
  "externalServices.new.submit": "Register",
  "externalServices.edit.title": "Change {code}",
  "externalServices.edit.intro":
    "Changes apply as soon as they are saved. Switching to a shared secret generates a secret, shown only once.",
  "externalServices.edit.submit": "Save the changes",
  "externalServices.form.service": "Online service",
  "externalServices.form.signIn": "Sign-in through Guichet (OpenID Connect)",
  "externalServices.form.authentication": "How the service authenticates to Guichet",
  "externalServices.field.code": "Service code",
  "externalServices.required.code": "Enter the service code.",
  "externalServices.required.name": "Enter the service name.",
  "externalServices.required.address": "Enter the service address.",
  "externalServices.required.redirects": "Enter at least one redirect URI.",
  "externalServices.required.jwks": "Enter the service's JWKS URI.",
  "externalServices.field.codeHint":
    "Letters, digits, spaces, dots and hyphens, for example PAVL. It shows in “My online services” and cannot be changed later.",
  "externalServices.field.name": "Service name",
  "externalServices.field.nameHint": "The name shown in the online services catalogue and at sign-in.",
  "externalServices.field.category": "Category",
  "externalServices.category.infrastructures": "Infrastructure",
  "externalServices.category.other": "Other",
  "externalServices.field.address": "Service address",
  "externalServices.field.addressHint":
    "Where “My online services” leads, for example https://pavl.transports.example/. In https; http only for http://localhost:port or http://127.0.0.1:port, in development.",
  "externalServices.field.redirects": "Redirect URIs",
  "externalServices.field.redirectsHint":
    "One address per line (at most 10), all on the same site: Guichet sends the person back there after sign-in. In https; http only for localhost or 127.0.0.1 with a port. No wildcard (*), no fragment (#).",
  "externalServices.field.postLogout": "Post-logout redirect URIs",
  "externalServices.field.postLogoutHint":
    "Optional. One address per line (at most 10), under the same rules.",
  "externalServices.field.backchannel": "Back-channel logout URI",
  "externalServices.field.backchannelHint":
    "Optional. Guichet sends a logout token there when the person's session ends. Same rules.",
  "externalServices.field.method": "Authentication method",
  "externalServices.method.client_secret_basic": "Shared secret (client_secret_basic)",
  "externalServices.method.client_secret_basicHint":
    "Guichet generates a secret, shown only once and kept as a hash.",
  "externalServices.method.private_key_jwt": "Private key (private_key_jwt)",
  "externalServices.method.private_key_jwtHint":
    "The service signs its requests with its private key; its public keys are published at the JWKS URI.",
  "externalServices.field.jwks": "JWKS URI (the service's public keys)",
  "externalServices.field.jwksHint": "With private_key_jwt only. Same rules as the other addresses.",
  "externalServices.field.assurance": "Minimum authentication level",
  "externalServices.assurance.password": "Password",
  "externalServices.assurance.mfa": "Password and second factor",

  "externalServices.uri.tooLong": "The address is too long: 2,000 characters at most.",
  "externalServices.uri.controlCharacters": "The address contains characters that are not allowed.",
  "externalServices.uri.spaces": "The address “{uri}” contains spaces.",
  "externalServices.uri.wildcard":
    "The address “{uri}” contains a wildcard (*): register each exact address.",
  "externalServices.uri.fragment": "The address “{uri}” contains a fragment (#): remove it.",
  "externalServices.uri.notUrl":
    "“{uri}” is not a valid web address; for example: https://service.example/return.",
  "externalServices.uri.scheme":
    "The address “{uri}” must start with https:// (http:// only for http://localhost:port or http://127.0.0.1:port, in development).",
  "externalServices.uri.userInfo": "The address “{uri}” must contain neither a user name nor a password.",
  "externalServices.uriLine.tooLong": "Line {line}: the address is too long: 2,000 characters at most.",
  "externalServices.uriLine.controlCharacters":
    "Line {line}: the address contains characters that are not allowed.",
  "externalServices.uriLine.spaces": "Line {line}: the address “{uri}” contains spaces.",
  "externalServices.uriLine.wildcard":
    "Line {line}: the address “{uri}” contains a wildcard (*): register each exact address.",
  "externalServices.uriLine.fragment": "Line {line}: the address “{uri}” contains a fragment (#): remove it.",
  "externalServices.uriLine.notUrl":
    "Line {line}: “{uri}” is not a valid web address; for example: https://service.example/return.",
  "externalServices.uriLine.scheme":
    "Line {line}: the address “{uri}” must start with https:// (http:// only for http://localhost:port or http://127.0.0.1:port, in development).",
  "externalServices.uriLine.userInfo":
    "Line {line}: the address “{uri}” must contain neither a user name nor a password.",
  "externalServices.uris.tooMany": "Register at most {max} addresses, one per line.",
  "externalServices.uris.duplicate": "Line {line}: the address “{uri}” is already listed above.",
  "externalServices.uris.oneHost": "The redirect URIs must all be on the same site (same host and port).",
  "externalServices.code.invalid":
    "The code holds letters, digits, spaces, dots or hyphens, and starts with a letter or a digit.",
  "externalServices.code.taken":
    "An online service already has the code {code}: nothing was created. If the form was sent twice, the first submission was saved; see the list of external online services.",
  "externalServices.category.invalid": "Choose a category from the list.",
  "externalServices.method.invalid": "Choose an authentication method.",
  "externalServices.jwks.onlyWithKeys":
    "The JWKS URI is used with private_key_jwt only: empty this field or choose that method.",
  "externalServices.assurance.invalid": "Choose an authentication level.",

  "externalServices.detail.title": "{code} — {name}",
  "externalServices.detail.clientId": "Client identifier (client_id)",
  "externalServices.detail.category": "Category",
  "externalServices.detail.state": "Status",
  "externalServices.detail.disabledSince": "Disabled since {date}",
  "externalServices.detail.created": "Registered on",
  "externalServices.detail.updated": "Changed on",
  "externalServices.detail.secretIssued": "Current secret issued on",
  "externalServices.edit": "Change",
  "externalServices.rotate.title": "Client secret",
  "externalServices.rotate.hint":
    "A new secret replaces the old one, which stops working at once. It is shown only once.",
  "externalServices.rotate.submit": "Generate a new secret",
  "externalServices.disable.title": "Disable",
  "externalServices.disable.hint":
    "Guichet will refuse every sign-in through this service until it is enabled again. Nothing is deleted.",
  "externalServices.disable.submit": "Disable the client",
  "externalServices.enable.title": "Enable again",
  "externalServices.enable.hint":
    "The service will be able to sign people in again, with the same secret or keys. If the secret may have leaked, generate a new one first.",
  "externalServices.enable.submit": "Enable the client",

  "externalServices.secret.title": "Client secret of {code}",
  "externalServices.secret.once":
    "This secret is shown only once. Copy it now and give it by a secure means to the people who run the service: it cannot be viewed again. If it is lost, generate a new one.",
  "externalServices.secret.label": "Client secret (client_secret)",
  "externalServices.secret.usage":
    "The service authenticates to Guichet with the client identifier and this secret (HTTP Basic authentication, client_secret_basic).",
  "externalServices.secret.continue": "I copied the secret: view the service",
  "externalServices.secret.none":
    "This service authenticates with a private key (private_key_jwt): it has no secret to replace. Nothing was changed.",
  "externalServices.secret.repeated":
    "This form had already been sent: the new secret was shown once, at that time. If it is lost, generate another.",

  "externalServices.registered": "The external online service {code} is registered.",
  "externalServices.changed": "The changes to {code} are saved.",
  "externalServices.disabled":
    "The client of {code} is disabled: Guichet refuses every sign-in through this service.",
  "externalServices.enabled": "The client of {code} is enabled again.",
  "externalServices.alreadyDisabled": "The client of {code} was already disabled. Nothing was changed.",
  "externalServices.alreadyEnabled": "The client of {code} was already active. Nothing was changed.",

  "externalServices.link.external": "external site",
  "externalServices.link.space": "Access management",

  "stepUp.act.externalService.register": "register an external online service",
  "stepUp.act.externalService.change": "change an external online service",
  "stepUp.act.externalService.rotateSecret": "generate a new secret for an external online service",
};
