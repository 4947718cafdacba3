// What the desktop shell remembers of itself between runs: where the window was and the
// language the operator chose in the menu. A small JSON file in the data dir, read before the
// services open (the language is theirs from the start), so it cannot live in the SQLite store
// the services own. A missing, unreadable or hand-edited file means the defaults, never a failed start.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LANGS } from '../../common/lang';
import { writeAtomically } from '../files/atomic-write';
import type { Logger } from '../log/logger';

export const DESKTOP_PREFS_FILE = 'desktop.json';

const Bounds = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
});
export type Bounds = z.infer<typeof Bounds>;

const Prefs = z.object({
  language: z.enum(LANGS).optional(),
  window: Bounds.extend({ maximized: z.boolean() }).optional(),
});
export type DesktopPrefsData = z.infer<typeof Prefs>;

export class DesktopPrefs {
  private data: DesktopPrefsData;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    data: DesktopPrefsData,
    private readonly log: Pick<Logger, 'warn'>,
  ) {
    this.data = data;
  }

  /** Each part of the file is taken on its own: a bad window place does not lose the language. */
  static read(dataDir: string, log: Pick<Logger, 'warn'>): DesktopPrefs {
    const file = path.join(dataDir, DESKTOP_PREFS_FILE);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`${file} is not readable JSON; the window and language start as new`, error);
      return new DesktopPrefs(file, {}, log);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      log.warn(`${file} holds no settings object; the window and language start as new`);
      return new DesktopPrefs(file, {}, log);
    }
    const record = raw as Record<string, unknown>;
    const data: DesktopPrefsData = {};
    for (const key of ['language', 'window'] as const) {
      const part = Prefs.shape[key].safeParse(record[key]);
      if (part.success && part.data !== undefined) Object.assign(data, { [key]: part.data });
      else if (record[key] !== undefined) log.warn(`${file}: "${key}" is not understood and left out`);
    }
    return new DesktopPrefs(file, data, log);
  }

  get(): Readonly<DesktopPrefsData> {
    return this.data;
  }

  /** Changes and writes (temp then rename, one write at a time); a failed write is logged, the app goes on. */
  update(change: Partial<DesktopPrefsData>): Promise<void> {
    this.data = { ...this.data, ...change };
    const bytes = Buffer.from(`${JSON.stringify(this.data, null, 2)}\n`);
    this.writing = this.writing.then(async () => {
      try {
        await writeAtomically(this.file, bytes);
      } catch (error) {
        this.log.warn(`could not write ${this.file}`, error);
      }
    });
    return this.writing;
  }

  /** Resolves when every change so far is on disk (or has failed and been logged). */
  flushed(): Promise<void> {
    return this.writing;
  }
}
