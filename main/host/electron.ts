// Electron adapters for the host ports. With main/app/, the only place that imports electron.
import type { BrowserWindow } from 'electron';
import { app, dialog, shell } from 'electron';
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

export function electronDialogs(window: () => BrowserWindow | undefined): Dialogs {
  return {
    async openFiles(filters) {
      const options = { properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>, filters };
      const owner = window();
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
  };
}

export function electronSaveDialogs(window: () => BrowserWindow | undefined): SaveDialogs {
  return {
    async saveFile(defaultName) {
      const owner = window();
      const options = { defaultPath: defaultName };
      const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseFolder() {
      const owner = window();
      const options = { properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'> };
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
