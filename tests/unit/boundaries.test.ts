import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

// ESLint loads the TypeScript resolver on first use: seconds on a busy machine.
describe('lint keeps the layers apart', { timeout: 30_000 }, () => {
  it('refuses an electron import in a service', async () => {
    const messages = await lint('main/store/sneaky.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(messages.join('\n')).toMatch(/only main\/app\/ and main\/host\/electron\.ts may import electron/);
  });

  it('refuses electron-updater in a service or a transport: it runs only inside Electron', async () => {
    for (const file of ['main/mail/sneaky.ts', 'main/web/sneaky.ts']) {
      const messages = await lint(file, "import electronUpdater from 'electron-updater';\nexport const x = electronUpdater;\n");
      expect(messages.join('\n'), file).toMatch(/electron-updater runs only inside Electron/);
    }
    expect(await lint('main/app/x.ts', "import electronUpdater from 'electron-updater';\nexport const x = electronUpdater;\n")).toEqual([]);
  });

  it('allows a type-only electron import in a service, and electron in main/app and the host adapter', async () => {
    expect(await lint('main/store/typed.ts', "import type { App } from 'electron';\nexport type X = App;\n")).toEqual([]);
    expect(await lint('main/app/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
    expect(await lint('main/host/electron.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
  });

  it.each([
    ["import fs from 'node:fs';", /runs in a page/],
    ["import { readFileSync } from 'fs';", /runs in a page/],
    ["import Database from 'better-sqlite3';", /runs in a page/],
    ["import { ipcRenderer } from 'electron';", /runs in a page/],
    ["import { openServices } from '../main/services';", /may not import main-process code/],
  ])('refuses %s in the renderer', async (line, message) => {
    const messages = await lint('renderer/components/Sneaky.tsx', `${line}\nexport const y = 1;\n`);
    expect(messages.join('\n')).toMatch(message);
  });

  it.each([
    ["import type { Lang } from '../preload/contract';", 'common/sneaky.ts', /common\/ imports nothing above it/],
    ["import { requests } from '../../preload/contract';", 'common/i18n/sneaky.ts', /common\/ imports nothing above it/],
    ["import { openServices } from '../main/services';", 'common/sneaky.ts', /Shared code depends on neither side/],
  ])('refuses %s in common/, the ground floor', async (line, file, message) => {
    const messages = await lint(file, `${line}\nexport const z = 1;\n`);
    expect(messages.join('\n')).toMatch(message);
  });

  it('refuses the contract in a service or a repository, and allows it in the transports', async () => {
    const wire = "import type { MessageView } from '../../preload/contract';\nexport type M = MessageView;\n";
    expect((await lint('main/store/sneaky.ts', wire)).join('\n')).toMatch(/Services and repositories speak the domain/);
    expect((await lint('main/mail/sneaky.ts', wire)).join('\n')).toMatch(/Services and repositories speak the domain/);
    expect(await lint('main/ipc/handlers.ts', wire)).toEqual([]);
    expect(await lint('main/web/sneaky.ts', wire)).toEqual([]);
  });

  it('refuses an import cycle', async () => {
    // common/attachment-policy.ts imports ./size: size importing the policy back closes a cycle.
    const messages = await lint('common/size.ts', "import { checkFile } from './attachment-policy';\nexport const s = checkFile;\n");
    expect(messages.join('\n')).toMatch(/import-x\/no-cycle: Dependency cycle/);
    expect(await lint('common/size.ts', "import { LANGS } from './lang';\nexport const s = LANGS;\n")).toEqual([]);
  });

  it('lets the contract build on common/', async () => {
    expect(await lint('preload/contract.ts', "import { LANGS } from '../common/lang';\nexport const l = LANGS;\n")).toEqual([]);
  });

  it('refuses Node modules in the shared contract', async () => {
    const messages = await lint('preload/contract.ts', "import path from 'node:path';\nexport const p = path;\n");
    expect(messages).toHaveLength(1);
  });
});
