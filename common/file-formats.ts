// What Postdesk knows of a file format, by its extension, in one table: the media type an
// outgoing file is labelled with, what the content inspector may find under that name, whether
// a ZIP stores it as it is, and how the viewer shows it. The attachment policy, the composer,
// the export, both hosts and the viewer read it here, so they never disagree about what a
// ".docx" is. Received files keep the type their sender wrote, or get one from libmime's much
// wider table (main/mail/attachment-name.ts): mail brings formats this table never has to know.
//
// "Kind" is taken: a FileKind (common/domain/attachment.ts) is what the inspector finds a file's
// content to be, whatever its name. A format is what the name promises.
import type { FileKind } from './domain/attachment';

/** How the viewer shows a file: an image as itself, a PDF drawn by pdf.js, a Word document as the HTML main converts it to. */
export type PreviewKind = 'image' | 'pdf' | 'docx';

export interface FileFormat {
  /** Its media types, the usual one first; absent where nothing here asks. */
  mediaTypes?: readonly string[];
  /** An outgoing file with this extension is labelled with the first media type; any other goes as application/octet-stream. */
  labelOutgoing?: true;
  /**
   * The contents the inspector may find under this extension. Absent: the extension is not
   * checked, and any content but a program passes (attachment-policy.ts, matchesExtension).
   */
  content?: readonly FileKind[];
  /** Compressed already: a ZIP stores it as it is, for deflating it again costs time and gains nothing. */
  compressed?: true;
  /**
   * How the viewer shows it. A PDF or a Word document is known by its extension or its media
   * type; an image by its media type alone, for that is the type the hosts serve it as.
   */
  preview?: PreviewKind;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

// A Map, so that an extension such as "constructor" is no format at all rather than a property
// every object has.
const FORMATS: ReadonlyMap<string, FileFormat> = new Map<string, FileFormat>([
  ['jpeg', { mediaTypes: ['image/jpeg'], labelOutgoing: true, content: ['jpeg'], compressed: true, preview: 'image' }],
  ['jpg', { mediaTypes: ['image/jpeg'], labelOutgoing: true, content: ['jpeg'], compressed: true, preview: 'image' }],
  ['png', { mediaTypes: ['image/png'], labelOutgoing: true, content: ['png'], compressed: true, preview: 'image' }],
  ['gif', { mediaTypes: ['image/gif'], labelOutgoing: true, content: ['gif'], compressed: true, preview: 'image' }],
  ['webp', { mediaTypes: ['image/webp'], labelOutgoing: true, content: ['webp'], compressed: true, preview: 'image' }],
  // Raw pixels: worth deflating.
  ['bmp', { mediaTypes: ['image/bmp'], labelOutgoing: true, content: ['bmp'], preview: 'image' }],
  ['heic', { mediaTypes: ['image/heic'], compressed: true }],
  ['avif', { mediaTypes: ['image/avif'], compressed: true }],
  ['pdf', { mediaTypes: ['application/pdf'], labelOutgoing: true, content: ['pdf'], compressed: true, preview: 'pdf' }],
  ['rtf', { mediaTypes: ['application/rtf'], labelOutgoing: true, content: ['rtf'] }],
  // Word opens RTF saved as .doc, so a .doc may be RTF; any other OLE file (an MSI installer, an
  // Excel workbook) is not a .doc.
  ['doc', { mediaTypes: ['application/msword'], labelOutgoing: true, content: ['doc', 'rtf'] }],
  ['dot', { content: ['doc'] }],
  ['xls', { content: ['xls'] }],
  ['ppt', { content: ['ppt'] }],
  ['msg', { content: ['msg'] }],
  // A .docx is an Office Open XML package with [Content_Types].xml and word/document.xml: any
  // other ZIP is refused, because Word refuses it too. The Office formats are ZIP files, so
  // compressed already.
  ['docx', { mediaTypes: [DOCX], labelOutgoing: true, content: ['docx'], compressed: true, preview: 'docx' }],
  ['docm', { content: ['docx'] }],
  ['xlsx', { mediaTypes: [XLSX], content: ['xlsx'], compressed: true }],
  ['xlsm', { content: ['xlsx'] }],
  ['pptx', { mediaTypes: [PPTX], content: ['pptx'], compressed: true }],
  ['odt', { compressed: true }],
  ['ods', { compressed: true }],
  ['odp', { compressed: true }],
  ['zip', { mediaTypes: ['application/zip'], content: ['zip', 'docx', 'xlsx', 'pptx'], compressed: true }],
  ['7z', { mediaTypes: ['application/x-7z-compressed'], compressed: true }],
  ['rar', { mediaTypes: ['application/vnd.rar', 'application/x-rar-compressed'], compressed: true }],
  ['gz', { mediaTypes: ['application/gzip', 'application/x-gzip'], compressed: true }],
  ['tgz', { compressed: true }],
  ['bz2', { compressed: true }],
  ['xz', { compressed: true }],
  ['zst', { compressed: true }],
  ['mp4', { mediaTypes: ['video/mp4'], compressed: true }],
  ['m4a', { compressed: true }],
  ['mov', { compressed: true }],
  ['mp3', { mediaTypes: ['audio/mpeg'], compressed: true }],
  ['exe', { content: ['exe'] }],
  ['msi', { content: ['msi'] }],
]);

/** The media types of the formats that fit `test`, whatever extension they go by. */
function mediaTypesOf(test: (format: FileFormat) => boolean): ReadonlySet<string> {
  return new Set([...FORMATS.values()].filter(test).flatMap((format) => format.mediaTypes ?? []));
}

const COMPRESSED_TYPES = mediaTypesOf((format) => format.compressed === true);
const SHOWN_AS: Readonly<Record<PreviewKind, ReadonlySet<string>>> = {
  image: mediaTypesOf((format) => format.preview === 'image'),
  pdf: mediaTypesOf((format) => format.preview === 'pdf'),
  docx: mediaTypesOf((format) => format.preview === 'docx'),
};

/** `SCAN.PDF` → `pdf`: lower case, without the dot; '' for no extension, and for a dot-file such as `.bashrc`. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/** What the table knows of an extension (any case, without the dot); undefined when it knows nothing. */
export function fileFormat(extension: string): FileFormat | undefined {
  return FORMATS.get(extension.toLowerCase());
}

/** The media type an outgoing file is sent as, from its name. */
export function outgoingMediaType(fileName: string): string {
  const format = fileFormat(extensionOf(fileName));
  return (format?.labelOutgoing && format.mediaTypes?.[0]) || 'application/octet-stream';
}

/** Whether a file is compressed already, by its extension or by its media type (parameters and case aside). */
export function isCompressed(fileName: string, mediaType: string): boolean {
  const type = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  return fileFormat(extensionOf(fileName))?.compressed === true || COMPRESSED_TYPES.has(type);
}

/** The media types the viewer shows as `kind` (exactly as written: the hosts serve them under that type). */
export function mediaTypesShownAs(kind: PreviewKind): ReadonlySet<string> {
  return SHOWN_AS[kind];
}
