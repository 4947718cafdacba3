// The installers name their update server only when the build's environment gives one, read
// through electron-builder's own loader and publish code (app-builder-lib), as `npm run dist` does.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getAppUpdatePublishConfiguration } from 'app-builder-lib/out/publish/PublishManager';
import { getConfig } from 'app-builder-lib/out/util/config/config';
import { expandMacro } from 'app-builder-lib/out/util/macroExpander';
import { Arch, Platform, type Configuration } from 'electron-builder';
import { describe, expect, it, vi } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const URL_VARIABLE = 'POSTDESK_UPDATE_URL';

async function builderConfig(env: Record<string, string | undefined>): Promise<Configuration> {
  // A file URL, as electron-builder imports it (the file is plain JavaScript, untyped).
  const module = (await import(pathToFileURL(path.join(ROOT, 'electron-builder.config.js')).href)) as {
    builderConfig(env: Record<string, string | undefined>): Configuration;
  };
  return module.builderConfig(env);
}

/** What electron-builder writes into a Linux build's resources/app-update.yml (null: no file). */
function appUpdateYml(config: Configuration) {
  const appInfo = { channel: null, updaterCacheDirName: 'postdesk-updater', version: '0.1.0', productName: 'Postdesk', sanitizedProductName: 'Postdesk' };
  const packager = {
    platform: Platform.LINUX,
    platformSpecificBuildOptions: config.linux,
    config,
    appInfo,
    info: { config, appInfo, repositoryInfo: Promise.resolve(null) },
    expandMacro: (pattern: string, arch: string | null) => expandMacro(pattern, arch, appInfo as never),
  };
  return getAppUpdatePublishConfiguration(packager as unknown as Parameters<typeof getAppUpdatePublishConfiguration>[0], null, Arch.x64, false);
}

describe('the update server of the installers (electron-builder.yml through electron-builder.config.js)', () => {
  it('is the generic server the build environment names, written into app-update.yml', async () => {
    const config = await builderConfig({ [URL_VARIABLE]: 'https://updates.example.com/postdesk' });
    expect(config.publish).toEqual([{ provider: 'generic', url: `\${env.${URL_VARIABLE}}` }]);
    vi.stubEnv(URL_VARIABLE, 'https://updates.example.com/postdesk');
    try {
      expect(await appUpdateYml(config)).toEqual({
        provider: 'generic',
        url: 'https://updates.example.com/postdesk',
        updaterCacheDirName: 'postdesk-updater',
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('is left out without one, so that a build without an update server still builds, and never checks', async () => {
    vi.stubEnv(URL_VARIABLE, undefined);
    try {
      const config = await builderConfig({});
      expect(config.publish).toBeNull();
      expect(await appUpdateYml(config)).toBeNull();
      // What electron-builder.yml alone would do: refuse to build.
      const raw = await builderConfig({ [URL_VARIABLE]: 'https://updates.example.com/postdesk/' });
      await expect(appUpdateYml(raw)).rejects.toMatchObject({ code: 'ERR_ELECTRON_BUILDER_ENV_NOT_DEFINED' });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('must be https (or http to this machine): the checksums come from the same server as the installers', async () => {
    for (const url of ['http://updates.example.com/postdesk/', 'ftp://updates.example.com/', 'updates.example.com']) {
      await expect(builderConfig({ [URL_VARIABLE]: url }), url).rejects.toThrow(`${URL_VARIABLE} = "${url}": expected`);
    }
    for (const url of ['https://updates.example.com/postdesk/', 'http://127.0.0.1:8080/', 'http://localhost/feed/']) {
      expect((await builderConfig({ [URL_VARIABLE]: url })).publish, url).toHaveLength(1);
    }
  });

  it('is how electron-builder itself reads the file npm run dist names', async () => {
    const config = await getConfig(ROOT, 'electron-builder.config.js', null);
    expect(config.appId).toBe('app.postdesk.desktop');
    // Whichever the environment of this run, the block is there exactly when the URL is.
    expect(config.publish === null).toBe(!process.env[URL_VARIABLE]?.trim());
  });
});
