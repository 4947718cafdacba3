import type { Lang } from '../lang';
import { en, type MessageKey } from './en';
import { ru } from './ru';

export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, ru };

export function translator(lang: Lang): Translate {
  const dict = dictionaries[lang];
  return (key, params) =>
    dict[key].replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));
}

/** The form of a counted word for `count` in `lang` (one / few / many / other, as Intl names them). */
export type PluralForm = 'one' | 'few' | 'many' | 'other';

export function pluralForm(lang: Lang, count: number): PluralForm {
  const form = new Intl.PluralRules(lang).select(count);
  return form === 'one' || form === 'few' || form === 'many' ? form : 'other';
}
