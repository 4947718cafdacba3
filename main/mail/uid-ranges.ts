// A FETCH over a whole folder in pieces. imapflow parses a FETCH's whole answer in one run of the
// event loop: 2,000 messages in one answer held it for a quarter of a second, a mailbox of
// 50,000 would hold it for seconds, and the page with it.

/** UIDs per FETCH. */
const LISTING_WINDOW = 500;

/**
 * The UID ranges that cover every UID after `lastUid`, LISTING_WINDOW at a time up to the
 * UIDNEXT the folder was opened with, then the rest ("n:*", which also catches what came since).
 */
export function listingRanges(lastUid: number, uidNext: number | undefined): string[] {
  const ranges: string[] = [];
  let from = lastUid + 1;
  for (; uidNext !== undefined && from + LISTING_WINDOW <= uidNext; from += LISTING_WINDOW) ranges.push(`${from}:${from + LISTING_WINDOW - 1}`);
  ranges.push(`${from}:*`);
  return ranges;
}
