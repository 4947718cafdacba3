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
    'channels.check': ({ id }) => s.channels.check(id),
    'conversations.list': ({ status }) => s.conversations.list(status),
  };
}
