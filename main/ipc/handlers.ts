import { Readable } from 'node:stream';
import type { MessageView } from '../../preload/contract';
import { AppError } from '../errors';
import { attachmentFilters } from '../files/dialog-filters';
import type { Services } from '../services';
import type { StoredMessageView } from '../store/messages-repo';
import type { HandlerTable } from './dispatch';

/** Messages per page of history: a screenful several times over. */
const HISTORY_PAGE = 100;

/** One handler per contract channel; both transports serve exactly this table. */
export function createHandlers(s: Services): HandlerTable {
  const withSaveMode = (m: StoredMessageView): MessageView => ({ ...m, saveAllMode: s.saving.defaultMode(m.kind) });
  const page = (conversationId: number, before?: number, limit = HISTORY_PAGE) => {
    const { messages, hasOlder } = s.messages.page(conversationId, { before, limit });
    return { messages: messages.map(withSaveMode), hasOlder };
  };
  return {
    'app.info': () => ({
      version: s.version,
      lang: s.lang,
      attachmentRules: { ...s.config.attachments },
      notifications: s.settings.notifications,
      unread: s.conversationService.unreadCount(),
      signature: s.settings.signature,
    }),
    'app.setSignature': ({ text }) => void (s.settings.signature = text),
    'app.setNotifications': ({ enabled }) => void (s.settings.notifications = enabled),
    'channels.list': () => s.channels.list(),
    'channels.check': ({ id }) => s.mail.check(id),
    'conversations.list': ({ status }) => s.conversationService.list(status),
    'conversations.get': ({ id }) => s.conversationService.summary(id),
    'conversations.latestOfClient': ({ clientId }) => s.conversationService.latestOfClient(clientId),
    'conversations.open': ({ id }) => {
      s.conversationService.open(id);
      return page(id);
    },
    'conversations.complete': ({ id }) => s.conversationService.setStatus(id, 'completed'),
    'conversations.reopen': ({ id }) => s.conversationService.setStatus(id, 'active'),
    'conversations.takeOver': ({ id }) => s.conversationService.takeOver(id),
    'messages.list': ({ conversationId, before, limit }) => page(conversationId, before, limit),
    'outbox.retry': ({ messageId }) => {
      s.outbox.retry(messageId);
      const message = s.messages.get(messageId);
      if (!message) throw new AppError('not_found', `There is no message ${messageId}.`);
      return withSaveMode(message);
    },
    'outbox.cancel': ({ messageId }) => void s.outbox.cancel(messageId),
    'outbox.edit': ({ messageId }) => s.drafts.restore(messageId),
    'attachments.save': ({ attachmentId, acceptWarnings }) => s.saving.saveOne(attachmentId, acceptWarnings),
    'attachments.saveAll': ({ messageId, mode, acceptWarnings }) => s.saving.saveAll(messageId, mode, acceptWarnings),
    'attachments.preview': ({ attachmentId }) => s.previews.preview(attachmentId),
    'messages.saveOriginal': ({ messageId }) => s.saving.saveOriginal(messageId),
    'messages.showImages': ({ messageId, urls }) => void s.remoteImages.allow(messageId, urls),
    'links.open': async ({ url }) => {
      if (!s.shell) throw new AppError('invalid_input', 'Here a link from a mail opens in a new tab of the browser.');
      await s.shell.openExternal(url);
    },
    'messages.fullBody': ({ messageId }) => s.wholeText.read(messageId),
    'clients.search': ({ query }) => s.clientSearch.search(query),
    'clients.create': ({ allowDuplicate, ...client }) => s.clientService.create(client, { allowDuplicate }),
    'clients.get': ({ clientId }) => s.clientService.get(clientId),
    'clients.setEmail': ({ clientId, email }) => s.clientService.setEmail(clientId, email),
    'clients.import': ({ csv }) => s.clientService.importCsv(csv),
    'drafts.open': ({ conversationId }) => {
      s.conversationService.summary(conversationId);
      return s.drafts.open(conversationId);
    },
    'drafts.openOutgoing': ({ clientId, channelId }) => s.drafts.openOutgoing(clientId, channelId),
    'drafts.update': ({ draftId, ...changes }) => s.drafts.update(draftId, changes),
    'drafts.pickFiles': async ({ draftId }) => {
      if (!s.fileDialogs) throw new AppError('invalid_input', 'Files are attached with the page’s own file chooser here.');
      const files = await s.fileDialogs.openFiles(attachmentFilters(s.config.attachments, s.lang));
      return s.drafts.attachPaths(draftId, files);
    },
    'drafts.attachBytes': ({ draftId, fileName, bytes }) =>
      s.drafts.attachStream(draftId, fileName, Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)])),
    'templates.list': ({ draftId }) => s.templates.listFor(draftId),
    'drafts.attachTemplate': ({ draftId, templateId }) => s.templates.attachTo(draftId, templateId),
    'templates.save': async ({ draftId, name }) => void (await s.templates.saveFrom(draftId, name)),
    'drafts.removeFile': ({ draftId, fileId }) => s.drafts.remove(draftId, fileId),
    'drafts.removeInvalid': ({ draftId }) => s.drafts.removeInvalid(draftId),
    'drafts.recheck': ({ draftId }) => s.drafts.recheck(draftId),
    'drafts.chooseRecipient': ({ draftId, address }) => s.drafts.chooseRecipient(draftId, address),
    'drafts.send': ({ draftId, to, anyway }) => s.drafts.send(draftId, to, anyway),
  };
}
