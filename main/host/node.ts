import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Paths } from './ports';

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

/** The platform's opener command line for a URL or a file (its default program opens it). */
export function openerCommand(target: string, platform = process.platform): [string, string[]] {
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', target]];
  return [platform === 'darwin' ? 'open' : 'xdg-open', [target]];
}

/** Hands `target` to the platform's opener and does not wait for it. */
export function openWithSystem(target: string): void {
  const [command, args] = openerCommand(target);
  spawn(command, args, { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
}
