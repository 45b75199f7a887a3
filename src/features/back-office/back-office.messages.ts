// Texts of the ministry's back office: request queue, decisions, managers, identification codes (French, then English).

export const fr = {
  "backOffice.title": "Administration des services en ligne",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "backOffice.title": "Online services administration",
};
