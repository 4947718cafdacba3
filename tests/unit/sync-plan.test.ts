// How a pass lists a folder and cuts its new messages into batches (main/mail/imap-sync.ts).
import { describe, expect, it } from 'vitest';
import { planBatches } from '../../main/mail/imap-sync';
import { listingRanges } from '../../main/mail/uid-ranges';

const MB = 1024 * 1024;
const message = (uid: number, size: number) => ({ uid, size, receivedAt: undefined });

describe('listingRanges', () => {
  it('lists 500 UIDs at a time up to UIDNEXT, then the rest with "*"', () => {
    expect(listingRanges(0, 1201)).toEqual(['1:500', '501:1000', '1001:*']);
    expect(listingRanges(1000, 2001)).toEqual(['1001:1500', '1501:2000', '2001:*']);
  });

  it('lists with one "n:*" when the folder is small, its UIDNEXT unknown, or nothing is new', () => {
    expect(listingRanges(0, 11)).toEqual(['1:*']);
    expect(listingRanges(0, undefined)).toEqual(['1:*']);
    expect(listingRanges(41, 42)).toEqual(['42:*']);
  });
});

describe('planBatches', () => {
  it('puts small messages together up to 4 MB, and a large one in a batch of its own', () => {
    const batches = planBatches([message(1, MB), message(2, MB), message(3, MB), message(4, MB), message(5, 5 * MB), message(6, 100)]);
    expect(batches.map((b) => b.map((m) => m.uid))).toEqual([[1, 2, 3, 4], [5], [6]]);
  });

  it('starts a new batch where the next message would pass 4 MB', () => {
    const batches = planBatches([message(1, 3 * MB), message(2, 2 * MB), message(3, 2 * MB)]);
    expect(batches.map((b) => b.map((m) => m.uid))).toEqual([[1], [2, 3]]);
  });
});
