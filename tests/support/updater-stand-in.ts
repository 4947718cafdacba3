// A stand-in for electron-updater's autoUpdater (main/app/updates.ts's Updater: autoDownload,
// logger, on, checkForUpdates, quitAndInstall), for the tests of the Updates use case. It emits
// the events electron-updater emits, in its order; what a check finds is the test's to say, and a
// found update downloads only when the test says so. The real autoUpdater against a real feed is
// tested in tests/unit/updates-feed.test.ts.
import { EventEmitter } from 'node:events';
import type { Updater } from '../../main/app/updates';

export class UpdaterStandIn extends EventEmitter implements Updater {
  autoDownload = false;
  logger: Updater['logger'] = null;
  checks = 0;
  installs = 0;
  /** What the next check finds: a newer version (downloaded in the background), nothing, or a failure. */
  finds: { version: string } | 'nothing' | Error = 'nothing';
  private download: { resolve(): void; reject(error: Error): void } | undefined;

  async checkForUpdates(): Promise<{ downloadPromise: Promise<unknown> | null }> {
    this.checks++;
    this.emit('checking-for-update');
    await Promise.resolve();
    const finds = this.finds;
    if (finds instanceof Error) {
      this.emit('error', finds);
      throw finds;
    }
    if (finds === 'nothing') {
      this.emit('update-not-available', { version: '0.1.0' });
      return { downloadPromise: null };
    }
    this.emit('update-available', finds);
    const downloadPromise = new Promise<void>((resolve, reject) => (this.download = { resolve, reject }));
    return { downloadPromise };
  }

  /** The background download got this far. */
  progress(percent: number): void {
    this.emit('download-progress', { percent, bytesPerSecond: 1000, total: 100, transferred: percent });
  }

  /** The background download is complete and verified. */
  downloaded(): void {
    const version = this.finds instanceof Error || this.finds === 'nothing' ? '?' : this.finds.version;
    this.emit('update-downloaded', { version, downloadedFile: `/tmp/postdesk-${version}.AppImage` });
    this.download?.resolve();
  }

  /** The background download failed (electron-updater emits 'error' and rejects its promise). */
  downloadFailed(error: Error): void {
    this.emit('error', error);
    this.download?.reject(error);
  }

  quitAndInstall(): void {
    this.installs++;
  }
}
