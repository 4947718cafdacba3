// File names from outside, in one place: a name read from mail becomes the name we store and
// show (storedName), and a name we write on the operator's disk, on Windows, macOS or Linux
// (diskName). Neither may carry a path, a control character, or a bidi override that makes
// "evil\u202Efdp.exe" look like "evilexe.pdf"; a name on disk must also not climb out of the
// chosen folder, hit a Windows device, or be refused by a file system.

/** Room for the folder path on Windows (MAX_PATH 260) and under NAME_MAX 255 bytes everywhere. */
const MAX_BYTES = 200;
/** A stored name: what the history shows in full. */
const MAX_STORED_CHARACTERS = 200;
const MAX_STORED_EXTENSION = 16;
/** Longer "extensions" are just dots inside a name; they are not worth keeping over the stem. */
const MAX_EXTENSION_BYTES = 20;

const RESERVED_CHARACTERS = /[:*?"<>|]/g;
// Windows opens a device for these names whatever the extension (`con.txt`, `nul.tar.gz`), and
// also for a stem followed by spaces; the superscript digits are devices too.
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])\s*(?:\..*)?$/i;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Control characters (C0 with NUL, DEL, C1) and the marks, embeddings, overrides and isolates that reorder how a name is displayed. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A name read from mail as we store and show it: no directory part (either separator, or a
 * drive letter), no control or bidi characters, no surrounding blanks, at most 200 characters
 * (cut in the stem, so the extension survives). '' when nothing usable is left.
 */
export function storedName(name: string): string {
  let safe = name.normalize('NFC').replace(INVISIBLE, '');
  safe = safe.slice(Math.max(safe.lastIndexOf('/'), safe.lastIndexOf('\\')) + 1);
  safe = safe.replace(/^[a-zA-Z]:/, '').trim();
  if (safe === '.' || safe === '..') return '';
  return shortenStoredName(safe);
}

/** A stored name cut to 200 characters in the middle of its stem, so the extension (what opens it) survives. */
export function shortenStoredName(name: string): string {
  const chars = [...name];
  if (chars.length <= MAX_STORED_CHARACTERS) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? [...name.slice(dot)] : [];
  const keep = extension.length > 1 && extension.length <= MAX_STORED_EXTENSION ? extension : [];
  return chars.slice(0, MAX_STORED_CHARACTERS - keep.length).join('').trimEnd() + keep.join('');
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Whole characters (grapheme clusters) only: a cut never splits a letter from its accent. */
function truncateBytes(text: string, max: number): string {
  let out = '';
  let bytes = 0;
  for (const { segment } of graphemes.segment(text)) {
    bytes += byteLength(segment);
    if (bytes > max) break;
    out += segment;
  }
  return out;
}

function trimEnd(text: string): string {
  return text.replace(/[\s.]+$/u, '');
}

/** `report.final.pdf` → [`report.final`, `.pdf`]; a leading dot or a long tail is not an extension. */
function splitExtension(name: string): [stem: string, extension: string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || byteLength(name.slice(dot)) > MAX_EXTENSION_BYTES) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/** `stem + tail` within the byte cap, cutting the stem and never the tail (an extension, a ` (2)`). */
export function fitFileName(stem: string, tail: string): string {
  return trimEnd(truncateBytes(stem, MAX_BYTES - byteLength(tail))) + tail;
}

/** A name to write on disk (a saved file, a ZIP entry, a download): within 200 UTF-8 bytes; `fallback` when nothing usable is left. */
export function diskName(name: string, fallback = 'attachment'): string {
  const visible = name.replace(INVISIBLE, '').normalize('NFC');
  // A path keeps only its last real segment: `../../etc/passwd` is `passwd`, `C:\x\evil.exe` is `evil.exe`.
  const segment = visible.split(/[/\\]/).filter((part) => part !== '' && part !== '.' && part !== '..').at(-1) ?? '';
  let result = trimEnd(segment.replace(RESERVED_CHARACTERS, '_').trimStart());
  if (WINDOWS_DEVICE.test(result)) result = `_${result}`;
  if (byteLength(result) > MAX_BYTES) {
    const [stem, extension] = splitExtension(result);
    result = fitFileName(stem, extension);
  }
  return result === '' ? fallback : result;
}

/** How Windows and macOS compare names by default: case-insensitive, and NFC = NFD (HFS+ stores NFD). */
function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

function numbered(name: string, n: number): string {
  const [stem, extension] = splitExtension(name);
  return fitFileName(stem, ` (${n})${extension}`);
}

/**
 * Safe names made distinct, first come first served: a clash (ignoring case, as Windows and
 * macOS do) becomes `name (1).pdf`, `name (2).pdf`. `taken` are names already in use, such as
 * the files already in the target folder.
 */
export function uniqueNames(names: readonly string[], taken: Iterable<string> = []): string[] {
  const used = new Set(Array.from(taken, nameKey));
  return names.map((name) => {
    let candidate = name;
    for (let n = 1; used.has(nameKey(candidate)); n++) candidate = numbered(name, n);
    used.add(nameKey(candidate));
    return candidate;
  });
}
