import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { isLoopbackHttp, isVettedLink } from './external-url';
import type { Paths, Shell } from './ports';

const APP_DIR = 'Postdesk';

/** The same folder Electron's app.getPath('userData') gives for our product name. */
export function nodePaths(env: NodeJS.ProcessEnv = process.env, platform = process.platform): Paths {
  return {
    userData() {
      if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), APP_DIR);
      if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', APP_DIR);
      return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), APP_DIR);
    },
  };
}

export const nodeShell: Shell = {
  async openExternal(url) {
    if (!isVettedLink(url) && !isLoopbackHttp(url)) throw new Error(`refusing to open ${url}`);
    const [command, args] =
      process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : [process.platform === 'darwin' ? 'open' : 'xdg-open', [url]];
    spawn(command, args as string[], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
  },
};
