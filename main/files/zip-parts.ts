// Reads the parts of a ZIP that a converter needs into memory, within limits that hold however
// the archive lies. The sizes its central directory declares are added up before a byte is
// inflated, and while inflating yauzl stops any entry that yields more than it declared
// (validateEntrySizes), so a zip bomb costs at most the limit, never the memory it would unpack to.
import yauzl from 'yauzl';

export interface ZipPartLimits<Budget extends string> {
  /** Entries in the archive's directory, read or not. */
  entries: number;
  /** Unpacked bytes each budget may hold. */
  bytes: Record<Budget, number>;
}

/** The archive asks for more than a limit allows. */
export class ZipTooLarge extends Error {
  constructor(readonly limit: string) {
    super(`The archive holds more than its limit for ${limit}.`);
    this.name = 'ZipTooLarge';
  }
}

/**
 * The entries `budgetOf` names a budget for, unpacked, by name; the others are never inflated.
 * Throws ZipTooLarge past a limit, and yauzl's own errors for a damaged archive or a part
 * whose name would climb out of it (`../`, an absolute path).
 */
export async function readZipParts<Budget extends string>(
  zip: Buffer,
  budgetOf: (name: string) => Budget | null,
  limits: ZipPartLimits<Budget>,
): Promise<Map<string, Buffer>> {
  const archive = await yauzl.fromBufferPromise(zip, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false });
  try {
    if (archive.entryCount > limits.entries) throw new ZipTooLarge('entries');
    const left = { ...limits.bytes };
    const parts = new Map<string, Buffer>();
    for await (const entry of archive.eachEntry()) {
      const budget = budgetOf(entry.fileName);
      if (budget === null || entry.fileName.endsWith('/')) continue;
      left[budget] -= entry.uncompressedSize;
      if (left[budget] < 0) throw new ZipTooLarge(budget);
      const chunks: Buffer[] = [];
      for await (const chunk of await archive.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      parts.set(entry.fileName, Buffer.concat(chunks));
    }
    return parts;
  } finally {
    archive.close();
  }
}
