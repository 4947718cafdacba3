import { describe, expect, it } from 'vitest';
import {
  classifyQuery,
  normalizeName,
  normalizePhone,
  normalizeUsername,
  phoneFragment,
  phoneSearchKeys,
  prefixUpperBound,
  rankOf,
} from '../../common/client-search';

describe('normalizePhone', () => {
  it.each([
    ['+7 999 123-45-67', '9991234567'],
    ['8 (999) 1234567', '9991234567'],
    ['79991234567', '9991234567'],
    ['9991234567', '9991234567'],
    ['+7 (999) 123 45 67', '9991234567'],
    ['8-999-123-45-67', '9991234567'],
    ['+44 20 7946 0958', '442079460958'],
    ['12345', '12345'],
  ])('reads %j as %j', (text, expected) => {
    expect(normalizePhone(text)).toBe(expected);
  });

  it.each(['', '1234', '+7 99', 'no digits', '(12) 3-4'])('refuses %j: fewer than 5 digits', (text) => {
    expect(normalizePhone(text)).toBeNull();
  });
});

describe('phoneSearchKeys', () => {
  it('tries an incomplete number that starts with 8 or 7 both with and without the trunk digit', () => {
    expect(phoneSearchKeys('8 999 12')).toEqual(['899912', '99912']);
  });

  it('keeps a complete number as its one national key', () => {
    expect(phoneSearchKeys('8 (999) 123-45-67')).toEqual(['9991234567']);
  });

  it('has no key for a query too short to be a number', () => {
    expect(phoneSearchKeys('999')).toEqual([]);
  });
});

describe('phoneFragment', () => {
  it.each([
    ['555-44-33', '5554433'],
    ['12345', '12345'],
    [' 912 555 ', '912555'],
    // A complete Russian number is its national key: a substring of itself as stored.
    ['8 (912) 555-44-33', '9125554433'],
  ])('finds %j as the digits %j anywhere in a number', (text, expected) => {
    expect(phoneFragment(text)).toBe(expected);
  });

  it.each(['+7 912 555', '+44 20 79', '1234', 'abc'])('has none for %j: the start of a number, or too few digits', (text) => {
    expect(phoneFragment(text)).toBeNull();
  });
});

describe('normalizeName', () => {
  it.each([
    ['Иванов Иван', 'иванов иван'],
    ['  СЕМЁНОВ   Пётр ', 'семенов петр'],
    ['Ёжиков\tЁж', 'ежиков еж'],
    ['John   SMITH', 'john smith'],
  ])('reads %j as %j', (text, expected) => {
    expect(normalizeName(text)).toBe(expected);
  });

  it('makes a Cyrillic query a substring of the stored name whatever the case and ё', () => {
    expect(normalizeName('Иванов Иван')).toContain(normalizeName('иван'));
    expect(normalizeName('Фёдоров Фёдор')).toContain(normalizeName('ФЕДОР'));
    expect(normalizeName('Федоров Федор')).toContain(normalizeName('фёдор'));
  });
});

describe('normalizeUsername', () => {
  it.each([
    ['@Ivan_Petrov', 'ivan_petrov'],
    ['ivan_petrov', 'ivan_petrov'],
    [' @@IVAN ', 'ivan'],
  ])('reads %j as %j', (text, expected) => {
    expect(normalizeUsername(text)).toBe(expected);
  });
});

describe('classifyQuery', () => {
  it.each([
    ['79991234567', ['phone', 'externalId']],
    ['+7 (999) 123-45-67', ['phone']],
    ['123', ['externalId']],
    ['ivan@example.test', ['email']],
    ['ivan@exa', ['email']],
    ['@ivan_p', ['messengerUsername']],
    ['Иванов Иван', ['name']],
    ['иван', ['name', 'externalId', 'messengerUsername']],
    ['ivan.petrov', ['name', 'externalId', 'email', 'messengerUsername']],
    ['CRM-001', ['name', 'externalId', 'email']],
    ['', []],
    ['   ', []],
    ['@', []],
  ])('%j can match %j', (text, expected) => {
    expect(classifyQuery(text)).toEqual(expected);
  });
});

describe('rankOf', () => {
  it('puts exact before prefix before substring', () => {
    expect(rankOf('exact')).toBeLessThan(rankOf('prefix'));
    expect(rankOf('prefix')).toBeLessThan(rankOf('substring'));
  });

  it('sorts a mixed list best first, ties by name', () => {
    const found = [
      { name: 'b', kind: 'substring' },
      { name: 'c', kind: 'exact' },
      { name: 'a', kind: 'prefix' },
      { name: 'a', kind: 'substring' },
    ] as const;
    const sorted = [...found].sort((x, y) => rankOf(x.kind) - rankOf(y.kind) || x.name.localeCompare(y.name));
    expect(sorted.map((f) => `${f.kind}:${f.name}`)).toEqual(['exact:c', 'prefix:a', 'substring:a', 'substring:b']);
  });
});

describe('prefixUpperBound', () => {
  it('bounds exactly the strings that start with the prefix', () => {
    const bound = prefixUpperBound('ива');
    for (const inside of ['ива', 'иван', 'иваново']) expect(inside >= 'ива' && inside < bound).toBe(true);
    for (const outside of ['ивб', 'иб', 'ив']) expect(outside >= 'ива' && outside < bound).toBe(false);
  });
});
