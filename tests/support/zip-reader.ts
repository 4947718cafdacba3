// Reads a ZIP back the way an independent program would, to check what we wrote.
import { execFileSync } from 'node:child_process';
import yauzl from 'yauzl';

export interface ZipEntry {
  name: string;
  bytes: Buffer;
  /** General purpose bit 11: names are UTF-8. */
  utf8Flag: boolean;
  /** 0 stored, 8 deflated. */
  method: number;
}

export function readZip(file: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, decodeStrings: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries: ZipEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.push({
              name: entry.fileName,
              bytes: Buffer.concat(chunks),
              utf8Flag: (entry.generalPurposeBitFlag & 0x800) !== 0,
              method: entry.compressionMethod,
            });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** The names Info-ZIP's `unzip -l` lists (UTF-8 output). */
export function unzipList(file: string): string[] {
  const out = execFileSync('unzip', ['-l', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith('---------')) + 1;
  const end = lines.findIndex((l, i) => i >= start && l.startsWith('---------'));
  return lines.slice(start, end).map((l) => l.trim().split(/\s+/).slice(3).join(' '));
}
