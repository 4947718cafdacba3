// What `npm run dist` hands electron-builder: electron-builder.yml, except that the update server
// (its publish block) is dropped when the build's environment names none. electron-builder
// refuses to build with a ${env.…} it cannot expand (ERR_ELECTRON_BUILDER_ENV_NOT_DEFINED), and a
// developer's or a test build has no update server: its installers then carry no app-update.yml,
// so the installed app never checks (README, "Updates").
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const UPDATE_URL_VARIABLE = 'POSTDESK_UPDATE_URL';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** electron-builder.yml as electron-builder should read it in an environment `env`. */
export function builderConfig(env = process.env) {
  const config = parse(readFileSync(new URL('./electron-builder.yml', import.meta.url), 'utf8'));
  const url = env[UPDATE_URL_VARIABLE]?.trim();
  // null, not an empty list: electron-builder then writes no app-update.yml at all.
  if (!url) return { ...config, publish: null };
  checkUpdateUrl(url);
  return config;
}

/**
 * The checksums come from the same server as the installers, so only TLS keeps a network in
 * between from handing every desk a program of its choosing: https, or http to this machine (tests).
 */
function checkUpdateUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${UPDATE_URL_VARIABLE} = "${url}": expected the update server's address, such as https://updates.example.com/postdesk/`);
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname))) return;
  throw new Error(`${UPDATE_URL_VARIABLE} = "${url}": expected an https:// address (http:// only for localhost), as installers are downloaded from it`);
}

const config = builderConfig();
if (config.publish === null) console.warn(`${UPDATE_URL_VARIABLE} is not set: these installers will not update themselves.`);
export default config;
