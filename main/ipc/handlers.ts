import { AppError } from '../errors';
import type { Services } from '../services';
import type { HandlerTable } from './dispatch';

/** One handler per contract channel; both transports serve exactly this table. */
export function createHandlers(s: Services): HandlerTable {
  return {
    'app.info': () => ({
      version: s.version,
      lang: s.lang,
      attachmentRules: { ...s.config.attachments },
    }),
    'channels.list': () => s.channels.list(),
    'channels.check': ({ id }) => s.mail.check(id),
    'conversations.list': ({ status }) => s.conversations.list(status),
    'messages.list': ({ conversationId }) => s.messages.list(conversationId),
    'outbox.retry': ({ messageId }) => {
      s.outbox.retry(messageId);
      const message = s.messages.get(messageId);
      if (!message) throw new AppError('not_found', `There is no message ${messageId}.`);
      return message;
    },
  };
}
