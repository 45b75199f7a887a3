// Texts of the service catalogue and of the access requests an organization files (French, then English).

export const fr = {
  "services.catalogueTitle": "Services en ligne",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "services.catalogueTitle": "Online services",
};
