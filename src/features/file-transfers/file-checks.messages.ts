// Texts of the refusals of a transferred file, each naming the file and the reason (French, then English).

export const fr = {
  "fileCheck.nameEmpty":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: son nom est vide ou ne contient que des espaces.",
  "fileCheck.nameTooLong":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: son nom dépasse {max} caractères. Raccourcissez-le, puis ajoutez-le de nouveau.",
  "fileCheck.nameControlCharacters":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: son nom contient un caractère de contrôle (caractère nul, saut de ligne, tabulation ou autre caractère non imprimable).",
  "fileCheck.nameBidiCharacters":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: son nom contient un caractère invisible qui inverse le sens d'affichage du texte et peut masquer la véritable extension du fichier.",
  "fileCheck.namePathSeparator":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: son nom ne peut contenir de barre oblique (/ ou \\) ni de chemin de dossier.",
  "fileCheck.nameEdge":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: son nom ne peut commencer par un point, ni commencer ou se terminer par une espace.",
  "fileCheck.nameNoExtension":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: son nom n'a pas d'extension. Extensions permises\u00a0: {allowed}.",
  "fileCheck.extensionNotAllowed":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: l'extension {extension} n'est pas permise pour ce destinataire. Extensions permises\u00a0: {allowed}.",
  "fileCheck.nameGeoCodePrefix":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: son nom doit commencer par votre code géographique, suivi d'une espace et du type de document, sous la forme «\u00a0{geoCode} Type de document.{extension}\u00a0» (par exemple «\u00a0{geoCode} Démarche.pdf\u00a0»).",
  "fileCheck.nameDocumentTypeMissing":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: le type de document manque après le code géographique. Nommez-le sous la forme «\u00a0{geoCode} Type de document.{extension}\u00a0» (par exemple «\u00a0{geoCode} Démarche.pdf\u00a0»).",
  "fileCheck.nameRuleNeedsGeoCode":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: ce destinataire exige que le nom commence par le code géographique d'une municipalité, et votre organisation n'en a pas.",
  "fileCheck.empty": "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: il est vide (0 octet).",
  "fileCheck.typeUnsupported":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: le portail ne sait pas vérifier le contenu des fichiers {extension}.",
  "fileCheck.executable":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: c'est un programme exécutable, et non un document {extension}.",
  "fileCheck.pdfMagic":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: son contenu n'est pas celui d'un PDF (il ne commence pas par l'en-tête %PDF-).",
  "fileCheck.pdfNoEnd":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: le PDF est incomplet ou endommagé (la marque de fin %%EOF est absente).",
  "fileCheck.xlsxNotZip":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: ce n'est pas un classeur Excel (XLSX)\u202f; son contenu n'est pas une archive lisible.",
  "fileCheck.xlsxInvalid":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: le classeur Excel (XLSX) est endommagé ou enregistré dans un format d'archive non accepté.",
  "fileCheck.xlsxEncrypted":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: le classeur est chiffré ou protégé par un mot de passe. Transmettez-le sans mot de passe.",
  "fileCheck.xlsxUnsafeEntryName":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: le classeur contient un chemin interne dangereux («\u00a0..\u00a0», chemin absolu ou barre oblique inverse).",
  "fileCheck.xlsxTooManyEntries":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: le classeur contient plus de {max} parties.",
  "fileCheck.xlsxTooLarge":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: une fois décompressé, le classeur dépasserait {max} Mo.",
  "fileCheck.xlsxZipBomb":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: le classeur est anormalement compressé (bombe de décompression possible).",
  "fileCheck.xlsxMissingPart":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: ce n'est pas un classeur Excel (XLSX) valide, car la partie {part} est absente.",
  "fileCheck.xlsxNotWorkbook":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: l'archive ne déclare pas de classeur Excel (XLSX) ordinaire.",
  "fileCheck.xlsxMacro":
    "Le fichier «\u00a0{name}\u00a0» est refusé\u00a0: c'est un classeur contenant des macros. Enregistrez-le au format «\u00a0Classeur Excel (.xlsx)\u00a0», sans macros, puis transmettez-le de nouveau.",
} as const;

export const en: Record<keyof typeof fr, string> = {
  "fileCheck.nameEmpty": "The file “{name}” is refused: its name is empty or only spaces.",
  "fileCheck.nameTooLong":
    "The file “{name}” is refused: its name is longer than {max} characters. Shorten it, then add it again.",
  "fileCheck.nameControlCharacters":
    "The file “{name}” is refused: its name contains a control character (null character, line break, tab or another non-printable character).",
  "fileCheck.nameBidiCharacters":
    "The file “{name}” is refused: its name contains an invisible character that reverses the display direction of the text and can hide the file's real extension.",
  "fileCheck.namePathSeparator":
    "The file “{name}” is refused: its name cannot contain a slash (/ or \\) or a folder path.",
  "fileCheck.nameEdge":
    "The file “{name}” is refused: its name cannot begin with a dot, nor begin or end with a space.",
  "fileCheck.nameNoExtension":
    "The file “{name}” is refused: its name has no extension. Allowed extensions: {allowed}.",
  "fileCheck.extensionNotAllowed":
    "The file “{name}” is refused: the extension {extension} is not allowed for this recipient. Allowed extensions: {allowed}.",
  "fileCheck.nameGeoCodePrefix":
    "The file “{name}” is refused: its name must begin with your geographic code, then a space and the document type, as “{geoCode} Document type.{extension}” (for example “{geoCode} Démarche.pdf”).",
  "fileCheck.nameDocumentTypeMissing":
    "The file “{name}” is refused: the document type is missing after the geographic code. Name it as “{geoCode} Document type.{extension}” (for example “{geoCode} Démarche.pdf”).",
  "fileCheck.nameRuleNeedsGeoCode":
    "The file “{name}” is refused: this recipient requires the name to begin with a municipality's geographic code, and your organization has none.",
  "fileCheck.empty": "The file “{name}” is refused: it is empty (0 bytes).",
  "fileCheck.typeUnsupported":
    "The file “{name}” is refused: the portal cannot check the content of {extension} files.",
  "fileCheck.executable":
    "The file “{name}” is refused: it is an executable program, not a {extension} document.",
  "fileCheck.pdfMagic":
    "The file “{name}” is refused: its content is not a PDF (it does not begin with the %PDF- header).",
  "fileCheck.pdfNoEnd":
    "The file “{name}” is refused: the PDF is incomplete or damaged (the %%EOF end marker is missing).",
  "fileCheck.xlsxNotZip":
    "The file “{name}” is refused: it is not an Excel workbook (XLSX); its content is not a readable archive.",
  "fileCheck.xlsxInvalid":
    "The file “{name}” is refused: the Excel workbook (XLSX) is damaged or saved in an archive format that is not accepted.",
  "fileCheck.xlsxEncrypted":
    "The file “{name}” is refused: the workbook is encrypted or password-protected. Send it without a password.",
  "fileCheck.xlsxUnsafeEntryName":
    "The file “{name}” is refused: the workbook contains a dangerous internal path (“..”, an absolute path or a backslash).",
  "fileCheck.xlsxTooManyEntries":
    "The file “{name}” is refused: the workbook contains more than {max} parts.",
  "fileCheck.xlsxTooLarge":
    "The file “{name}” is refused: once decompressed, the workbook would exceed {max} MB.",
  "fileCheck.xlsxZipBomb":
    "The file “{name}” is refused: the workbook is abnormally compressed (possible decompression bomb).",
  "fileCheck.xlsxMissingPart":
    "The file “{name}” is refused: it is not a valid Excel workbook (XLSX), as the part {part} is missing.",
  "fileCheck.xlsxNotWorkbook":
    "The file “{name}” is refused: the archive does not declare an ordinary Excel workbook (XLSX).",
  "fileCheck.xlsxMacro":
    "The file “{name}” is refused: it is a macro-enabled workbook. Save it as “Excel Workbook (.xlsx)”, without macros, then send it again.",
};
