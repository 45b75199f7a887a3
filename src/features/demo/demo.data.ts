// Demo data loaded on first start: ministry, units, service catalogue, transfer recipients, organizations.

export type DemoUser = {
  code: string;
  civility: "M." | "Mme";
  firstName: string;
  lastName: string;
  jobTitle: string;
  phone: string;
  phoneExtension?: string;
  email: string;
  servicesOfficer?: boolean;
  serviceAdminUnit?: string;
  /** Codes of the transfer recipients whose files this ministry user receives (« Fichiers reçus »). */
  receives?: string[];
};

export type DemoServicePoint = {
  name: string;
  civicNumber: string;
  street: string;
  city: string;
  postalCode: string;
};

export type DemoOrganization = {
  kind: "municipality" | "body" | "firm" | "ministry";
  name: string;
  /** A ministry's English name (reference data); other organizations' names are proper names, kept in French. */
  nameEn?: string;
  acronym?: string;
  geoCode?: string;
  neq?: string;
  bodyCategory?: string;
  civicNumber?: string;
  street?: string;
  city?: string;
  postalCode?: string;
  region?: string;
  provincialRiding?: string;
  federalRiding?: string;
  phone?: string;
  email?: string;
  /** A municipality's identification code, issued at seed time with this fixed value so the demo can quote it. */
  identificationCode?: string;
  servicePoints?: DemoServicePoint[];
  users: DemoUser[];
};

export type DemoUnit = { code: string; name: string; nameEn?: string };

export type DemoService = {
  code: string;
  name: string;
  nameEn: string;
  descriptionEn: string;
  category: "infrastructures" | "other";
  unitCode: string;
  description: string;
};

export type DemoRecipient = {
  code: string;
  name: string;
  nameEn: string;
  instructionsEn: string;
  unitCode: string;
  instructions: string;
  allowedExtensions: string[];
  maxFileBytes: number;
  nameRule: "none" | "geo_code_prefix";
};

/** One password for every demo account. */
export const DEMO_PASSWORD = "Guichet-Demo-2026!";
/**
 * The authenticator app of every demo account whose role needs a second factor: one known secret (base 32), so that
 * anyone trying the demo can add it to an app or compute a code with `oathtool --totp -b`. Never in production data.
 */
export const DEMO_TOTP_SECRET = "GUICHETDEMOGUICHETDEMOGUICHETDEM";

/** Who issues the demo municipalities' identification codes: the DGI's service administrator. */
export const DEMO_CODE_ISSUER = "DGIADM1";

/** A plain user of Québec who may act for the city with the MAMH (all tasks), so that a non-RSE can file requests. */
export const DEMO_PROCURATION = {
  organizationGeoCode: "23027",
  holders: ["QCUSR01", "QCUSR02"],
  createdBy: "QCRSE01",
  name: "Demandes d'accès aux services du MAMH",
  years: 3,
} as const;

/**
 * The access registry's demo, in D32-PRIMEAU: QCUSR01 (who holds Québec's MAMH procuration) is Québec's local
 * manager, FGCUSR1 the agent manager of Fleurant's Québec office, both named by DGIADM1;
 * FGCUSR2 is associated and already an agent of Québec, FGCUSR3 is left for the agent manager to associate, and
 * QCUSR02 holds « Requérant – Rédaction », QCUSR03 nothing yet.
 */
export const DEMO_REGISTRY = {
  service: "D32-PRIMEAU",
  namedBy: "DGIADM1",
  localManager: { organizationGeoCode: "23027", user: "QCUSR01" },
  agentManager: {
    firmNeq: "1172638405",
    servicePoint: "Bureau de Québec",
    user: "FGCUSR1",
  },
  firmProcuration: {
    name: "Services en ligne du MAMH",
    createdBy: "FGCRSE1",
    holders: ["FGCUSR1", "FGCUSR2", "FGCUSR3"],
    years: 3,
  },
  associated: ["FGCUSR2"],
  grants: [
    { user: "QCUSR02", right: "requester.write", years: null },
    { user: "FGCUSR2", right: "agent.write", years: 1 },
  ],
} as const;

/**
 * « Demander un accès » (issue #15, section 1): two requests waiting in QCUSR01's « Demandes d'accès reçues » in
 * D32-PRIMEAU. QCUSR03's can be approved at once; FGCUSR3's needs FGCUSR1 to associate him first, as the request says.
 */
export const DEMO_RIGHT_REQUESTS = {
  service: "D32-PRIMEAU",
  days: 30,
  requests: [
    {
      user: "QCUSR03",
      right: "requester.read",
      message: "Je dois suivre les demandes d'aide de la Ville pour le comité des travaux publics.",
    },
    {
      user: "FGCUSR3",
      right: "agent.write",
      message: "Fleurant Génie-Conseil prépare la prochaine demande de la Ville dans ce programme.",
    },
  ],
} as const;

/**
 * The second ministry's external online service (issue #13): PAVL runs on its own server (examples/pavl, port 3001)
 * and signs people in through Guichet as an OpenID client, registered by MTMDADM. Its secret is fixed so that the
 * example can be started with it; it is printed with the demo accounts, and never in production data.
 */
