// Files uuencoded into a plain text body ("begin 644 photo.jpg" … "end"), as old mailers sent
// them: taken out of the text line by line and written decoded to a file of their own, so the
// operator gets the photo as an attachment instead of a page of "M1TE&.#EA…" in the message.
//
// A begin line is taken for one only when the line after it is uuencoded data (or "end"), so
// an ordinary sentence that starts "begin 644 " stays text.
import type { Writable } from 'node:stream';
import { beginLineName, decodeUuLine, isEndLine } from './uudecode';

/** Where a file found in the text goes; the caller stores what is written to it. */
export type OpenInlineFile = (rawName: Buffer) => Writable;

export class InlineUuencode {
  private held: { line: Buffer; name: Buffer } | null = null;
  private file: Writable | null = null;

  constructor(private readonly open: OpenInlineFile) {}

  /** The file being written, while its writes wait for room. */
  get writing(): Writable | null {
    return this.file;
  }

  /**
   * One line of the text, whole (`complete`) or only its start (a long line, which is never
   * uuencode). Returns the lines that stay text, in order: usually this one, none while a file
   * is being read, or the held begin line before this one when it turned out to start no file.
   */
  line(line: Buffer, complete: boolean): Buffer[] {
    if (this.file) {
      if (complete && isEndLine(line)) {
        this.close(null);
        return [];
      }
      const bytes = complete ? decodeUuLine(line) : null;
      if (bytes) {
        this.file.write(bytes);
        return [];
      }
      this.close('its uuencoded data ends without an "end" line');
      return [line];
    }
    if (this.held) {
      const begin = this.held;
      this.held = null;
      if (complete && (isEndLine(line) || isFirstDataLine(line))) {
        this.file = this.open(begin.name);
        return this.line(line, complete);
      }
      return [begin.line, ...this.line(line, complete)];
    }
    const name = complete ? beginLineName(line) : null;
    if (name && name.length > 0) {
      this.held = { line, name };
      return [];
    }
    return [line];
  }

  /** The text ends: a held begin line stays text, a file still open is incomplete. */
  end(): Buffer[] {
    if (this.file) this.close('its uuencoded data ends without an "end" line');
    const held = this.held;
    this.held = null;
    return held ? [held.line] : [];
  }

  private close(problem: string | null): void {
    const file = this.file!;
    this.file = null;
    if (problem) file.destroy(new Error(problem));
    else file.end();
  }
}

/** A data line that carries all the characters its count announces: prose that happens to fit the alphabet seldom does. */
function isFirstDataLine(line: Buffer): boolean {
  const bytes = decodeUuLine(line);
  if (!bytes || bytes.length === 0) return false;
  const text = line.toString('latin1').replace(/\r?\n$/, '');
  return text.length - 1 >= Math.ceil((bytes.length * 4) / 3);
}
