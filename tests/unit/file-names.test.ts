import { describe, expect, it } from 'vitest';
import { diskName, storedName, uniqueNames } from '../../main/files/file-names';
import { zipFileName } from '../../main/files/download-names';

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('diskName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['C:\\Windows\\evil.exe', 'evil.exe'],
    ['/absolute/path/report.pdf', 'report.pdf'],
    ['folder/', 'folder'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['Nul.tar.gz', '_Nul.tar.gz'],
    ['aux .doc', '_aux .doc'],
    ['COM1', '_COM1'],
    ['lpt9.pdf', '_lpt9.pdf'],
    ['COM¹.txt', '_COM¹.txt'],
    ['CONSOLE.txt', 'CONSOLE.txt'],
    ['com10.txt', 'com10.txt'],
    ['icon.png', 'icon.png'],
    ['a:b.pdf', 'a_b.pdf'],
    ['C:\\', 'C_'],
    ['what?*"<>|.txt', 'what______.txt'],
    ['name.', 'name'],
    ['name. . .', 'name'],
    ['  padded.pdf  ', 'padded.pdf'],
    ['\u202Egnp.exe', 'gnp.exe'],
    ['photo\u202Egpj.exe', 'photogpj.exe'],
    ['\u2066invoice\u2069.pdf', 'invoice.pdf'],
    ['a\u0000b.pdf', 'ab.pdf'],
    ['\u0000\u0000', 'attachment'],
    ['line\r\nbreak\t.txt', 'linebreak.txt'],
    ['bell\u0007\u007f\u0085.txt', 'bell.txt'],
    ['Договор №5.pdf', 'Договор №5.pdf'],
    ['Счёт №7.pdf', 'Счёт №7.pdf'],
    ['Сче\u0308т.pdf', 'Счёт.pdf'],
    ['.bashrc', '.bashrc'],
  ])('makes %j safe as %j', (name, safe) => {
    expect(diskName(name)).toBe(safe);
  });

  it.each(['', '  ', '.', '..', '...', '/', '\\', '../..', '\u202E'])('falls back for %j, which leaves no name', (name) => {
    expect(diskName(name)).toBe('attachment');
    expect(diskName(name, 'file.bin')).toBe('file.bin');
  });

  it('caps a 300-letter Cyrillic name at 200 UTF-8 bytes and keeps the extension', () => {
    const safe = diskName(`${'Д'.repeat(300)}.pdf`);
    expect(safe).toBe(`${'Д'.repeat(98)}.pdf`);
    expect(bytes(safe)).toBe(200);
  });

  it('never cuts a character in two', () => {
    const family = '👨‍👩‍👧';
    const safe = diskName(`${family.repeat(30)}.png`);
    expect(bytes(safe)).toBeLessThanOrEqual(200);
    expect(safe.slice(0, -'.png'.length)).toBe(family.repeat(Math.floor(196 / bytes(family))));
    expect(safe.endsWith('.png')).toBe(true);
  });

  it('does not keep a long tail after a dot as if it were an extension', () => {
    const safe = diskName(`a.${'x'.repeat(300)}`);
    expect(bytes(safe)).toBe(200);
    expect(safe.startsWith('a.xxx')).toBe(true);
  });

  it('leaves no trailing dot or space where the cut falls', () => {
    const safe = diskName(`${'a'.repeat(194)}     ${'b'.repeat(50)}.pdf`);
    expect(safe).toBe(`${'a'.repeat(194)}.pdf`);
  });
});

describe('uniqueNames', () => {
  it('numbers clashes in order, ignoring case as Windows and macOS do', () => {
    expect(uniqueNames(['a.pdf', 'b.pdf', 'a.pdf', 'A.PDF'])).toEqual(['a.pdf', 'b.pdf', 'a (1).pdf', 'A (2).PDF']);
  });

  it('keeps names that do not clash as they are', () => {
    expect(uniqueNames(['Счёт №7.pdf', 'Договор №5.pdf', 'scan.png'])).toEqual(['Счёт №7.pdf', 'Договор №5.pdf', 'scan.png']);
  });

  it('skips a number a later name already looks like', () => {
    expect(uniqueNames(['a.pdf', 'a (1).pdf', 'a.pdf'])).toEqual(['a.pdf', 'a (1).pdf', 'a (2).pdf']);
  });

  it('numbers names without an extension at the end', () => {
    expect(uniqueNames(['README', 'readme', '.env', '.env'])).toEqual(['README', 'readme (1)', '.env', '.env (1)']);
  });

  it('avoids names already taken, such as files in the folder, Cyrillic case and NFD included', () => {
    expect(uniqueNames(['Счёт №7.pdf', 'Счёт №7.pdf'], ['СЧЁТ №7.PDF'])).toEqual(['Счёт №7 (1).pdf', 'Счёт №7 (2).pdf']);
    expect(uniqueNames(['Счёт.pdf'], ['Сче\u0308т.pdf'])).toEqual(['Счёт (1).pdf']);
  });

  it('keeps a numbered name within 200 bytes, cutting the stem', () => {
    const long = diskName(`${'Д'.repeat(300)}.pdf`);
    const [first, second] = uniqueNames([long, long]);
    expect(first).toBe(long);
    expect(second).toBe(`${'Д'.repeat(96)} (1).pdf`);
    expect(bytes(second!)).toBeLessThanOrEqual(200);
  });
});

describe('zipFileName', () => {
  it.each([
    ['Счёт за март', 'Счёт за март-attachments.zip'],
    ['Re: Invoice 3/2024', 'Re_ Invoice 3-2024-attachments.zip'],
    ['Иванов Иван', 'Иванов Иван-attachments.zip'],
    ['CON', '_CON-attachments.zip'],
    ['', 'attachments.zip'],
    ['  ...', 'attachments.zip'],
  ])('names the archive of %j %j', (subject, name) => {
    expect(zipFileName(subject)).toBe(name);
  });

  it('cuts a long subject, never the suffix', () => {
    const name = zipFileName('Ж'.repeat(300));
    expect(name.endsWith('-attachments.zip')).toBe(true);
    expect(bytes(name)).toBeLessThanOrEqual(200);
  });
});

describe('storedName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Windows\\evil.exe', 'evil.exe'],
    ['D:report.pdf', 'report.pdf'],
    ['a\u0000b\u0007c\u009f.pdf', 'abc.pdf'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['  report.pdf  ', 'report.pdf'],
    ['..', ''],
    ['.', ''],
    ['Договор.pdf', 'Договор.pdf'],
  ])('%j is stored as %j', (name, stored) => {
    expect(storedName(name)).toBe(stored);
  });

  it('keeps a name on disk as safe as a stored one: the same characters are invisible to both', () => {
    const name = 'a\u0000\u001f\u007f\u009f\u061c\u200e\u200f\u202a\u202e\u2066\u2069b.pdf';
    expect(storedName(name)).toBe('ab.pdf');
    expect(diskName(name)).toBe('ab.pdf');
  });

  it('cuts a long name to 200 characters in its stem, keeping the extension', () => {
    const stored = storedName(`${'я'.repeat(300)}.pdf`);
    expect([...stored]).toHaveLength(200);
    expect(stored.endsWith('я.pdf')).toBe(true);
  });
});
