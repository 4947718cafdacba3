// The fast path (main/mail/parse-fast.ts) hands mailparser a skeleton of the message and relies
// on mailparser reading it as it reads the whole message; tests/integration/parse-fast.test.ts
// and parse-corpus.test.ts prove that for one mailparser. So mailparser is pinned to that exact
// version, and the one installed must be it: a new version is taken by changing the pin and
// running those tests again, never by a range that npm resolves on its own.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { version: string; dependencies: Record<string, string> };

describe('mailparser, which the fast path relies on', () => {
  it('is pinned to one exact version, and that version is installed', () => {
    const pinned = json('package.json').dependencies['mailparser'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(json('node_modules/mailparser/package.json').version).toBe(pinned);
  });
});