export const DEMO_EXTERNAL_SERVICE = {
  code: "PAVL",
  name: "Programme d'aide à la voirie locale",
  category: "infrastructures",
  unitCode: "DAVL",
  registeredBy: "MTMDADM",
  externalUrl: "http://localhost:3001",
  clientId: "guichet-demo-pavl",
  clientSecret: "pavl-demo-secret-connu-de-tous-jamais-en-production",
  redirectUris: ["http://localhost:3001/auth/callback"],
  postLogoutRedirectUris: ["http://localhost:3001/"],
  backchannelLogoutUri: "http://localhost:3001/auth/backchannel-logout",
  minAssurance: "mfa",
  /** Québec's local manager in PAVL, named by MTMDADM: PAVL shows in his « Mes services en ligne » as a link out. */
  localManager: { organizationGeoCode: "23027", user: "QCUSR01" },
} as const;

/**
 * Québec lets QCUSR01 act with the MTMD (all tasks), so that he may sign in to PAVL; QCUSR02, who holds only the MAMH
 * procuration, is the Québec user whom PAVL refuses. The RSE (QCRSE01) holds every procuration of the city anyway.
 */
export const DEMO_MTMD_PROCURATION = {
  organizationGeoCode: "23027",
  holders: ["QCUSR01"],
  createdBy: "QCRSE01",
  name: "Services en ligne du MTMD",
  years: 3,
} as const;

/**
 * Fleurant's Québec office in PAVL (issue #14): FGCUSR1 is its agent manager there too (named by MTMDADM), the firm's
 * procuration « Services en ligne du MTMD » lets FGCUSR1 and FGCUSR2 act with the MTMD, FGCUSR2 is associated and
 * holds « Mandataire – Rédaction » for Ville de Québec, granted by QCUSR01: Québec's local manager may then mandate
 * her on one of PAVL's dossiers in « Gestion des mandats », and she sees that dossier only in PAVL.
 */
export const DEMO_PAVL_AGENTS = {
  service: DEMO_EXTERNAL_SERVICE.code,
  namedBy: DEMO_EXTERNAL_SERVICE.registeredBy,
  grantedBy: DEMO_EXTERNAL_SERVICE.localManager.user,
  agentManager: DEMO_REGISTRY.agentManager,
  firmProcuration: {
    name: "Services en ligne du MTMD",
    createdBy: "FGCRSE1",
    holders: ["FGCUSR1", "FGCUSR2"],
    years: 3,
  },
  associated: ["FGCUSR2"],
  grants: [{ user: "FGCUSR2", right: "agent.write", years: 1 }],
} as const;

const MAX_FILE_BYTES = 104857600;

export const MINISTRY: DemoOrganization = {
  kind: "ministry",
  name: "Ministère des Affaires municipales et de l'Habitation",
  nameEn: "Ministry of Municipal Affairs and Housing",
  acronym: "MAMH",
  civicNumber: "10",
  street: "rue Pierre-Olivier-Chauveau",
  city: "Québec",
  postalCode: "G1R 4J3",
  region: "Capitale-Nationale",
  phone: "418 691-2005",
  email: "infrastructures@mamh.example",
  users: [
    {
      code: "MAMHRSE",
      civility: "Mme",
      firstName: "Hélène",
      lastName: "Fortin",
      jobTitle: "Conseillère en ressources informationnelles",
      phone: "418 691-2066",
      phoneExtension: "3412",
      email: "helene.fortin@mamh.example",
      servicesOfficer: true,
    },
    {
      code: "DGIADM1",
      civility: "M.",
      firstName: "Simon",
      lastName: "Ouellet",
      jobTitle: "Administrateur des services en ligne des infrastructures",
      phone: "418 691-2005",
      phoneExtension: "3587",
      email: "simon.ouellet@mamh.example",
      serviceAdminUnit: "DGI",
      receives: [
        "cmq-verification",
        "rena-autorisation",
        "fdt",
        "fonds-municipal-vert",
        "pgam",
        "pmic",
        "pilotage",
      ],
    },
    {
      code: "DGSEAD1",
      civility: "Mme",
      firstName: "Valérie",
      lastName: "Poirier",
      jobTitle: "Conseillère en gestion stratégique de l'eau",
      phone: "418 691-2015",
      phoneExtension: "4021",
      email: "valerie.poirier@mamh.example",
      serviceAdminUnit: "DGSE",
      receives: ["pga-eau", "seep"],
    },
    {
      code: "DGFAIA1",
      civility: "M.",
      firstName: "François",
      lastName: "Lavoie",
      jobTitle: "Analyste en fiscalité municipale",
      phone: "418 691-2040",
      phoneExtension: "3790",
      email: "francois.lavoie@mamh.example",
      serviceAdminUnit: "DGFAI",
      receives: [
        "d39-certificats",
        "dgfai-baremes",
        "dgfai-proportion-mediane",
        "dgfai-role-additionnelle",
        "dgfai-role-annuelle",
        "dgfai-sommaire-role",
      ],
    },
  ],
};

