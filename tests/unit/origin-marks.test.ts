// The origin mark of each platform (issue 10, item 7), all three tested here under Linux: the
// Windows writer against the exact bytes and path it writes, the macOS one against the exact
// attribute value, the Linux one against a real file's extended attribute (getfattr).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linuxMarker, macMarker, originMarkerFor, originUrl, quarantineValue, windowsMarker } from '../../main/host/origin-marks';
import { tempDir } from '../support/temp-dir';
import { originOf } from '../support/xattr';

const tmp = tempDir('postdesk-marks-');
afterAll(() => tmp.cleanup());

describe('Windows: the Zone.Identifier stream', () => {
  it('writes exactly [ZoneTransfer] ZoneId=3 with CRLF into file:Zone.Identifier', async () => {
    const written: Array<[string, Buffer]> = [];
    const marker = windowsMarker({ write: async (file, data) => void written.push([file, Buffer.from(data, 'utf8')]) });
    await marker.mark('C:\\Users\\anna\\Downloads\\Счёт №7.pdf', { sender: 'client@example.test' });
    expect(written).toEqual([['C:\\Users\\anna\\Downloads\\Счёт №7.pdf:Zone.Identifier', Buffer.from('5b5a6f6e655472616e736665725d0d0a5a6f6e6549643d330d0a', 'hex')]]);
  });

  it('leaves a file on a volume without streams (FAT, a share) as it is', async () => {
    const logged: string[] = [];
    const marker = windowsMarker({
      write: async () => {
        throw Object.assign(new Error('EINVAL: invalid argument'), { code: 'EINVAL' });
      },
      log: (message) => logged.push(message),
    });
    await expect(marker.mark('E:\\scan.pdf', { sender: null })).resolves.toBeUndefined();
    expect(logged).toEqual(['could not mark E:\\scan.pdf as downloaded (Zone.Identifier)']);
  });
});

describe('macOS: the com.apple.quarantine attribute', () => {
  // 2026-12-01T09:30:00Z is 1796117400 s after the epoch, 0x6b0e9398.
  it('writes 0081;<seconds in hex>;Postdesk;<UUID> with the system xattr tool', async () => {
    const calls: Array<[string, string[]]> = [];
    const marker = macMarker({
      run: async (command, args) => void calls.push([command, args]),
      now: () => new Date('2026-12-01T09:30:00Z'),
      uuid: () => '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    });
    await marker.mark('/Users/anna/Downloads/scan.pdf', { sender: 'client@example.test' });
    expect(calls).toEqual([
      ['/usr/bin/xattr', ['-w', 'com.apple.quarantine', '0081;6b0e9398;Postdesk;6F1C2A7E-3B4D-4E5F-8A9B-0C1D2E3F4A5B', '/Users/anna/Downloads/scan.pdf']],
    ]);
    expect(quarantineValue(new Date(0), 'a')).toBe('0081;0;Postdesk;A');
  });
});

// These mark real files with attr's setfattr and read them back with getfattr: Linux only (the
// desktop workflow runs the unit tests on Windows and macOS too, where they are skipped).
const LINUX = process.platform === 'linux';

describe.runIf(LINUX)('Linux: user.xdg.origin.url', () => {
  it('sets mailto: of the sender on a real file of this file system', async () => {
    const file = path.join(tmp.dir, 'Счёт №7.pdf');
    writeFileSync(file, '%PDF-1.4');
    await linuxMarker().mark(file, { sender: 'client@example.test' });
    expect(originOf(file)).toBe('mailto:client@example.test');
    expect(readFileSync(file, 'utf8')).toBe('%PDF-1.4');
  });

  it('reads a file name that begins with a dash as a name', async () => {
    const file = path.join(tmp.dir, '-n evil');
    writeFileSync(file, 'x');
    await linuxMarker().mark(file, { sender: 'client@example.test' });
    expect(originOf(file)).toBe('mailto:client@example.test');
  });

  it('percent-encodes what a URL may not carry, and marks nothing without a sender', () => {
    expect(originUrl({ sender: 'ivan petrov@example.test' })).toBe('mailto:ivan%20petrov@example.test');
    expect(originUrl({ sender: 'a@b.test\n-x' })).toBe('mailto:a@b.test%0A-x');
    expect(originUrl({ sender: null })).toBeNull();
  });

  it('never fails the save: no setfattr, or a file that cannot carry attributes', async () => {
    const file = path.join(tmp.dir, 'plain.pdf');
    writeFileSync(file, 'x');
    const logged: string[] = [];
    const missing = linuxMarker({ setfattr: '/nonexistent/setfattr', log: (message) => logged.push(message) });
    await expect(missing.mark(file, { sender: 'client@example.test' })).resolves.toBeUndefined();
    // Said once: later saves do not try (or complain) again.
    await missing.mark(file, { sender: 'client@example.test' });
    expect(logged).toEqual([`could not mark ${file} with its origin (user.xdg.origin.url)`]);
    expect(originOf(file)).toBeNull();

    // user.* attributes are refused on special files (EPERM), as on file systems without them.
    const fifo = path.join(tmp.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(linuxMarker({ log: () => undefined }).mark(fifo, { sender: 'client@example.test' })).resolves.toBeUndefined();
  });
});

it.runIf(LINUX)('picks the writer by platform', async () => {
  // The Linux one is the one that marks a real file here; the others would write a stream or run xattr.
  const file = path.join(tmp.dir, 'picked.pdf');
  writeFileSync(file, 'x');
  await originMarkerFor('linux').mark(file, { sender: 'client@example.test' });
  expect(originOf(file)).toBe('mailto:client@example.test');
  await originMarkerFor('win32').mark(file, { sender: 'client@example.test' });
  // On Linux "file:Zone.Identifier" is an ordinary file beside it: what Windows keeps as a stream.
  expect(readFileSync(`${file}:Zone.Identifier`, 'utf8')).toBe('[ZoneTransfer]\r\nZoneId=3\r\n');
});
