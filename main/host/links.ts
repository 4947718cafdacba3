// Links from mail the operator confirmed: the desktop app opens them in the system's program;
// the browser host has no shell (its page opens a tab itself).
import { AppError } from '../errors';
import type { Shell } from './ports';

export class Links {
  constructor(private readonly shell: Shell | undefined) {}

  async open(url: string): Promise<void> {
    if (!this.shell) throw new AppError('invalid_input', 'Here a link from a mail opens in a new tab of the browser.');
    await this.shell.openExternal(url);
  }
}
