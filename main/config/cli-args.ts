import { parseArgs } from 'node:util';
import type { Lang } from '../../common/lang';

export interface CliOptions {
  config?: string;
  dataDir?: string;
  lang?: Lang;
  port: number;
  open: boolean;
  /** Test-only (browser host): every "choose a folder" answers this directory. */
  saveDir?: string;
  /**
   * Test-only (desktop app, never in production): a JSON file that answers the native open,
   * save and folder dialogs instead of showing them (main/host/electron.ts reads it).
   */
  dialogAnswers?: string;
}

export class UsageError extends Error {}

/** The options shared by the desktop app and the browser host; unknown ones are refused. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        lang: { type: 'string' },
        port: { type: 'string', default: '0' },
        'no-open': { type: 'boolean', default: false },
        'save-dir': { type: 'string' },
        'dialog-answers': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port ${values.port}: expected a port number from 0 to 65535 (0 = any free port)`);
  }
  if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'ru') {
    throw new UsageError(`--lang ${values.lang}: expected "en" or "ru"`);
  }
  return {
    config: values.config ?? (env.POSTDESK_CONFIG || undefined),
    dataDir: values['data-dir'] ?? (env.POSTDESK_DATA_DIR || undefined),
    lang: values.lang,
    port,
    open: !values['no-open'],
    saveDir: values['save-dir'],
    dialogAnswers: values['dialog-answers'],
  };
}

/** "ru-RU", "ru_RU.UTF-8" → ru; anything else → en. */
export function langFromLocale(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}
