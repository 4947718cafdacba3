// The rules of "find any client", shared so that what main stores in the *_norm columns and
// what it looks up are normalised by one piece of code (a mismatch would silently find nothing).

export type SearchAttribute = 'name' | 'phone' | 'email' | 'externalId' | 'messengerUsername';
export type MatchKind = 'exact' | 'prefix' | 'substring';

/** Fewer digits than this cannot tell one client's number from another's. */
const MIN_PHONE_DIGITS = 5;

/**
 * The digits of a phone number, with a Russian number reduced to its 10-digit national part so
 * that `+7 …`, `8 …` and the bare national number are the same key. Null when too short.
 */
export function normalizePhone(text: string): string | null {
  const digits = text.replace(/\D/g, '');
  if (digits.length < MIN_PHONE_DIGITS) return null;
  if (digits.length === 11 && (digits[0] === '7' || digits[0] === '8')) return digits.slice(1);
  return digits;
}

/**
 * The keys a partly typed phone query can start: `8999123` may be the start of `+7 999 123…`
 * (national key `999123…`) or of a foreign number, so both are tried as prefixes.
 */
export function phoneSearchKeys(text: string): string[] {
  const normalized = normalizePhone(text);
  if (normalized === null) return [];
  const digits = text.replace(/\D/g, '');
  const keys = [normalized];
  // A complete number is already reduced; only an incomplete one keeps an ambiguous trunk digit.
  if (digits.length < 11 && /^[78]/.test(digits) && digits.length - 1 >= MIN_PHONE_DIGITS) keys.push(digits.slice(1));
  return [...new Set(keys)];
}

/**
 * The digits a phone query may find anywhere inside a stored number ("555-44-33", the last seven
 * digits, digits from the middle), compared with the stored national key. Null for a query
 * written as the start of a number (`+7 912…`: only a prefix means that), or one too short to
 * tell clients apart.
 */
export function phoneFragment(text: string): string | null {
  if (text.trim().startsWith('+')) return null;
  return normalizePhone(text);
}

/** Lower-case, «ё» as «е» (people type either), runs of white space as one space. */
export function normalizeName(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

export function normalizeEmail(text: string): string {
  return text.trim().toLowerCase();
}

/** Operators copy usernames both as `@name` and `name`. */
export function normalizeUsername(text: string): string {
  return text.trim().replace(/^@+/, '').toLowerCase();
}

export function normalizeExternalId(text: string): string {
  return text.trim().toLowerCase();
}

/** What goes into the *_norm columns for one client; null where the attribute is absent. */
export function searchColumns(client: {
  name: string;
  phone?: string | null;
  email?: string | null;
  externalId?: string | null;
  messengerUsername?: string | null;
}): { nameNorm: string; phoneNorm: string | null; emailNorm: string | null; externalIdNorm: string | null; usernameNorm: string | null } {
  const orNull = (value: string): string | null => (value === '' ? null : value);
  return {
    nameNorm: normalizeName(client.name),
    phoneNorm: client.phone ? normalizePhone(client.phone) : null,
    emailNorm: client.email ? orNull(normalizeEmail(client.email)) : null,
    externalIdNorm: client.externalId ? orNull(normalizeExternalId(client.externalId)) : null,
    usernameNorm: client.messengerUsername ? orNull(normalizeUsername(client.messengerUsername)) : null,
  };
}

const PHONE_CHARS = /^[\d\s()+\-.]+$/;
const EMAIL_PREFIX_CHARS = /^[a-z0-9._%+-]+$/i;
const USERNAME_CHARS = /^[\p{L}\d_.]+$/u;
const LETTER = /\p{L}/u;

/**
 * Which attributes a query can match, in the order that decides which one a result reports when
 * a client matches several equally well. Lookups are cheap index probes, so this only has to
 * rule out the impossible (a query with spaces is no e-mail, one without letters no name).
 */
export function classifyQuery(text: string): SearchAttribute[] {
  const query = text.trim();
  if (query === '') return [];
  if (query.startsWith('@')) return normalizeUsername(query) === '' ? [] : ['messengerUsername'];
  if (query.includes('@')) return /\s/.test(query) ? [] : ['email'];

  const attributes: SearchAttribute[] = [];
  const oneWord = !/\s/.test(query);
  if (PHONE_CHARS.test(query) && normalizePhone(query) !== null) attributes.push('phone');
  if (LETTER.test(query)) attributes.push('name');
  if (oneWord) attributes.push('externalId');
  if (oneWord && LETTER.test(query)) {
    if (EMAIL_PREFIX_CHARS.test(query)) attributes.push('email');
    if (USERNAME_CHARS.test(query)) attributes.push('messengerUsername');
  }
  return attributes;
}

/** Lower is better: results are sorted by rank, then by name. */
export function rankOf(matchKind: MatchKind): number {
  return matchKind === 'exact' ? 0 : matchKind === 'prefix' ? 1 : 2;
}

/**
 * The smallest string greater than every string that starts with `prefix`, so that a prefix
 * search is the index range `>= prefix AND < bound` (LIKE would bypass the index under its
 * default case-insensitive collation).
 */
export function prefixUpperBound(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (prefix === '' || last === 0xffff) return prefix + '\uffff';
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
