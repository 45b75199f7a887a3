// Texts of the reminders before an end date and of the grant emails they sit beside (French, then English).

export const fr = {
  "mail.reminders.subject":
    "Guichet — rappel\u00a0: {count} {count|droit d'accès prend|droits d'accès prennent} fin bientôt",
  "mail.reminders.body":
    "Bonjour {name},\n\n{sections}\n\nCe courriel est envoyé automatiquement par Guichet.",
  "mail.reminders.held":
    "Vos accès qui prennent fin bientôt\u00a0:\n{lines}\n\nS'ils doivent continuer, adressez-vous au gestionnaire local des droits d'accès du service ou à ses adjoints (nommés sous chaque accès), qui peuvent repousser la date de fin.",
  "mail.reminders.renew":
    "Accès que vous pouvez prolonger, comme gestionnaire local ou adjoint, en modifiant leur date de fin dans le registre\u00a0:\n{lines}",
  "mail.reminders.heldLine": "- «\u00a0{right}\u00a0», {service}, pour {organization}\u00a0: {when}",
  "mail.reminders.renewLine":
    "- {holder}, «\u00a0{right}\u00a0», {service}, pour {organization}\u00a0: {when}\n  {link}",
  "mail.reminders.when": "dernier jour le {end}, dans {days} {days|jour|jours}",
  "mail.reminders.whenToday": "dernier jour aujourd'hui, le {end}",
  "mail.reminders.renewers": "Peut le prolonger\u00a0: {names}",
};

export const en: Record<keyof typeof fr, string> = {
  "mail.reminders.subject": "Guichet — reminder: {count} {count|access right ends|access rights end} soon",
  "mail.reminders.body": "Hello {name},\n\n{sections}\n\nThis email is sent automatically by Guichet.",
  "mail.reminders.held":
    "Your access that ends soon:\n{lines}\n\nIf it must go on, ask the service's local access manager or their deputies (named under each), who can move the end date later.",
  "mail.reminders.renew":
    "Access you can extend, as local manager or deputy, by changing its end date in the registry:\n{lines}",
  "mail.reminders.heldLine": "- “{right}”, {service}, for {organization}: {when}",
  "mail.reminders.renewLine": "- {holder}, “{right}”, {service}, for {organization}: {when}\n  {link}",
  "mail.reminders.when": "last day on {end}, in {days} {days|day|days}",
  "mail.reminders.whenToday": "last day today, {end}",
  "mail.reminders.renewers": "Who can extend it: {names}",
};
