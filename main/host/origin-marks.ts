// The origin mark of each platform on files saved from a client's mail (the OriginMarker port):
// - Windows: the Zone.Identifier alternate data stream with ZoneId=3 (Internet), as browsers and
//   Outlook write it; no ReferrerUrl/HostUrl, since a mail attachment has no URL to name.
// - macOS: the com.apple.quarantine extended attribute, "0081;<seconds, hex>;Postdesk;<UUID>"
//   (0081: quarantined, downloaded by an app), written with the system's own xattr tool.
// - Linux: user.xdg.origin.url (the freedesktop.org attribute file managers show as "Origin"),
//   set to a mailto: URL of the sender: the one URL that names where the file came from and that
//   every tool understands (a postdesk: URL would mean nothing outside this app). Node cannot set
//   an extended attribute itself and no installed package can, so this runs Debian's setfattr
//   (package attr) when it is there.
// Each writer swallows its failures (no tool, FAT or a network share, a special file): a mark is a
// help, the saved file is what matters.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { FileOrigin, OriginMarker } from './ports';

type Run = (command: string, args: string[]) => Promise<void>;
type Log = (message: string, error: unknown) => void;

const run: Run = (command, args) =>
  new Promise((resolve, reject) => execFile(command, args, { timeout: 10_000 }, (error) => (error ? reject(error) : resolve())));

const warn: Log = (message, error) => console.warn(`[postdesk] ${message}:`, error instanceof Error ? error.message : error);

export const ZONE_IDENTIFIER = '[ZoneTransfer]\r\nZoneId=3\r\n';

export function windowsMarker(deps: { write?: (file: string, data: string) => Promise<void>; log?: Log } = {}): OriginMarker {
  const write = deps.write ?? ((file, data) => writeFile(file, data));
  const log = deps.log ?? warn;
  return {
    async mark(file) {
      try {
        await write(`${file}:Zone.Identifier`, ZONE_IDENTIFIER);
      } catch (error) {
        log(`could not mark ${file} as downloaded (Zone.Identifier)`, error);
      }
    },
  };
}

/** The quarantine value macOS's own apps write: flags, time, agent, event id. */
export function quarantineValue(now: Date, id: string): string {
  return `0081;${Math.floor(now.getTime() / 1000).toString(16)};Postdesk;${id.toUpperCase()}`;
}

export function macMarker(deps: { run?: Run; now?: () => Date; uuid?: () => string; log?: Log } = {}): OriginMarker {
  const exec = deps.run ?? run;
  const log = deps.log ?? warn;
  return {
    async mark(file) {
      const value = quarantineValue(deps.now?.() ?? new Date(), deps.uuid?.() ?? randomUUID());
      try {
        await exec('/usr/bin/xattr', ['-w', 'com.apple.quarantine', value, file]);
      } catch (error) {
        log(`could not mark ${file} as downloaded (com.apple.quarantine)`, error);
      }
    },
  };
}

/** mailto: of the sender, with anything a URL may not carry percent-encoded; null without a sender. */
export function originUrl(origin: FileOrigin): string | null {
  if (!origin.sender) return null;
  return `mailto:${origin.sender.replace(/[^A-Za-z0-9@._+\-!$&'*=^`{|}~]/g, (c) => encodeURIComponent(c))}`;
}

export function linuxMarker(deps: { run?: Run; setfattr?: string; log?: Log } = {}): OriginMarker {
  const exec = deps.run ?? run;
  const log = deps.log ?? warn;
  const setfattr = deps.setfattr ?? 'setfattr';
  let missing = false;
  return {
    async mark(file, origin) {
      const url = originUrl(origin);
      if (!url || missing) return;
      try {
        // "--" so that a file name beginning with "-" is never read as an option.
        await exec(setfattr, ['-n', 'user.xdg.origin.url', '-v', url, '--', file]);
      } catch (error) {
        // Said once: without attr installed no file will be marked.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') missing = true;
        log(`could not mark ${file} with its origin (user.xdg.origin.url)`, error);
      }
    },
  };
}

/** The marker of the platform Postdesk runs on. */
export function originMarkerFor(platform: NodeJS.Platform = process.platform): OriginMarker {
  if (platform === 'win32') return windowsMarker();
  if (platform === 'darwin') return macMarker();
  return linuxMarker();
}