/** A second ministry, owner of an external online service (DEMO_EXTERNAL_SERVICE), with its RSE and administrator. */
export const SECOND_MINISTRY: DemoOrganization = {
  kind: "ministry",
  name: "Ministère des Transports et de la Mobilité durable",
  nameEn: "Ministry of Transport and Sustainable Mobility",
  acronym: "MTMD",
  civicNumber: "700",
  street: "boulevard René-Lévesque Est",
  city: "Québec",
  postalCode: "G1R 5H1",
  region: "Capitale-Nationale",
  phone: "418 643-6740",
  email: "voirie-locale@transports.example",
  users: [
    {
      code: "MTMDRSE",
      civility: "M.",
      firstName: "Marc-André",
      lastName: "Simard",
      jobTitle: "Conseiller en sécurité de l'information",
      phone: "418 643-6740",
      phoneExtension: "2210",
      email: "marc-andre.simard@transports.example",
      servicesOfficer: true,
    },
    {
      code: "MTMDADM",
      civility: "Mme",
      firstName: "Isabelle",
      lastName: "Gagnon",
      jobTitle: "Administratrice des services en ligne de la voirie locale",
      phone: "418 643-6740",
      phoneExtension: "2457",
      email: "isabelle.gagnon@transports.example",
      serviceAdminUnit: "DAVL",
    },
  ],
};

export const SECOND_MINISTRY_UNITS: DemoUnit[] = [
  { code: "DAVL", name: "Direction de l'aide à la voirie locale", nameEn: "Local Roads Assistance Branch" },
];

export const UNITS: DemoUnit[] = [
  { code: "DGI", name: "Direction générale des infrastructures", nameEn: "Infrastructure Branch" },
  {
    code: "DGSE",
    name: "Direction de la gestion stratégique de l'eau",
    nameEn: "Strategic Water Management Branch",
  },
  {
    code: "DGFAI",
    name: "Direction générale de la fiscalité et de l'évaluation foncière",
    nameEn: "Taxation and Property Assessment Branch",
  },
];

