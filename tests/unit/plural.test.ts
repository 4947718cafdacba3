import { describe, expect, it } from 'vitest';
import { pluralForm, translator } from '../../common/i18n';

describe('counted words', () => {
  it.each([
    [1, '1 файл'],
    [2, '2 файла'],
    [5, '5 файлов'],
    [11, '11 файлов'],
    [21, '21 файл'],
    [24, '24 файла'],
  ])('%i in Russian', (count, words) => {
    expect(translator('ru')(`composer.files.${pluralForm('ru', count)}`, { count })).toBe(words);
  });

  it.each([
    [1, '1 file'],
    [6, '6 files'],
  ])('%i in English', (count, words) => {
    expect(translator('en')(`composer.files.${pluralForm('en', count)}`, { count })).toBe(words);
  });
});
