import { describe, expect, it } from 'vitest';
import { appMenuTemplate, type AppMenuOptions } from '../../main/app/menu';
import { stderrLogger } from '../../main/log/logger';
import { menuItem, rolesOf } from '../support/menu';

const chosen: string[] = [];
const options: AppMenuOptions = { lang: 'en', logDir: '/nonexistent/logs', log: stderrLogger, platform: 'linux', development: false, chooseLanguage: (lang) => chosen.push(lang) };

describe('the desktop app menu', () => {
  it('gives text fields their editing shortcuts on every platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const edit = menuItem(appMenuTemplate({ ...options, platform }), 'Edit');
      expect(rolesOf(edit), platform).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    }
  });

  it('offers reload and the developer tools only when run from the sources', () => {
    expect(rolesOf(menuItem(appMenuTemplate(options), 'View'))).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    expect(rolesOf(menuItem(appMenuTemplate({ ...options, development: true }), 'View'))).toEqual([
      'reload',
      'toggleDevTools',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
  });

  it('puts the application menu first on macOS, and Quit in File elsewhere', () => {
    const mac = appMenuTemplate({ ...options, platform: 'darwin' });
    expect(mac.map((item) => item.label)).toEqual(['Postdesk', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(rolesOf(mac[0]!)).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(menuItem(mac, 'Postdesk', 'Quit Postdesk').role).toBe('quit');
    expect(rolesOf(menuItem(mac, 'File'))).toEqual(['close']);

    const linux = appMenuTemplate(options);
    expect(linux.map((item) => item.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(rolesOf(menuItem(linux, 'File'))).toEqual(['quit']);
    expect(rolesOf(menuItem(linux, 'Window'))).toEqual(['minimize', 'close']);
  });

  it('has a Russian label for every item', () => {
    const labels = (items: readonly { label?: string; type?: string; submenu?: unknown }[]): string[] =>
      items.flatMap((item) => [...(item.type === 'separator' ? [] : [item.label ?? '']), ...(Array.isArray(item.submenu) ? labels(item.submenu) : [])]);
    const ru = labels(appMenuTemplate({ ...options, lang: 'ru', platform: 'darwin', development: true }));
    // The app's name, and English named as itself in the language list.
    expect(ru.filter((label) => !/[а-яё]/i.test(label))).toEqual(['Postdesk', 'English']);
    expect(ru).toContain('Выйти из Postdesk');
  });

  it('offers each language by its own name under View → Language, the current one checked', () => {
    for (const lang of ['en', 'ru'] as const) {
      const view = lang === 'en' ? 'View' : 'Вид';
      const language = menuItem(appMenuTemplate({ ...options, lang }), view, lang === 'en' ? 'Language' : 'Язык');
      const items = language.submenu as Array<{ label: string; type: string; checked: boolean; click: () => void }>;
      expect(items.map(({ label, type, checked }) => ({ label, type, checked }))).toEqual([
        { label: 'English', type: 'radio', checked: lang === 'en' },
        { label: 'Русский', type: 'radio', checked: lang === 'ru' },
      ]);
    }
    chosen.length = 0;
    (menuItem(appMenuTemplate(options), 'View', 'Language', 'Русский') as { click: () => void }).click();
    expect(chosen).toEqual(['ru']);
  });
});
