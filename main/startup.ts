import type { Lang } from '../common/lang';
import type { CliOptions } from './config/cli-args';
import { langFromLocale } from './config/cli-args';
import { loadConfig } from './config/load';
import type { Config } from './config/schema';
import type { Paths } from './host/ports';

export interface Startup {
  config: Config;
  configSource: string;
  dataDir: string;
  lang: Lang;
}

/**
 * What both the desktop app and the browser host settle before anything touches the disk:
 * a refused config throws ConfigError here, and so nothing is written to the data directory.
 */
export function resolveStartup(options: CliOptions, paths: Paths, osLocale: string | undefined): Startup {
  const { config, source } = loadConfig(options.config);
  return {
    config,
    configSource: source,
    dataDir: options.dataDir ?? paths.userData(),
    lang: options.lang ?? langFromLocale(osLocale),
  };
}