export const SERVICES: DemoService[] = [
  {
    code: "D25-PRIMADA",
    name: "Programme d'infrastructures Municipalité amie des aînés",
    nameEn: "Age-Friendly Municipality Infrastructure Program",
    descriptionEn: "Financial aid for small infrastructure works that improve seniors' quality of life.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour la réalisation de petits travaux d'infrastructures destinés à améliorer la qualité de vie des aînés.",
  },
  {
    code: "D26-RÉCIM",
    name: "Programme de réfection et construction des infrastructures municipales",
    nameEn: "Municipal Infrastructure Renewal and Construction Program",
    descriptionEn:
      "Financial aid to build, bring up to standard or renovate basic municipal buildings and infrastructure.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour la construction, la mise aux normes ou la rénovation de bâtiments et d'infrastructures municipales de base.",
  },
  {
    code: "D29-FEPTU",
    name: "Fonds pour l'eau potable et le traitement des eaux usées",
    nameEn: "Clean Water and Wastewater Fund",
    descriptionEn:
      "Financial aid to rehabilitate and optimize drinking water and wastewater treatment infrastructure.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour la réhabilitation et l'optimisation des infrastructures d'eau potable et de traitement des eaux usées.",
  },
  {
    code: "D31-FPC",
    name: "Fonds des petites collectivités",
    nameEn: "Small Communities Fund",
    descriptionEn:
      "Financial aid for the infrastructure projects of municipalities of fewer than 100,000 inhabitants.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour les projets d'infrastructures des municipalités de moins de 100 000 habitants.",
  },
  {
    code: "D32-PRIMEAU",
    name: "Programme d'infrastructures municipales d'eau",
    nameEn: "Municipal Water Infrastructure Program",
    descriptionEn:
      "Financial aid to build, renew and expand municipal drinking water and wastewater infrastructure.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour la construction, la réfection et l'agrandissement des infrastructures municipales d'eau potable et d'eaux usées.",
  },
  {
    code: "D34-PIQM",
    name: "Programme d'infrastructures Québec-Municipalités",
    nameEn: "Québec-Municipalities Infrastructure Program",
    descriptionEn: "Financial aid for municipal water infrastructure and municipal building works.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour la réalisation de travaux d'infrastructures municipales d'eau et de bâtiments municipaux.",
  },
  {
    code: "D35-TECQ 2014",
    name: "Programme de la taxe sur l'essence et de la contribution du Québec 2014-2018",
    nameEn: "Gas Tax and Québec Contribution Program 2014-2018",
    descriptionEn:
      "Transfer to municipalities of part of the federal excise tax on gasoline for their infrastructure, for 2014-2018.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Transfert aux municipalités d'une partie des revenus de la taxe fédérale d'accise sur l'essence pour leurs infrastructures, pour la période 2014-2018.",
  },
  {
    code: "D40-FIMEAU",
    name: "Fonds pour l'infrastructure municipale d'eau",
    nameEn: "Municipal Water Infrastructure Fund",
    descriptionEn: "Financial aid for projects that build, renew or expand water infrastructure.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour la réalisation de projets de construction, de réfection et d'agrandissement d'infrastructures d'eau.",
  },
  {
    code: "D41-TECQ 2019",
    name: "Programme de la taxe sur l'essence et de la contribution du Québec 2019-2023",
    nameEn: "Gas Tax and Québec Contribution Program 2019-2023",
    descriptionEn:
      "Transfer to municipalities of part of the federal excise tax on gasoline for their infrastructure, for 2019-2023.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Transfert aux municipalités d'une partie des revenus de la taxe fédérale d'accise sur l'essence pour leurs infrastructures, pour la période 2019-2023.",
  },
  {
    code: "D43-Suivi travaux",
    name: "Suivi des travaux",
    nameEn: "Work Follow-up",
    descriptionEn: "Follow-up of the progress and costs of the work done under the infrastructure programs.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Suivi de l'avancement et des coûts des travaux réalisés dans les programmes d'infrastructures.",
  },
  {
    code: "D46-PRAFI Volet Aménagements résilients",
    name: "PRAFI Volet Aménagements résilients",
    nameEn: "PRAFI Resilient Developments Component",
    descriptionEn:
      "Financial aid for developments that reduce vulnerability to flooding (first call for projects, 2021).",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour des aménagements qui réduisent la vulnérabilité aux inondations (1er appel de projets 2021).",
  },
  {
    code: "D47-PRABAM",
    name: "Programme d'aide financière pour les bâtiments municipaux",
    nameEn: "Municipal Buildings Financial Assistance Program",
    descriptionEn: "Financial aid to renovate, bring up to standard and expand municipal buildings.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour la rénovation, la mise aux normes et l'agrandissement des bâtiments municipaux.",
  },
  {
    code: "D48-PRACIM",
    name: "Programme d'amélioration et de construction d'infrastructures municipales",
    nameEn: "Municipal Infrastructure Improvement and Construction Program",
    descriptionEn: "Financial aid to build, expand or renew municipal infrastructure for community use.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour la construction, l'agrandissement ou la réfection d'infrastructures municipales à vocation communautaire.",
  },
  {
    code: "D49-PRIMA",
    name: "Programme d'infrastructures municipales pour les aînés",
    nameEn: "Municipal Infrastructure Program for Seniors",
    descriptionEn: "Financial aid to develop municipal infrastructure suited to the needs of seniors.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour l'aménagement d'infrastructures municipales adaptées aux besoins des personnes aînées.",
  },
  {
    code: "D50-PRAFI",
    name: "Programme de résilience et d'adaptation face aux inondations",
    nameEn: "Flood Resilience and Adaptation Program",
    descriptionEn: "Financial aid for lasting solutions that reduce the exposure of communities to flooding.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Aide financière pour des solutions durables qui réduisent l'exposition des milieux de vie aux inondations.",
  },
  {
    code: "D51-PRIMEAU 2.0",
    name: "Programme d'infrastructures municipales d'eau 2.0",
    nameEn: "Municipal Water Infrastructure Program 2.0",
    descriptionEn:
      "New edition of the financial aid program for municipal drinking water and wastewater infrastructure.",
    category: "infrastructures",
    unitCode: "DGI",
    description:
      "Nouvelle édition du programme d'aide financière pour les infrastructures municipales d'eau potable et d'eaux usées.",
  },
  {
    code: "GESTION-MANDATS",
    name: "Gestion des mandats",
    nameEn: "Mandate Management",
    descriptionEn: "Management of mandates for the infrastructure programs' online services.",
    category: "other",
    unitCode: "DGI",
    description: "Gestion des mandats pour les services en ligne des programmes d'infrastructures.",
  },
  {
    code: "TRANSFERT-FICHIERS",
    name: "Transfert de fichiers",
    nameEn: "File Transfer",
    descriptionEn: "Secure transfer of files to the ministry's branches and partner organizations.",
    category: "other",
    unitCode: "DGI",
    description:
      "Transfert sécurisé de fichiers vers les directions du ministère et les organismes partenaires.",
  },
];

