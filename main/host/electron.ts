// Electron adapters for the host ports. With main/app/, the only place that imports electron.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { app, dialog, shell } from 'electron';
import { UsageError } from '../config/cli-args';
import { isVettedLink } from './external-url';
import type { Dialogs, Paths, SaveDialogs, Shell } from './ports';

export const electronPaths: Paths = {
  userData: () => app.getPath('userData'),
};

export const electronShell: Shell = {
  async openExternal(url) {
    if (!isVettedLink(url)) throw new Error(`refusing to open ${url}`);
    await shell.openExternal(url);
  },
};

/**
 * Test-only (--dialog-answers FILE, README: Test-only switches): what the native dialogs
 * answer in end-to-end tests, read from FILE at each dialog, so a test can change it between
 * two picks. A missing key is a cancelled dialog. Never set in production: only the command
 * line sets it (nothing the page sends reaches it), and a packaged app refuses it at start.
 */
export interface DialogAnswers {
  /** The files the open dialog answers. */
  open?: string[];
  /** The folder the folder picker answers. */
  folder?: string;
  /** The file the Save dialog answers. */
  save?: string;
  /** A folder the Save dialog answers in: the file is the name it proposed, in that folder. */
  saveInto?: string;
}

/** The answers file, checked at start: refused in a packaged app, whose dialogs are always the operator's. */
export function testDialogAnswers(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  if (app.isPackaged) throw new UsageError('--dialog-answers is for end-to-end tests of the unpackaged app; a packaged Postdesk always asks the operator');
  return path.resolve(file);
}

function readAnswers(file: string): DialogAnswers {
  let answers: unknown;
  try {
    answers = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`--dialog-answers ${file}: ${(error as Error).message}`);
  }
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) throw new Error(`--dialog-answers ${file}: expected a JSON object`);
  return answers as DialogAnswers;
}

export function electronDialogs(window: () => BrowserWindow | undefined, answersFile?: string): Dialogs {
  return {
    async openFiles(filters) {
      if (answersFile) return readAnswers(answersFile).open ?? [];
      const options = { properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>, filters };
      const owner = window();
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
  };
}

export function electronSaveDialogs(window: () => BrowserWindow | undefined, answersFile?: string): SaveDialogs {
  return {
    async saveFile(defaultName) {
      if (answersFile) {
        const { save, saveInto } = readAnswers(answersFile);
        return save ?? (saveInto === undefined ? null : path.join(saveInto, defaultName));
      }
      const owner = window();
      const options = { defaultPath: defaultName };
      const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseFolder() {
      if (answersFile) return readAnswers(answersFile).folder ?? null;
      const owner = window();
      const options = { properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'> };
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
