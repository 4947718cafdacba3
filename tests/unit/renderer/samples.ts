// What main answers, as small as a test can make it: each sample takes the fields its test is about.
import type { ChannelView, ClientSearchResult, ClientView, ConversationSummary, DraftView, MessageView, RequestOutput } from '../../../preload/contract';

export const info = (fields: Partial<RequestOutput<'app.info'>> = {}): RequestOutput<'app.info'> => ({
  version: '0.1.0',
  lang: 'en',
  attachmentRules: { allowedFormats: ['pdf'], maxFileSize: 1024, maxTotalSize: 4096 },
  notifications: false,
  unread: 0,
  signature: '',
  ...fields,
});

export const conversation = (fields: Partial<ConversationSummary> & Pick<ConversationSummary, 'id'>): ConversationSummary => ({
  status: 'active',
  clientName: `Client ${fields.id}`,
  channelName: 'Support',
  lastSubject: 'Question',
  lastMessageAt: 1_700_000_000_000,
  unread: false,
  replying: null,
  sendProblem: null,
  ...fields,
});

export const message = (fields: Partial<MessageView> & Pick<MessageView, 'id'>): MessageView => ({
  conversationId: 1,
  direction: 'in',
  kind: 'incoming',
  saveAllMode: 'zip',
  status: 'received',
  fromAddress: 'client@example.com',
  fromName: 'Client',
  toAddress: 'support@example.com',
  replyTo: [],
  bcc: [],
  subject: 'Question',
  text: 'Hello',
  html: null,
  problems: [],
  createdAt: fields.id * 1000,
  sentAt: null,
  error: null,
  hasOriginal: true,
  quote: null,
  operator: null,
  bodyTruncated: false,
  attachments: [],
  ...fields,
});

export const draft = (fields: Partial<DraftView> & Pick<DraftView, 'id'>): DraftView => ({
  kind: 'reply',
  conversationId: 1,
  clientId: null,
  channelId: null,
  subject: '',
  bcc: [],
  text: '',
  recipient: { name: 'Client', address: 'client@example.com' },
  replyToChoice: null,
  signature: null,
  quote: null,
  waiting: null,
  files: [],
  check: { canSend: true, invalidCount: 0, validTotal: 0, overBy: 0, empty: false },
  ...fields,
});

export const channel = (fields: Partial<ChannelView> & Pick<ChannelView, 'id'>): ChannelView => ({
  name: `Channel ${fields.id}`,
  address: `${fields.id}@example.com`,
  state: { kind: 'idle' },
  smtp: { kind: 'ok' },
  team: 'live',
  claims: 'shared',
  ...fields,
});

export const client = (fields: Partial<ClientView> & Pick<ClientView, 'id'>): ClientView => ({
  name: `Client ${fields.id}`,
  phone: null,
  email: `client${fields.id}@example.com`,
  externalId: null,
  messengerUsername: null,
  ...fields,
});

export const found = (fields: Partial<ClientSearchResult> & Pick<ClientSearchResult, 'id'>): ClientSearchResult => ({
  ...client(fields),
  matched: 'name',
  rank: 1,
  ...fields,
});
