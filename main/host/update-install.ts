// Restart to update: the desktop app installs the update it downloaded (main/app/updates.ts).
// The browser host has nothing to install: it never tells its page of an update, and the
// request, if sent anyway, says why it does nothing.
import { AppError } from '../errors';
import type { AppUpdater } from './ports';

export class UpdateInstall {
  constructor(private readonly updater: AppUpdater | undefined) {}

  restart(): void {
    if (!this.updater) throw new AppError('unsupported', 'Postdesk updates itself only as the desktop app; the browser host has nothing to install.');
    this.updater.restartToUpdate();
  }
}
