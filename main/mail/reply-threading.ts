// How a reply threads to the client's message: one "Re: ", In-Reply-To and References, and
// a Message-ID of our own so the client's answer threads back.
import { randomUUID } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import type { ThreadAnchor } from '../store/messages-repo';

const RE_PREFIXES = /^(?:\s*re(?:\[\d+\]|\(\d+\))?\s*:)+\s*/i;

/** The subject of a reply to `subject`: one "Re: ", however many the client's subject had. */
export function replySubject(subject: string): string {
  return `Re: ${subject.replace(RE_PREFIXES, '').trim()}`.trim();
}

/** An operator's own subject, kept as written except that "Re: Re: …" becomes "Re: …". */
export function collapseRe(subject: string): string {
  const trimmed = subject.trim();
  return RE_PREFIXES.test(trimmed) ? replySubject(trimmed) : trimmed;
}

export function threadTo(anchor: ThreadAnchor): { inReplyTo: string | null; references: string[] } {
  if (!anchor.messageId) return { inReplyTo: null, references: anchor.references };
  const references = anchor.references.filter((r) => r !== anchor.messageId);
  return { inReplyTo: anchor.messageId, references: [...references, anchor.messageId] };
}

export function newMessageId(channelAddress: string): string {
  const domain = channelAddress.slice(channelAddress.lastIndexOf('@') + 1) || 'postdesk.invalid';
  return `<${randomUUID()}@${domain}>`;
}

/** Bare addresses of an address header ("Name <a@x>, b@y" → ["a@x", "b@y"]). */
export function addresses(header: string): string[] {
  return addressparser(header, { flatten: true })
    .map((a) => a.address)
    .filter((a) => a.includes('@'));
}

/** One mailbox, however its writer cased it (local parts are case-blind in practice). */
export function sameAddress(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * A message's Reply-To addresses when they ask for replies to go anywhere but its From (the
 * whole list, as the client wrote it); empty when there is none or it only repeats From.
 */
export function divertingReplyTo(fromAddress: string | null, replyTo: string | null): string[] {
  const list = replyTo ? addresses(replyTo) : [];
  return list.some((a) => !sameAddress(a, fromAddress)) ? list : [];
}
