// The names of what crosses between the page and main, and nothing else: the sandboxed preload
// bundles this file and the bridge, not the schemas (main checks every input it is sent).
// preload/contract.ts fails to compile if these lists and its maps differ.

export const REQUEST_NAMES = [
  'app.info', 'app.setSignature', 'app.setNotifications', 'channels.list', 'channels.check',
  'conversations.list', 'conversations.get', 'conversations.latestOfClient', 'conversations.open',
  'conversations.complete', 'conversations.reopen', 'conversations.takeOver', 'messages.list',
  'outbox.retry', 'outbox.cancel', 'outbox.edit', 'attachments.save', 'attachments.saveAll',
  'attachments.preview', 'clients.search', 'clients.create', 'clients.get', 'clients.setEmail',
  'clients.import', 'drafts.open', 'drafts.openOutgoing', 'drafts.update', 'drafts.pickFiles',
  'drafts.attachBytes', 'templates.list', 'drafts.attachTemplate', 'templates.save', 'drafts.removeFile',
  'drafts.removeInvalid', 'drafts.recheck', 'drafts.chooseRecipient', 'drafts.send', 'messages.saveOriginal',
  'messages.showImages', 'links.open', 'messages.fullBody', 'app.restartToUpdate',
] as const;

export const EVENT_NAMES = [
  'channels.state', 'mail.received', 'conversations.unread', 'app.openConversation', 'app.updateReady', 'conversations.changed',
  'outbox.status', 'attachments.checked', 'attachments.progress', 'outbox.progress',
] as const;

export type RequestName = (typeof REQUEST_NAMES)[number];
type EventName = (typeof EVENT_NAMES)[number];

/** Events travel on their own IPC channel names so they can never be mistaken for requests. */
export const EVENT_PREFIX = 'postdesk-event:';

export function isRequestName(name: string): name is RequestName {
  return (REQUEST_NAMES as readonly string[]).includes(name);
}

export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}
