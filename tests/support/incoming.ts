// A stored incoming message for seeding tests and benchmarks: every field has a plain default,
// so each caller states only what its check is about.
import type { NewIncoming } from '../../main/store/messages-repo';

let seeded = 0;

export function incoming(conversationId: number, fields: Partial<NewIncoming> = {}): NewIncoming {
  const n = ++seeded;
  const unique = `${process.pid}-${Date.now()}-${n}`;
  return {
    conversationId,
    fromAddress: 'client@example.test',
    fromName: 'Client',
    toAddress: 'operator@example.test',
    replyTo: null,
    subject: `Message ${n}`,
    text: null,
    html: null,
    messageId: `<seed-${unique}@example.test>`,
    inReplyTo: null,
    references: [],
    contentHash: `seed-${unique}`,
    rawBlobKey: '0'.repeat(64),
    problems: [],
    imapUid: null,
    createdAt: Date.now(),
    attachments: [],
    ...fields,
  };
}
