// View → Language. The language is the services' from their start (mail they write, errors they
// word), so a change takes effect at a restart: the choice is kept in desktop.json at once, and
// the operator restarts now or later. Drafts and the outbox are on disk, so a restart loses nothing.
import type { BrowserWindow } from 'electron';
import { app, dialog } from 'electron';
import { translator } from '../../common/i18n';
import type { Lang } from '../../common/lang';
import type { DesktopPrefs } from './desktop-prefs';
import { LANGUAGE_NAMES } from './menu';

/** --lang on the command line, else the operator's choice in the menu, else the system's. */
export function startupLanguage(flag: Lang | undefined, chosen: Lang | undefined, system: Lang): Lang {
  return flag ?? chosen ?? system;
}

/** The arguments to start again with: without --lang, which would overrule the choice just made. */
export function argsWithoutLang(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--lang') i++;
    else if (!args[i]!.startsWith('--lang=')) kept.push(args[i]!);
  }
  return kept;
}

export async function switchLanguage(to: Lang, current: Lang, prefs: DesktopPrefs, owner: BrowserWindow): Promise<void> {
  await prefs.update({ language: to });
  if (to === current) return;
  const t = translator(current);
  const { response } = await dialog.showMessageBox(owner, {
    type: 'question',
    message: t('menu.languageRestart', { language: LANGUAGE_NAMES[to] }),
    buttons: [t('menu.restartNow'), t('menu.restartLater')],
    defaultId: 0,
    cancelId: 1,
  });
  if (response !== 0) return;
  app.relaunch({ args: argsWithoutLang(process.argv.slice(1)) });
  // Through before-quit (quit.ts): a send in progress finishes first.
  app.quit();
}