export const RECIPIENTS: DemoRecipient[] = [
  {
    code: "cmq-verification",
    name: "Commission municipale du Québec – Vice-présidence à la Vérification",
    nameEn: "Commission municipale du Québec – Vice-Presidency for Audit",
    instructionsEn:
      "Documents requested by the Vice-Presidency for Audit of the Commission municipale du Québec for a compliance or value-for-money audit. Please put your organization's name and the audit number in each file's name.",
    unitCode: "DGI",
    instructions:
      "Transmission des documents demandés par la Vice-présidence à la Vérification de la Commission municipale du Québec dans le cadre d'un audit de conformité ou d'optimisation des ressources. Veuillez indiquer le nom de votre organisation et le numéro de l'audit dans le nom de chaque fichier.",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "d39-certificats",
    name: "D39 – Certificats de l'évaluateur",
    nameEn: "D39 – Assessor's certificates",
    instructionsEn:
      "The assessor's certificates amending the property assessment roll, signed by the assessor of the municipal body responsible for assessment. One PDF file per batch of certificates.",
    unitCode: "DGFAI",
    instructions:
      "Transmission des certificats de l'évaluateur modifiant le rôle d'évaluation foncière, signés par l'évaluateur de l'organisme municipal responsable de l'évaluation. Un fichier PDF par lot de certificats.",
    allowedExtensions: ["pdf"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "rena-autorisation",
    name: "Demande d'autorisation – Registre des entreprises non admissibles aux contrats publics",
    nameEn: "Authorization request – Register of enterprises ineligible for public contracts",
    instructionsEn:
      "A request for authorization to enter into a contract with an enterprise listed in the Register of enterprises ineligible for public contracts (RENA). Attach the council resolution and the supporting documents as PDF.",
    unitCode: "DGI",
    instructions:
      "Transmission d'une demande d'autorisation de conclure un contrat avec une entreprise inscrite au Registre des entreprises non admissibles aux contrats publics (RENA). Joignez la résolution du conseil et les pièces justificatives en PDF.",
    allowedExtensions: ["pdf"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "dgfai-baremes",
    name: "DGFAI – Actualisation des barèmes",
    nameEn: "DGFAI – Updating of cost schedules",
    instructionsEn:
      "Files for updating the cost schedules used for property assessment. Use the template provided by the DGFAI (XLSX) and attach, if needed, an explanatory note as PDF.",
    unitCode: "DGFAI",
    instructions:
      "Transmission des fichiers relatifs à l'actualisation des barèmes de coûts utilisés pour l'évaluation foncière. Utilisez le gabarit fourni par la DGFAI (XLSX) et joignez, au besoin, une note explicative en PDF.",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "dgfai-proportion-mediane",
    name: "DGFAI – Proportion médiane",
    nameEn: "DGFAI – Median ratio",
    instructionsEn:
      "Data used to compute the median ratio and the comparative factor of the property assessment roll. Use the template provided by the DGFAI (XLSX).",
    unitCode: "DGFAI",
    instructions:
      "Transmission des données servant au calcul de la proportion médiane et du facteur comparatif du rôle d'évaluation foncière. Utilisez le gabarit fourni par la DGFAI (XLSX).",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "dgfai-role-additionnelle",
    name: "DGFAI – Rôle d'évaluation (collecte additionnelle)",
    nameEn: "DGFAI – Assessment roll (additional collection)",
    instructionsEn:
      "Property assessment roll files requested in an additional collection. Put the municipality's geographic code and the fiscal year in each file's name.",
    unitCode: "DGFAI",
    instructions:
      "Transmission des fichiers du rôle d'évaluation foncière demandés lors d'une collecte additionnelle. Indiquez le code géographique de la municipalité et l'exercice visé dans le nom de chaque fichier.",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "dgfai-role-annuelle",
    name: "DGFAI – Rôle d'évaluation (collecte annuelle)",
    nameEn: "DGFAI – Assessment roll (annual collection)",
    instructionsEn:
      "The yearly files of the property assessment roll in force. Put the municipality's geographic code and the fiscal year in each file's name.",
    unitCode: "DGFAI",
    instructions:
      "Transmission annuelle des fichiers du rôle d'évaluation foncière en vigueur. Indiquez le code géographique de la municipalité et l'exercice visé dans le nom de chaque fichier.",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "dgfai-sommaire-role",
    name: "DGFAI – Sommaire du rôle d'évaluation",
    nameEn: "DGFAI – Assessment roll summary",
    instructionsEn: "The summary of the property assessment roll, signed by the assessor, as PDF.",
    unitCode: "DGFAI",
    instructions:
      "Transmission du sommaire du rôle d'évaluation foncière, signé par l'évaluateur, en format PDF.",
    allowedExtensions: ["pdf"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "fdt",
    name: "FDT – Fonds de développement du territoire",
    nameEn: "FDT – Regional Development Fund",
    instructionsEn:
      "Accountability documents of the Regional Development Fund: activity report and financial report (PDF), table of supported projects (XLSX).",
    unitCode: "DGI",
    instructions:
      "Transmission des documents de reddition de comptes du Fonds de développement du territoire : rapport d'activité et rapport financier (PDF), tableau des projets soutenus (XLSX).",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "fonds-municipal-vert",
    name: "Fonds municipal vert",
    nameEn: "Green Municipal Fund",
    instructionsEn:
      "The documents required for a project funded by the Green Municipal Fund, including the council resolution and the progress reports, as PDF.",
    unitCode: "DGI",
    instructions:
      "Transmission des documents exigés pour un projet financé par le Fonds municipal vert, notamment la résolution du conseil et les rapports d'étape, en format PDF.",
    allowedExtensions: ["pdf"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "pga-eau",
    name: "Plan de gestion des actifs en eau (PGA-Eau)",
    nameEn: "Water Asset Management Plan (PGA-Eau)",
    instructionsEn:
      "Files for the water asset management plan (PGA-Eau), such as the « Démarche » (PDF), the « Résolution » (PDF) and the « Formulaire » (XLSX). Please start each file's name with your geographic code, followed by a space and the type of document. For example: 23027 Démarche.pdf, 66023 Résolution.pdf, 37067 Formulaire.xlsx",
    unitCode: "DGSE",
    instructions:
      "Transmission des fichiers relatifs au plan de gestion des actifs en eau (PGA-Eau). Tel que la « Démarche » (en PDF), la « Résolution » (en PDF) et le « Formulaire » (en XLSX). Veuillez SVP nommer vos fichiers en débutant par votre code géo suivi d'un espace et du type de document. Par exemple : 23027 Démarche.pdf, 66023 Résolution.pdf, 37067 Formulaire.xlsx",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "geo_code_prefix",
  },
  {
    code: "pgam",
    name: "Programme de gestion des actifs municipaux (PGAM)",
    nameEn: "Municipal Asset Management Program (PGAM)",
    instructionsEn:
      "The deliverables of the Municipal Asset Management Program: final report and council resolution (PDF), asset inventory (XLSX).",
    unitCode: "DGI",
    instructions:
      "Transmission des livrables du Programme de gestion des actifs municipaux : rapport final et résolution du conseil (PDF), inventaire des actifs (XLSX).",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "pmic",
    name: "Programme Municipalités pour l'innovation climatique (PMIC)",
    nameEn: "Municipalities for Climate Innovation Program (PMIC)",
    instructionsEn:
      "Documents for the Municipalities for Climate Innovation Program: progress reports and final report (PDF), budget follow-up (XLSX).",
    unitCode: "DGI",
    instructions:
      "Transmission des documents relatifs au Programme Municipalités pour l'innovation climatique : rapports d'étape et rapport final (PDF), suivi budgétaire (XLSX).",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "seep",
    name: "Stratégie québécoise d'économie d'eau potable",
    nameEn: "Québec Drinking Water Conservation Strategy",
    instructionsEn:
      "The documents required by the Québec Drinking Water Conservation Strategy, including the drinking water use form (XLSX), the annual report and the council resolution (PDF).",
    unitCode: "DGSE",
    instructions:
      "Transmission des documents exigés par la Stratégie québécoise d'économie d'eau potable, notamment le formulaire de l'usage de l'eau potable (XLSX), le bilan annuel et la résolution du conseil (PDF).",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
  {
    code: "pilotage",
    name: "Transfert pour le pilotage du système",
    nameEn: "Transfer for the system's administration",
    instructionsEn:
      "Files for the portal's administration team, only at its request (supporting documents, extracts, screenshots as PDF).",
    unitCode: "DGI",
    instructions:
      "Transmission de fichiers à l'équipe de pilotage du portail, à la demande de celle-ci seulement (pièces justificatives, extraits, captures d'écran en PDF).",
    allowedExtensions: ["pdf", "xlsx"],
    maxFileBytes: MAX_FILE_BYTES,
    nameRule: "none",
  },
];

export const ORGANIZATIONS: DemoOrganization[] = [
  {
    kind: "municipality",
    name: "Ville de Québec",
    geoCode: "23027",
    identificationCode: "QBEC-DEMX-2327",
    civicNumber: "2",
    street: "rue des Jardins",
    city: "Québec",
    postalCode: "G1R 4S9",
    region: "Capitale-Nationale",
    provincialRiding: "Taschereau",
    federalRiding: "Québec Centre",
    phone: "418 555-0100",
    email: "greffe@ville-quebec.example",
    users: [
      {
        code: "QCRSE01",
        civility: "Mme",
        firstName: "Geneviève",
        lastName: "Tremblay",
        jobTitle: "Greffière adjointe",
        phone: "418 555-0101",
        phoneExtension: "2210",
        email: "genevieve.tremblay@ville-quebec.example",
        servicesOfficer: true,
      },
      {
        code: "QCUSR01",
        civility: "M.",
        firstName: "Mathieu",
        lastName: "Bouchard",
        jobTitle: "Directeur des travaux publics",
        phone: "418 555-0102",
        email: "mathieu.bouchard@ville-quebec.example",
      },
      {
        code: "QCUSR02",
        civility: "Mme",
        firstName: "Catherine",
        lastName: "Lévesque",
        jobTitle: "Ingénieure",
        phone: "418 555-0103",
        phoneExtension: "4471",
        email: "catherine.levesque@ville-quebec.example",
      },
      {
        code: "QCUSR03",
        civility: "M.",
        firstName: "Olivier",
        lastName: "Nadeau",
        jobTitle: "Technicien en génie civil",
        phone: "418 555-0104",
        email: "olivier.nadeau@ville-quebec.example",
      },
    ],
  },
  {
    kind: "municipality",
    name: "Ville de Montréal",
    geoCode: "66023",
    identificationCode: "MTRE-DEMX-6623",
    civicNumber: "275",
    street: "rue Notre-Dame Est",
    city: "Montréal",
    postalCode: "H2Y 1C6",
    region: "Montréal",
    provincialRiding: "Westmount–Saint-Louis",
    federalRiding: "Ville-Marie—Le Sud-Ouest—Île-des-Sœurs",
    phone: "514 555-0110",
    email: "greffe@ville-montreal.example",
    users: [
      {
        code: "MTLRSE1",
        civility: "M.",
        firstName: "Jean-François",
        lastName: "Pelletier",
        jobTitle: "Chef de division, ressources informationnelles",
        phone: "514 555-0111",
        phoneExtension: "5032",
        email: "jean-francois.pelletier@ville-montreal.example",
        servicesOfficer: true,
      },
      {
        code: "MTLUSR1",
        civility: "Mme",
        firstName: "Nathalie",
        lastName: "Bergeron",
        jobTitle: "Conseillère en planification",
        phone: "514 555-0112",
        email: "nathalie.bergeron@ville-montreal.example",
      },
      {
        code: "MTLUSR2",
        civility: "M.",
        firstName: "Karim",
        lastName: "Haddad",
        jobTitle: "Ingénieur",
        phone: "514 555-0113",
        phoneExtension: "7815",
        email: "karim.haddad@ville-montreal.example",
      },
      {
        code: "MTLUSR3",
        civility: "Mme",
        firstName: "Sophie",
        lastName: "Nguyen",
        jobTitle: "Agente de gestion financière",
        phone: "514 555-0114",
        email: "sophie.nguyen@ville-montreal.example",
      },
    ],
  },
  {
    kind: "municipality",
    name: "Ville de Trois-Rivières",
    geoCode: "37067",
    identificationCode: "TRVR-DEMX-3767",
    civicNumber: "1325",
    street: "place de l'Hôtel-de-Ville",
    city: "Trois-Rivières",
    postalCode: "G9A 5H3",
    region: "Mauricie",
    provincialRiding: "Trois-Rivières",
    federalRiding: "Trois-Rivières",
    phone: "819 555-0120",
    email: "greffe@trois-rivieres.example",
    users: [
      {
        code: "TRVRSE1",
        civility: "Mme",
        firstName: "Chantal",
        lastName: "Lemieux",
        jobTitle: "Greffière",
        phone: "819 555-0121",
        email: "chantal.lemieux@trois-rivieres.example",
        servicesOfficer: true,
      },
      {
        code: "TRVUSR1",
        civility: "M.",
        firstName: "Denis",
        lastName: "Caron",
        jobTitle: "Directeur des travaux publics",
        phone: "819 555-0122",
        phoneExtension: "310",
        email: "denis.caron@trois-rivieres.example",
      },
      {
        code: "TRVUSR2",
        civility: "Mme",
        firstName: "Émilie",
        lastName: "Gauthier",
        jobTitle: "Technicienne en administration",
        phone: "819 555-0123",
        email: "emilie.gauthier@trois-rivieres.example",
      },
    ],
  },
  {
    kind: "body",
    name: "Régie intermunicipale de l'eau des Trois-Lacs",
    acronym: "RIETL",
    neq: "8831457206",
    bodyCategory: "Régie intermunicipale",
    civicNumber: "1200",
    street: "rue des Érables",
    city: "Shawinigan",
    postalCode: "G9N 3X2",
    region: "Mauricie",
    phone: "819 555-0130",
    email: "administration@regie-trois-lacs.example",
    users: [
      {
        code: "RGIRSE1",
        civility: "M.",
        firstName: "Luc",
        lastName: "Bellemare",
        jobTitle: "Directeur général",
        phone: "819 555-0131",
        email: "luc.bellemare@regie-trois-lacs.example",
        servicesOfficer: true,
      },
      {
        code: "RGIUSR1",
        civility: "Mme",
        firstName: "Marie-Ève",
        lastName: "Paquin",
        jobTitle: "Secrétaire-trésorière",
        phone: "819 555-0132",
        email: "marie-eve.paquin@regie-trois-lacs.example",
      },
      {
        code: "RGIUSR2",
        civility: "M.",
        firstName: "Samuel",
        lastName: "Rivard",
        jobTitle: "Technicien en traitement des eaux",
        phone: "819 555-0133",
        phoneExtension: "22",
        email: "samuel.rivard@regie-trois-lacs.example",
      },
    ],
  },
  {
    kind: "firm",
    name: "Fleurant Génie-Conseil inc.",
    acronym: "FGC",
    neq: "1172638405",
    civicNumber: "2875",
    street: "boulevard Laurier, bureau 300",
    city: "Québec",
    postalCode: "G1V 2M2",
    region: "Capitale-Nationale",
    phone: "418 555-0140",
    email: "info@fleurant-gc.example",
    servicePoints: [
      {
        name: "Bureau de Québec",
        civicNumber: "2875",
        street: "boulevard Laurier, bureau 300",
        city: "Québec",
        postalCode: "G1V 2M2",
      },
      {
        name: "Bureau de Trois-Rivières",
        civicNumber: "4500",
        street: "boulevard des Forges, bureau 210",
        city: "Trois-Rivières",
        postalCode: "G8Y 1W2",
      },
    ],
    users: [
      {
        code: "FGCRSE1",
        civility: "Mme",
        firstName: "Julie",
        lastName: "Fleurant",
        jobTitle: "Présidente",
        phone: "418 555-0141",
        email: "julie.fleurant@fleurant-gc.example",
        servicesOfficer: true,
      },
      {
        code: "FGCUSR1",
        civility: "M.",
        firstName: "Alexandre",
        lastName: "Roy",
        jobTitle: "Ingénieur de projet",
        phone: "418 555-0142",
        phoneExtension: "118",
        email: "alexandre.roy@fleurant-gc.example",
      },
      {
        code: "FGCUSR2",
        civility: "Mme",
        firstName: "Amélie",
        lastName: "Côté",
        jobTitle: "Ingénieure en infrastructures",
        phone: "819 555-0143",
        email: "amelie.cote@fleurant-gc.example",
      },
      {
        code: "FGCUSR3",
        civility: "M.",
        firstName: "Maxime",
        lastName: "Dubé",
        jobTitle: "Technicien en génie civil",
        phone: "819 555-0144",
        email: "maxime.dube@fleurant-gc.example",
      },
    ],
  },
  {
    kind: "firm",
    name: "Laurentides Experts-Conseils inc.",
    acronym: "LEC",
    neq: "1169403578",
    civicNumber: "1100",
    street: "boulevard René-Lévesque Ouest, bureau 1500",
    city: "Montréal",
    postalCode: "H3B 4N4",
    region: "Montréal",
    phone: "514 555-0150",
    email: "info@laurentides-ec.example",
    servicePoints: [
      {
        name: "Bureau de Montréal",
        civicNumber: "1100",
        street: "boulevard René-Lévesque Ouest, bureau 1500",
        city: "Montréal",
        postalCode: "H3B 4N4",
      },
      {
        name: "Bureau de Sherbrooke",
        civicNumber: "150",
        street: "rue King Ouest, bureau 400",
        city: "Sherbrooke",
        postalCode: "J1H 1P1",
      },
    ],
    users: [
      {
        code: "LECRSE1",
        civility: "M.",
        firstName: "Patrick",
        lastName: "Morin",
        jobTitle: "Directeur des opérations",
        phone: "514 555-0151",
        email: "patrick.morin@laurentides-ec.example",
        servicesOfficer: true,
      },
      {
        code: "LECUSR1",
        civility: "Mme",
        firstName: "Fatima",
        lastName: "Benali",
        jobTitle: "Chargée de projets",
        phone: "514 555-0152",
        phoneExtension: "2047",
        email: "fatima.benali@laurentides-ec.example",
      },
      {
        code: "LECUSR2",
        civility: "M.",
        firstName: "Vincent",
        lastName: "Gingras",
        jobTitle: "Estimateur",
        phone: "819 555-0153",
        email: "vincent.gingras@laurentides-ec.example",
      },
    ],
  },
];

/**
 * Financial-aid applications of Québec (the city of DEMO_PROCURATION) in D32-PRIMEAU: QCUSR01 is the local manager
 * (DEMO_REGISTRY), QCUSR02 (who also holds the MAMH procuration) writes; one draft in progress, and one transmitted
 * that DGIADM1 reads in the back office. D34-PIQM stays without a manager, for the access request demo.
 */
export const DEMO_APPLICATIONS = {
  serviceCode: "D32-PRIMEAU",
  /** Québec's registry in D32-PRIMEAU (DEMO_REGISTRY) makes QCUSR01 local manager and QCUSR02 a writing requester. */
  requester: "QCUSR02",
  draft: {
    title: "Réfection de la rue Saint-Jean",
    data: {
      title: "Réfection de la rue Saint-Jean",
      description:
        "Remplacement des conduites d'aqueduc et d'égout sous la rue Saint-Jean, entre les rues Turnbull et Claire-Fontaine.",
      estimated_cost: 480_000_000,
    },
  },
  transmitted: {
    title: "Remplacement des conduites de la rue Cartier",
    data: {
      title: "Remplacement des conduites de la rue Cartier",
      description:
        "Remplacement de 1,2 km de conduites d'eau potable datant de 1948 et réfection complète de la chaussée et des trottoirs.",
      estimated_cost: 725_000_000,
      amount_requested: 362_500_000,
      start_date: "2027-05-03",
      end_date: "2027-11-12",
      contact_name: "Mathieu Bouchard",
      contact_phone: "418 555-0102",
      contact_email: "mathieu.bouchard@ville-quebec.example",
    },
    /** The form's required « Résolution du conseil (PDF) ». */
    resolution: {
      field: "resolution",
      name: "Résolution CV-2026-0412.pdf",
      title: "Ville de Québec — Extrait du procès-verbal du conseil",
      lines: [
        "Séance ordinaire du 14 avril 2026 — résolution CV-2026-0412",
        "Il est résolu que la Ville de Québec présente au ministère des Affaires municipales",
        "et de l'Habitation une demande d'aide financière pour le remplacement des conduites",
        "de la rue Cartier, et qu'elle s'engage à payer sa part des coûts admissibles.",
        "Document de démonstration de Guichet.",
      ],
    },
  },
} as const;
