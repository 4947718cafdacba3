// How much of a message the parser reads. A message past a limit is read as far as the limit,
// with a problem note for each limit it passed, and is never dropped: what was not read stays
// in the original message, which is always kept (Save original). Real mail stays far below
// these; hostile mail (a bomb of parts, nesting, a giant header or body) stops at them instead
// of taking the memory or an hour of the CPU.
export const PARSE_LIMITS = {
  /** MIME parts of one message, the message itself included (mailsplit refuses more than 1,000 outright). */
  parts: 1000,
  /** Levels of parts below the message. */
  depth: 50,
  /** One header block, each line counted as at least 64 bytes (mailsplit's own limit is 1 MiB, counted so). */
  headerBytes: 1_000_000,
  /**
   * Of the plain text and of the HTML each, what is kept to be shown in the history. Chromium
   * takes ~1.5 s to lay out 1 MB of dense HTML (and DOMPurify about as long again), ~8 s for
   * 4 MB, all of it on the page's one thread; so the history shows 1 MB and offers the rest.
   */
  displayText: 1024 * 1024,
  /** HTML longer than this gets no plain-text version (shown only for mail without HTML anyway). */
  htmlToText: 1024 * 1024,
} as const;

/** "Show the whole message" reads the text of the original up to this, and no further. */
export const WHOLE_TEXT_LIMIT = 32 * 1024 * 1024;

/** "1 MB" for a problem note. */
export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
