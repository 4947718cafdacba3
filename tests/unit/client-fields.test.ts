import { describe, expect, it } from 'vitest';
import { checkClientFields, cleanClientFields, isEmailAddress, isPhoneNumber, parseAddressList } from '../../common/client-fields';

describe('isEmailAddress', () => {
  it.each([
    ['ivan@example.com', true],
    ['Ivan.Ivanov+orders@mail.example.ru', true],
    ['иван@пример.рф', true],
    ['  anna@example.test  ', true],
    ['ivan@', false],
    ['@example.com', false],
    ['ivan@example', false],
    ['ivan example@example.com', false],
    ['ivan@@example.com', false],
    ['ivan..x@example.com', false],
    ['Ivan <ivan@example.com>', false],
    ['a@b.c', false],
  ])('%s → %s', (text, ok) => expect(isEmailAddress(text)).toBe(ok));
});

describe('isPhoneNumber', () => {
  it.each([
    ['+7 999 123-45-67', true],
    ['8 (999) 1234567', true],
    ['79991234567', true],
    ['+44 20 7946 0958', true],
    ['12-34', false],
    ['+7 999 123-45-67 доб. 5', false],
    ['1234567890123456', false],
    ['phone', false],
  ])('%s → %s', (text, ok) => expect(isPhoneNumber(text)).toBe(ok));
});

describe('checkClientFields', () => {
  it('needs a name and nothing else, empty attributes being absent', () => {
    expect(checkClientFields({ name: 'Анна', phone: '', email: '  ' })).toEqual([]);
    expect(checkClientFields({ name: ' ' })).toEqual([{ field: 'name', code: 'required' }]);
  });

  it('names every field that is wrong, in form order', () => {
    expect(checkClientFields({ name: 'x'.repeat(201), phone: 'call me', email: 'nope', externalId: 'y'.repeat(201) })).toEqual([
      { field: 'name', code: 'too_long' },
      { field: 'phone', code: 'invalid_phone' },
      { field: 'email', code: 'invalid_email' },
      { field: 'externalId', code: 'too_long' },
    ]);
  });

  it('stores what was typed trimmed, with runs of spaces in the name made one', () => {
    expect(cleanClientFields({ name: ' Иванов   Иван ', phone: ' +7 999 ', email: '', messengerUsername: '@ivan ' })).toEqual({
      name: 'Иванов Иван',
      phone: '+7 999',
      email: null,
      externalId: null,
      messengerUsername: '@ivan',
    });
  });
});

describe('parseAddressList', () => {
  it('splits a BCC line on commas, semicolons and spaces, once per address', () => {
    expect(parseAddressList('boss@example.test, audit@example.test;  Boss@Example.test')).toEqual({
      addresses: ['boss@example.test', 'audit@example.test'],
      invalid: [],
    });
  });

  it('keeps what is not an address apart, to be named in the hint', () => {
    expect(parseAddressList('boss@example.test, oops, x@')).toEqual({ addresses: ['boss@example.test'], invalid: ['oops', 'x@'] });
    expect(parseAddressList('  ')).toEqual({ addresses: [], invalid: [] });
  });
});
