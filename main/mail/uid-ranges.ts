// A FETCH over a whole folder in pieces. imapflow parses a FETCH's whole answer in one run of the
// event loop: 2,000 messages in one answer held it for a quarter of a second, a mailbox of
// 50,000 would hold it for seconds, and the page with it.
import type { FetchMessageObject, FetchQueryObject, ImapFlow } from 'imapflow';

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

/**
 * Every message the ranges name, each once: "n:*" always names the newest message, which a
 * range before it may have given already. imapflow also yields the FETCH rows the server adds
 * of its own (another session changed a message's flags meanwhile); Dovecot sends those
 * without the UID, and such a row answers nothing that was asked: it is skipped.
 */
export async function* fetchEach(
  client: ImapFlow,
  ranges: readonly string[],
  query: FetchQueryObject,
  options: Parameters<ImapFlow['fetch']>[2],
): AsyncGenerator<FetchMessageObject> {
  const seen = new Set<number>();
  for (const range of ranges) {
    for await (const m of client.fetch(range, query, options)) {
      if (!(m.uid > 0) || seen.has(m.uid)) continue;
      seen.add(m.uid);
      yield m;
    }
  }
}
