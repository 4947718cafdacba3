// Sizes in the config are written the way administrators say them: "30mb", "512kb", or bytes.
// 1 kb = 1024 bytes, 1 mb = 1024 × 1024 bytes (what file managers on Windows show as "MB").
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;

/** Returns the number of bytes, or null when the text is not a size. */
export function parseSize(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : null;
  }
  if (typeof value !== 'string') return null;
  const match = SIZE_PATTERN.exec(value);
  if (!match) return null;
  const unit = (match[2] ?? '').toLowerCase() || 'b';
  const factor = UNITS[unit];
  if (factor === undefined) return null;
  const bytes = Math.round(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

export type SizeLang = 'en' | 'ru';

/** The units as Windows Explorer writes them in each language, and the decimal mark. */
const WRITTEN: Record<SizeLang, { b: string; kb: string; mb: string; decimal: string }> = {
  en: { b: 'B', kb: 'KB', mb: 'MB', decimal: '.' },
  ru: { b: 'Б', kb: 'КБ', mb: 'МБ', decimal: ',' },
};

/** "30 MB", "512 KB", "17 B" ("31,5 МБ" in Russian): the largest unit that keeps the number at or above 1. */
export function formatSize(bytes: number, lang: SizeLang = 'en'): string {
  const w = WRITTEN[lang];
  const trim = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace('.', w.decimal));
  if (bytes >= UNITS.mb!) return `${trim(bytes / UNITS.mb!)} ${w.mb}`;
  if (bytes >= UNITS.kb!) return `${trim(bytes / UNITS.kb!)} ${w.kb}`;
  return `${bytes} ${w.b}`;
}
