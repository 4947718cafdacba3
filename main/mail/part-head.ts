// What a part's header block says, read the way mailsplit and mailparser read it (their
// documented behaviour, from the header text itself: none of their internals): the media type
// with its defaults, the transfer encoding, the placement, the charset, the boundary, and the
// file name as written. The MIME outline uses it to follow the structure and to know which
// parts mailparser will show as the message text.
import libmime from 'libmime';

export interface PartHead {
  /** The first Content-Type's value, lowercase; '' when there is none. */
  declaredType: string;
  transferEncoding: string;
  /** The first Content-Disposition's value, lowercase; '' when there is none. */
  disposition: string;
  charset: string | undefined;
  /** The boundary of a multipart, when it is one mailsplit accepts (ASCII). */
  boundary: Buffer | null;
  /** The file name as written, one character per byte; `decoded` when RFC 2231 already decoded it. */
  name: { value: string; decoded: boolean } | null;
}

// The types mailparser reads as the message text when they are not attachments.
const TEXT_TYPES = new Map([
  ['text/plain', 'plain'],
  ['text/html', 'html'],
  ['message/delivery-status', 'plain'],
] as const);

export type TextKind = 'plain' | 'html';

/** Reads a header block given one character per byte. */
export function readPartHead(block: string): PartHead {
  let type: string | null = null;
  let encoding: string | null = null;
  let placement: string | null = null;
  for (const line of block.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') type ??= value;
    else if (key === 'content-transfer-encoding') encoding ??= value;
    else if (key === 'content-disposition') placement ??= value;
  }
  const contentType = libmime.parseHeaderValue(type ?? '', { stripComments: true });
  const disposition = libmime.parseHeaderValue(placement ?? '', { stripComments: true });
  const declaredType = contentType.value.trim().toLowerCase();
  const boundary = (contentType.params.boundary ?? '').trimEnd();
  const fromDisposition = disposition.params.filename;
  const name = fromDisposition || contentType.params.name;
  const decoded = fromDisposition ? disposition.decodedParams.includes('filename') : contentType.decodedParams.includes('name');
  return {
    declaredType,
    transferEncoding: (encoding ?? '').replace(/\(.*\)/g, '').trim().toLowerCase(),
    disposition: disposition.value.trim().toLowerCase(),
    charset: contentType.params.charset?.trim() || undefined,
    // mailsplit ignores a boundary that is not ASCII, as if it were missing.
    boundary: /^multipart\//.test(declaredType) && boundary && /^[\x20-\x7e]+$/.test(boundary) ? Buffer.from(boundary, 'latin1') : null,
    name: name ? { value: name, decoded } : null,
  };
}

/**
 * The media type mailsplit gives the part: the declared one; without one, message/rfc822 in a
 * multipart/digest (RFC 2046 5.1.5: the outline writes that header in, so mailsplit agrees),
 * else a type from the file name's extension, else application/octet-stream for an
 * attachment and text/plain for anything else.
 */
export function mediaTypeOf(head: PartHead, inDigest: boolean): string {
  if (head.declaredType) return head.declaredType;
  if (inDigest) return 'message/rfc822';
  const extension = /\.([^./\\]+)$/.exec(head.name?.value ?? '')?.[1];
  if (extension) return libmime.detectMimeType(extension);
  return head.disposition === 'attachment' ? 'application/octet-stream' : 'text/plain';
}

/** Which body text mailparser makes of a part of this type, if it is shown as text and not listed as a file. */
export function textKindOf(mediaType: string, head: PartHead): TextKind | null {
  const kind = TEXT_TYPES.get(mediaType as 'text/plain') ?? null;
  return kind && (head.disposition === '' || head.disposition === 'inline') ? kind : null;
}
