// The desktop app's menu, in the operator's language. Without one Electron shows its default
// menu: English whatever the language, and Reload and the developer tools in the shipped app too.
import type { MenuItemConstructorOptions } from 'electron';
import { app, Menu } from 'electron';
import { translator, type MessageKey } from '../../common/i18n';
import { LANGS, type Lang } from '../../common/lang';
import type { Logger } from '../log/logger';
import { openLogFolder } from './log-folder';

type Role = NonNullable<MenuItemConstructorOptions['role']>;

export interface AppMenuOptions {
  lang: Lang;
  /** The folder of main's log (services.log.dir). */
  logDir: string;
  log: Logger;
  /** macOS puts an application menu first, with Services, Hide and Quit. */
  platform: NodeJS.Platform;
  /** Reload and the developer tools are for running from the sources (npm start), not for operators. */
  development: boolean;
  /** The operator picked a language in View → Language (the current one included). */
  chooseLanguage: (lang: Lang) => void;
  /** Help → Check for updates… (main/app/updates.ts); without it the item is not shown. */
  checkForUpdates?: () => void;
}

/** Each language by its own name: an operator who cannot read the current one still finds theirs. */
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', ru: 'Русский' };

export function installAppMenu(options: Omit<AppMenuOptions, 'platform' | 'development'>): void {
  const template = appMenuTemplate({ ...options, platform: process.platform, development: !app.isPackaged });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

export function appMenuTemplate({ lang, logDir, log, platform, development, chooseLanguage, checkForUpdates }: AppMenuOptions): MenuItemConstructorOptions[] {
  const t = translator(lang);
  const name = t('app.title');
  // A role brings the platform's own action and shortcut (the Edit roles are what make Cmd+C
  // work in text fields on macOS); only the label is ours.
  const role = (role: Role, key: MessageKey): MenuItemConstructorOptions => ({ role, label: t(key, { name }) });
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const mac = platform === 'darwin';
  const appMenu: MenuItemConstructorOptions = {
    label: name,
    submenu: [
      role('about', 'menu.about'),
      separator,
      role('services', 'menu.services'),
      separator,
      role('hide', 'menu.hide'),
      role('hideOthers', 'menu.hideOthers'),
      role('unhide', 'menu.showAll'),
      separator,
      role('quit', 'menu.quit'),
    ],
  };
  return [
    ...(mac ? [appMenu] : []),
    { label: t('menu.file'), submenu: [mac ? role('close', 'menu.close') : role('quit', 'menu.quit')] },
    {
      label: t('menu.edit'),
      submenu: [
        role('undo', 'menu.undo'),
        role('redo', 'menu.redo'),
        separator,
        role('cut', 'menu.cut'),
        role('copy', 'menu.copy'),
        role('paste', 'menu.paste'),
        role('selectAll', 'menu.selectAll'),
      ],
    },
    {
      label: t('menu.view'),
      submenu: [
        ...(development ? [role('reload', 'menu.reload'), role('toggleDevTools', 'menu.devTools'), separator] : []),
        role('resetZoom', 'menu.actualSize'),
        role('zoomIn', 'menu.zoomIn'),
        role('zoomOut', 'menu.zoomOut'),
        separator,
        role('togglefullscreen', 'menu.fullScreen'),
        separator,
        {
          label: t('menu.language'),
          submenu: LANGS.map((each) => ({ label: LANGUAGE_NAMES[each], type: 'radio', checked: each === lang, click: () => chooseLanguage(each) })),
        },
      ],
    },
    // On macOS Close window is in File already, under the same Cmd+W.
    { label: t('menu.window'), role: 'window', submenu: [role('minimize', 'menu.minimize'), ...(mac ? [] : [role('close', 'menu.close')])] },
    {
      label: t('menu.help'),
      role: 'help',
      submenu: [
        { label: t('menu.openLogFolder'), click: () => void openLogFolder(logDir, t, log) },
        ...(checkForUpdates ? [{ label: t('menu.checkForUpdates'), click: checkForUpdates }] : []),
      ],
    },
  ];
}
