// archiver 8 is ESM-only and ships no types; @types/archiver describes the older factory API
// (`archiver('zip')`). This declares only the part of the class API that Postdesk uses.
declare module 'archiver' {
  import type { Transform } from 'node:stream';
  import type { ZlibOptions } from 'node:zlib';

  export interface ZipArchiveOptions {
    /** Passed to zlib for deflated entries; archiver's own default is level 1. */
    zlib?: ZlibOptions;
    /** DOS times in local time, as unzip tools read them; the default writes UTC there. */
    forceLocalTime?: boolean;
    forceZip64?: boolean;
    /** STORE every entry unless an entry says otherwise. */
    store?: boolean;
    comment?: string;
    highWaterMark?: number;
  }

  export interface ZipEntryData {
    name: string;
    date?: Date | string;
    mode?: number;
    /** STORE this entry (no compression) instead of deflating it. */
    store?: boolean;
    comment?: string;
  }

  /** Emitted as 'entry' once an entry's bytes are all in the archive. */
  export interface EntryData extends ZipEntryData {
    sourceType: 'buffer' | 'stream';
  }

  export class ZipArchive extends Transform {
    constructor(options?: ZipArchiveOptions);
    append(source: NodeJS.ReadableStream | Buffer | string, data: ZipEntryData): this;
    /** Resolves when the archive's last byte has been produced (not when it has been written out). */
    finalize(): Promise<void>;
    abort(): this;
    /** Bytes of archive produced so far. */
    pointer(): number;
  }
}
