// What `npm run dist` hands electron-builder: electron-builder.yml, except that the update server
// (its publish block) is dropped when the build's environment names none. electron-builder
// refuses to build with a ${env.…} it cannot expand (ERR_ELECTRON_BUILDER_ENV_NOT_DEFINED), and a
// developer's or a test build has no update server: its installers then carry no app-update.yml,
// so the installed app never checks (README, "Updates").
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const UPDATE_URL_VARIABLE = 'POSTDESK_UPDATE_URL';

/** electron-builder.yml as electron-builder should read it in an environment `env`. */
export function builderConfig(env = process.env) {
  const config = parse(readFileSync(new URL('./electron-builder.yml', import.meta.url), 'utf8'));
  if (env[UPDATE_URL_VARIABLE]?.trim()) return config;
  // null, not an empty list: electron-builder then writes no app-update.yml at all.
  return { ...config, publish: null };
}

const config = builderConfig();
if (config.publish === null) console.warn(`${UPDATE_URL_VARIABLE} is not set: these installers will not update themselves.`);
export default config;
