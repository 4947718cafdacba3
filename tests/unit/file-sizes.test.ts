// A newcomer reads the house in ten minutes only if its rooms are small: a production file over
// 300 lines says at its top why it is one file.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['main', 'common', 'preload', 'renderer'];
const LIMIT = 300;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

describe('production files', () => {
  it(`are under ${LIMIT} lines or say at their top why not`, () => {
    const unexplained = ROOTS.flatMap(sources).filter((file) => {
      const lines = readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
      return lines.length > LIMIT && !lines.slice(0, 20).some((line) => line.includes(`Over ${LIMIT} lines`));
    });
    expect(unexplained).toEqual([]);
  });
});
