// Help → Open log folder: the operator hands the log to support when a failure quoted "the
// details are in its log (reference …)". Whatever stops the folder from opening is shown and
// logged, never dropped: a menu item that silently does nothing sends the operator nowhere.
import { mkdir } from 'node:fs/promises';
import { dialog, shell } from 'electron';
import type { Translate } from '../../common/i18n';
import type { Logger } from '../log/logger';

export async function openLogFolder(dir: string, t: Translate, log: Logger): Promise<void> {
  const problem = await tryOpen(dir);
  if (problem === undefined) return;
  log.warn(`opening the log folder ${dir} failed`, problem);
  const reason = problem instanceof Error ? problem.message : String(problem);
  // The path too: the operator can still find the folder by hand.
  dialog.showErrorBox(t('menu.openLogFolderFailed'), `${dir}\n\n${reason}`);
}

/** What stopped the folder from opening, or undefined once it opened. */
async function tryOpen(dir: string): Promise<unknown> {
  try {
    // The operator may have deleted the folder; the log file itself comes back at the next start.
    await mkdir(dir, { recursive: true });
    // The platform's error message, or '' when the folder opened.
    const answer = await shell.openPath(dir);
    return answer || undefined;
  } catch (error) {
    return error;
  }
}
