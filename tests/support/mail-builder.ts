// Builds real RFC 5322 messages for tests, the way an ordinary mail client would.
import MailComposer from 'nodemailer/lib/mail-composer';

export interface TestAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
}

export async function buildMessage(options: {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  attachments?: TestAttachment[];
}): Promise<Buffer> {
  const composer = new MailComposer({
    from: options.from,
    to: options.to,
    replyTo: options.replyTo,
    subject: options.subject,
    text: options.text ?? 'Hello',
    messageId: options.messageId,
    inReplyTo: options.inReplyTo,
    references: options.references,
    attachments: options.attachments,
  });
  return composer.compile().build();
}

/** The client's HTML mail with an inline logo (`cid:logo@client`, a 2×2 PNG), as newsletters come. */
export function htmlMailWithLogo(options: { from: string; to: string; html: string; logo: Buffer }): Promise<Buffer> {
  return new MailComposer({
    from: options.from,
    to: options.to,
    subject: 'Newsletter',
    html: options.html,
    attachments: [{ filename: 'logo.png', content: options.logo, contentType: 'image/png', cid: 'logo@client' }],
  })
    .compile()
    .build();
}
