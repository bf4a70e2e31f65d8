/**
 * The four delimiters of an interchange: read from its ISA segment by the tokenizer (or the defaults for a
 * bare ST file), and written with by the generator and the tests.
 */
export interface Separators {
  element: string;
  component: string;
  /** ISA11 when it is a delimiter (005010); null when ISA11 is a code such as "U" (004010). */
  repetition: string | null;
  segment: string;
}

export const DEFAULT_SEPARATORS: Separators = { element: '*', component: ':', repetition: '^', segment: '~' };
