// Characters a typed value may not carry.

// C0, DEL and C1 controls (U+009B opens a terminal escape), line and paragraph separators (they break a one-line
// value in a mail), and the bidirectional overrides and isolates that can disguise a name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters.
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** For a multi-line field, the line breaks themselves are allowed; every other control is not. */
export function hasControlCharacters(value: string, options: { multiline?: boolean } = {}): boolean {
  return CONTROL_CHARACTERS.test(options.multiline ? value.replace(/\r?\n/g, "") : value);
}
