import type { SendOutcome } from '../../common/domain/draft';

/** The message a send queued; fails the test when Send asked for confirmation instead. */
export function queued(outcome: SendOutcome): Extract<SendOutcome, { status: 'queued' }> {
  if (outcome.status !== 'queued') throw new Error(`the send asked for confirmation: ${JSON.stringify(outcome)}`);
  return outcome;
}
