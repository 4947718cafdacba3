import { describe, expect, it } from 'vitest';
import { formatSize, parseSize } from '../../common/size';

describe('parseSize', () => {
  it.each([
    ['30mb', 30 * 1024 * 1024],
    ['30MB', 30 * 1024 * 1024],
    ['30 mb', 30 * 1024 * 1024],
    ['512kb', 512 * 1024],
    ['1.5mb', 1.5 * 1024 * 1024],
    ['1gb', 1024 ** 3],
    ['100b', 100],
    ['2048', 2048],
    [2048, 2048],
    [0, 0],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['30 parsecs', 'mb', '', '-5mb', '30mbb', '3e7', 'thirty', -1, 1.5, Number.NaN, null, {}])(
    'refuses %j',
    (text) => {
      expect(parseSize(text)).toBeNull();
    },
  );
});

describe('formatSize', () => {
  it.each([
    [30 * 1024 * 1024, '30 MB'],
    [Math.round(34.2 * 1024 * 1024), '34.2 MB'],
    [512 * 1024, '512 KB'],
    [999, '999 B'],
  ])('shows %d bytes as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  it.each([
    [30 * 1024 * 1024, '30 МБ'],
    [Math.round(34.2 * 1024 * 1024), '34,2 МБ'],
    [512 * 1024, '512 КБ'],
    [999, '999 Б'],
  ])('in Russian shows %d bytes as %s, with a decimal comma', (bytes, text) => {
    expect(formatSize(bytes, 'ru')).toBe(text);
  });
});
