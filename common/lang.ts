/** The languages of the UI; the contract's `lang` is built from this list. */
export const LANGS = ['en', 'ru'] as const;
export type Lang = (typeof LANGS)[number];
