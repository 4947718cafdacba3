// The one contract between the renderer and main. Every request channel and every pushed event
// is declared here once, with zod schemas; types on both sides are inferred from them.
// It imports only zod and pure shared code (common/) so that both sides can compile it.
import { z } from 'zod';
import { FILE_KINDS } from '../common/attachment-policy';
import { failureSchema } from '../common/failure';
import { LANGS } from '../common/lang';
import { documentPreview } from '../common/document-preview';
import { attachmentFields, messageFields } from '../common/mail-fields';
import { linkTarget } from '../common/mail-urls';

export const errorCodes = [
  'invalid_input',
  'unknown_channel',
  'forbidden',
  'not_found',
  'channel_unreachable',
  'internal',
] as const;
export const errorCode = z.enum(errorCodes);

export const apiError = z.object({
  code: errorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const lang = z.enum(LANGS);

export const channelState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unchecked') }),
  z.object({ kind: z.literal('connecting') }),
  z.object({ kind: z.literal('syncing'), done: z.number().int(), total: z.number().int() }),
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('error'), reason: failureSchema }),
]);

/** Whether what the other desks do (answers, Completed, claims) reaches this desk now. */
const teamState = z.enum(['live', 'offline']);

/** The channel's SMTP server as the last send or Check connection found it. */
const smtpState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unchecked') }),
  z.object({ kind: z.literal('ok') }),
  z.object({ kind: z.literal('error'), reason: failureSchema }),
]);

/** Whether the server can lock a conversation for one operator ("Alice is replying"): it needs CONDSTORE. */
const claimsState = z.enum(['shared', 'unavailable']);

const channelView = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  /** The IMAP side (receiving). */
  state: channelState,
  /** The SMTP side (sending). */
  smtp: smtpState,
  team: teamState,
  claims: claimsState,
});

const conversationStatus = z.enum(['active', 'completed']);

/** Another operator's claim on a conversation ("Alice is replying"). */
const claimView = z.object({
  /** null while their desk has not said who it is. */
  operator: z.string().nullable(),
  /** Their desk has gone quiet: the claim may be taken over without asking. */
  stale: z.boolean(),
});

const conversationSummary = z.object({
  id: z.number().int(),
  status: conversationStatus,
  clientName: z.string(),
  channelName: z.string(),
  lastSubject: z.string(),
  lastMessageAt: z.number().int().nullable(),
  unread: z.boolean(),
  /** Another operator is writing a reply here. */
  replying: claimView.nullable(),
  /** A message of this conversation did not go: it failed, or waits to be tried again after a failure. */
  sendProblem: z.enum(['failed', 'retrying']).nullable(),
});

const messageStatus = z.enum(['received', 'queued', 'sending', 'sent', 'failed']);

/** What an answer quotes of the client's message: who wrote it when, and their text. */
const quote = z.object({ attribution: z.string(), text: z.string() });

/** Why a file's content is not what its name says (common/attachment-policy.ts, contentProblem). */
const fileKind = z.enum(FILE_KINDS);
const contentProblemSchemas = [
  z.object({ code: z.literal('content_mismatch'), extension: z.string(), actual: fileKind, format: z.string().optional() }),
  z.object({ code: z.literal('contains_program'), extension: z.string(), entry: z.string() }),
  z.object({ code: z.literal('macros'), extension: z.string() }),
  z.object({ code: z.literal('damaged'), extension: z.string() }),
] as const;
/** What main's check of a received file found (main/files/incoming-checks.ts). */
const scanVerdict = z.discriminatedUnion('status', [
  z.object({ status: z.literal('clean') }),
  z.object({ status: z.literal('infected'), signature: z.string() }),
  z.object({ status: z.literal('not_scanned'), reason: z.string() }),
  z.object({ status: z.literal('off') }),
]);
const attachmentCheck = z.object({
  /** The content is not what the name says (an .exe named .pdf, macros, a program inside); saving asks first. */
  warning: z.discriminatedUnion('code', [...contentProblemSchemas]).nullable(),
  /** 'infected' files are blocked: main neither saves nor serves them. */
  scan: scanVerdict,
});

/** The fields are those main checks incoming mail against (common/mail-fields.ts). */
const attachmentView = attachmentFields.extend({
  id: z.number().int(),
  /** null until main has checked the file (and always for the operator's own files, checked when attached). */
  check: attachmentCheck.nullable(),
});

/** How "Download all files" saves a message's attachments by default. */
const saveAllMode = z.enum(['zip', 'folder']);

/** Its own fields are those main checks incoming mail against (common/mail-fields.ts). */
const messageView = messageFields.omit({ replyTo: true }).extend({
  id: z.number().int(),
  conversationId: z.number().int(),
  direction: z.enum(['in', 'out']),
  /** incoming mail, the operator's reply, or a message started from the new-message window. */
  kind: z.enum(['incoming', 'reply', 'new']),
  /** The default of "Download all files" for this message, from the config. */
  saveAllMode,
  status: messageStatus,
  /** Incoming only: the Reply-To addresses when they are not just the From address; else empty. */
  replyTo: z.array(z.string()),
  bcc: z.array(z.string()),
  createdAt: z.number().int(),
  sentAt: z.number().int().nullable(),
  /** Why it was not sent (failed, or queued to retry), or a note on a message sent to some recipients only. */
  error: failureSchema.nullable(),
  hasOriginal: z.boolean(),
  /** Outgoing: what of the client's message the answer quoted (the mail carries it; the history shows it folded). */
  quote: quote.nullable(),
  /** Outgoing: the operator who sent it (this desk's, or another desk's as its Sent copy says); null when unknown. */
  operator: z.string().nullable(),
  /** The text or HTML is longer than the history keeps: only its start is here (see messages.fullBody). */
  bodyTruncated: z.boolean(),
  attachments: z.array(attachmentView),
});

const none = z.undefined();

/** The largest CSV import, in characters (the page refuses a file of more bytes before reading it). */
export const MAX_IMPORT_SIZE = 20_000_000;

/** Far above any attachment limit: the file is refused as too large, but its bytes must still fit in memory. */
const MAX_DROPPED_BYTES = 1024 ** 3;

const clientView = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  externalId: z.string().nullable(),
  messengerUsername: z.string().nullable(),
});

const clientSearchResult = clientView.extend({
  /** The attribute the query matched, to highlight it. */
  matched: z.enum(['name', 'phone', 'email', 'externalId', 'messengerUsername']),
  rank: z.number().int(),
});

const duplicateField = z.enum(['email', 'phone', 'externalId']);

/** Why a client's attribute was refused (the form's hints, the import report). */
const fieldProblem = z.discriminatedUnion('field', [
  z.object({ field: z.literal('name'), code: z.enum(['required', 'too_long']) }),
  z.object({ field: z.literal('email'), code: z.enum(['invalid_email', 'too_long']) }),
  z.object({ field: z.literal('phone'), code: z.enum(['invalid_phone', 'too_long']) }),
  z.object({ field: z.enum(['externalId', 'messengerUsername']), code: z.literal('too_long') }),
]);

const importProblem = z.union([
  fieldProblem,
  z.object({ field: duplicateField, code: z.literal('duplicate'), clientName: z.string() }),
  z.object({ code: z.literal('column_count'), expected: z.number().int(), actual: z.number().int() }),
]);

const optionalField = z.string().max(1000).nullable().optional();
const newClient = z.strictObject({
  name: z.string().max(1000),
  phone: optionalField,
  email: optionalField,
  externalId: optionalField,
  messengerUsername: optionalField,
  /** Save even though clients with the same e-mail, phone or external ID exist (the operator saw them). */
  allowDuplicate: z.boolean().optional(),
});

const fileProblem = z.discriminatedUnion('code', [
  z.object({ code: z.literal('format_not_allowed'), extension: z.string(), allowed: z.array(z.string()) }),
  ...contentProblemSchemas,
  z.object({ code: z.literal('too_large'), size: z.number().int(), limit: z.number().int() }),
  z.object({ code: z.literal('empty') }),
  z.object({ code: z.literal('unreadable'), reason: z.string() }),
  z.object({ code: z.literal('infected'), signature: z.string() }),
  z.object({ code: z.literal('scan_unavailable'), reason: z.string() }),
]);

/**
 * A message being written — a reply, or an outgoing message from the new-message window — with
 * its files (invalid first, then newest) and whether it may be sent.
 */
const draftView = z.object({
  id: z.number().int(),
  kind: z.enum(['reply', 'outgoing']),
  /** Replies only; an outgoing message gets its conversation when sent. */
  conversationId: z.number().int().nullable(),
  /** Outgoing only: to whom and through which channel. */
  clientId: z.number().int().nullable(),
  channelId: z.string().nullable(),
  subject: z.string(),
  bcc: z.array(z.string()),
  text: z.string(),
  /** Where the message will really go (the reply's To line); null when there is no address. */
  recipient: z.object({ name: z.string().nullable(), address: z.string() }).nullable(),
  /**
   * Replies only, when the client's last mail has a Reply-To that is not its From: both
   * addresses, and which one this reply goes to (the From address unless the operator chose).
   */
  replyToChoice: z.object({ from: z.string(), replyTo: z.string(), chosen: z.enum(['from', 'reply-to']) }).nullable(),
  /** What goes under the text when it is sent (the operator's and the channel's lines); null for none. */
  signature: z.string().nullable(),
  /** Replies only: what of the client's last message the reply quotes. */
  quote: quote.nullable(),
  /**
   * Outgoing only: the client's mail waits in the Active conversation this message joins — unread
   * on this desk, or unanswered — so sending keeps the conversation Active instead of Completed.
   */
  waiting: z.object({ unread: z.boolean(), unanswered: z.boolean() }).nullable(),
  files: z.array(
    z.object({ id: z.number().int(), fileName: z.string(), size: z.number().int(), problem: fileProblem.nullable(), attachedAt: z.number().int() }),
  ),
  check: z.object({
    canSend: z.boolean(),
    invalidCount: z.number().int(),
    validTotal: z.number().int(),
    overBy: z.number().int(),
    empty: z.boolean(),
  }),
});

/** What reached a conversation since the operator started writing: the client's mail, another operator's answer. */
const conversationChange = z.object({
  kind: z.enum(['client', 'operator']),
  /** The client's or the operator's name (null when the message does not say). */
  name: z.string().nullable(),
  at: z.number().int(),
});

/** History comes in pages, newest first to load, so a conversation of 10,000 messages opens like one of 100. */
const historyPage = z.object({ messages: z.array(messageView), hasOlder: z.boolean() });

/**
 * What a save did. The desktop app writes files itself ('saved', or 'cancelled' in its dialog);
 * the browser host hands the page a same-origin URL to download ('download') or, for a folder,
 * the files to write with the browser's directory picker ('pick-folder').
 */
const id = z.number().int().positive();

const saveOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('saved'), files: z.array(z.string()) }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('download'), url: z.string(), fileName: z.string() }),
  z.object({ status: z.literal('pick-folder'), files: z.array(z.object({ url: z.string(), fileName: z.string() })) }),
  /** Nothing saved yet: these files carry warnings; the same request with acceptWarnings saves them. */
  z.object({ status: z.literal('confirm'), files: z.array(z.object({ fileName: z.string(), check: attachmentCheck })) }),
]);

export const requests = {
  'app.info': {
    input: none,
    output: z.object({
      version: z.string(),
      lang,
      attachmentRules: z.object({
        allowedFormats: z.array(z.string()),
        maxFileSize: z.number().int(),
        maxTotalSize: z.number().int(),
      }),
      /** Desktop notifications of new client mail (the operator's own setting). */
      notifications: z.boolean(),
      /** Active conversations with unread mail now. */
      unread: z.number().int(),
      /** The operator's own signature (their lines under every message). */
      signature: z.string(),
    }),
  },
  /** The operator's own signature, as they write it in the app. */
  'app.setSignature': { input: z.strictObject({ text: z.string().max(2000) }), output: none },
  /** Turns desktop notifications of new client mail on or off, on this desk. */
  'app.setNotifications': { input: z.strictObject({ enabled: z.boolean() }), output: none },
  'channels.list': { input: none, output: z.array(channelView) },
  'channels.check': { input: z.strictObject({ id: z.string().min(1).max(200) }), output: channelView },
  'conversations.list': {
    input: z.strictObject({ status: conversationStatus }),
    output: z.array(conversationSummary),
  },
  /** One conversation as the list shows it (it may have moved to the other tab meanwhile). */
  'conversations.get': { input: z.strictObject({ id }), output: conversationSummary },
  /** A client's conversation on the channel used most recently, as the list shows it; null when they have none yet. */
  'conversations.latestOfClient': { input: z.strictObject({ clientId: id }), output: conversationSummary.nullable() },
  /** Marks the conversation read and returns its newest page of history, oldest first. */
  'conversations.open': { input: z.strictObject({ id }), output: historyPage },
  /** Completed on every desk of the team (a keyword on the server), here at once. */
  'conversations.complete': { input: z.strictObject({ id }), output: conversationSummary },
  /** Back to Active, on every desk. */
  'conversations.reopen': { input: z.strictObject({ id }), output: conversationSummary },
  /** Take over: this desk's claim replaces another operator's on the conversation. */
  'conversations.takeOver': { input: z.strictObject({ id }), output: conversationSummary },
  /** An older page of history: the messages just before `before` (a message id), oldest first. */
  'messages.list': {
    input: z.strictObject({ conversationId: id, before: id.optional(), limit: z.number().int().min(1).max(500).optional() }),
    output: historyPage,
  },
  'outbox.retry': { input: z.strictObject({ messageId: id }), output: messageView },
  /** Cancel send: a message that failed (or waits to be tried again) is taken back; nothing of it goes. */
  'outbox.cancel': { input: z.strictObject({ messageId: id }), output: none },
  /**
   * Edit: the unsent message goes back into its draft (text, subject, BCC and files) to be
   * changed and sent again; the draft must be empty. Says which draft.
   */
  'outbox.edit': {
    input: z.strictObject({ messageId: id }),
    output: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('reply'), conversationId: z.number().int() }),
      z.object({ kind: z.literal('outgoing'), clientId: z.number().int(), channelId: z.string() }),
    ]),
  },
  /** Saves one attachment under its own name (Save dialog in the desktop app; a download in the browser host). */
  'attachments.save': { input: z.strictObject({ attachmentId: id, acceptWarnings: z.boolean().optional() }), output: saveOutcome },
  /** Saves all of a message's attachments: one file as itself, else a ZIP or every file into a folder. */
  'attachments.saveAll': {
    input: z.strictObject({ messageId: id, mode: saveAllMode.optional(), acceptWarnings: z.boolean().optional() }),
    output: saveOutcome,
  },
  /**
   * A Word document (.docx) as HTML for the viewer, converted by main within size limits; the page
   * sanitizes it like mail. Its bytes never travel: PDFs and images load by id from the file route.
   */
  'attachments.preview': { input: z.strictObject({ attachmentId: id }), output: documentPreview },
  /** Clients by name, phone (any writing), e-mail, external ID or messenger username; best first. */
  'clients.search': { input: z.strictObject({ query: z.string().max(200) }), output: z.array(clientSearchResult) },
  /**
   * Creates a client unless the e-mail, phone or external ID is already someone's: then the
   * possible duplicates come back instead, and allowDuplicate saves anyway.
   */
  'clients.create': {
    input: newClient,
    output: z.discriminatedUnion('status', [
      z.object({ status: z.literal('created'), client: clientView }),
      z.object({ status: z.literal('duplicates'), duplicates: z.array(clientView.extend({ sameAs: z.array(duplicateField) })) }),
    ]),
  },
  /** Gives a client without one the e-mail address an outgoing message needs. */
  'clients.get': { input: z.strictObject({ clientId: id }), output: clientView },
  'clients.setEmail': { input: z.strictObject({ clientId: id, email: z.string().max(1000) }), output: clientView },
  /** Imports clients from the text of a CSV file the operator chose (never a path). */
  'clients.import': {
    input: z.strictObject({ csv: z.string().max(MAX_IMPORT_SIZE) }),
    output: z.object({
      imported: z.number().int(),
      refused: z.array(z.object({ line: z.number().int(), name: z.string(), problems: z.array(importProblem) })),
    }),
  },
  'drafts.open': { input: z.strictObject({ conversationId: id }), output: draftView },
  /** The new-message window's draft to a client through a channel (continued if one was left). */
  'drafts.openOutgoing': { input: z.strictObject({ clientId: id, channelId: z.string().min(1).max(200) }), output: draftView },
  /** What the operator typed; subject and BCC only for outgoing drafts. */
  'drafts.update': {
    input: z.strictObject({
      draftId: id,
      text: z.string().max(1_000_000).optional(),
      subject: z.string().max(1000).optional(),
      bcc: z.array(z.string().max(320)).max(100).optional(),
    }),
    output: draftView,
  },
  /** Desktop app: the native open dialog, allowed formats first; the browser host uploads instead. */
  'drafts.pickFiles': { input: z.strictObject({ draftId: id }), output: draftView },
  /**
   * Desktop app only: a file the page holds (dropped or pasted) as its bytes. Bytes do not travel
   * as JSON, so the browser host takes the same file as an upload to /upload/draft/<id> instead.
   */
  'drafts.attachBytes': {
    input: z.strictObject({
      draftId: id,
      fileName: z.string().min(1).max(1000),
      bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_DROPPED_BYTES, 'A dropped file of more than 1 GB is not taken.'),
    }),
    output: draftView,
  },
  /** Insert template: the templates this draft may use (the config's, and its channel's shared ones), by name. */
  'templates.list': {
    input: z.strictObject({ draftId: id }),
    output: z.array(z.object({ id: z.string(), name: z.string(), text: z.string(), files: z.array(z.string()), shared: z.boolean() })),
  },
  /** Attaches a template's files to the draft (the page inserts its text where the cursor is). */
  'drafts.attachTemplate': { input: z.strictObject({ draftId: id, templateId: z.string().min(1).max(300) }), output: draftView },
  /** Saves the draft's text and valid files as a template the whole team has (a channel with a Sent folder). */
  'templates.save': { input: z.strictObject({ draftId: id, name: z.string().trim().min(1).max(200) }), output: none },
  'drafts.removeFile': { input: z.strictObject({ draftId: id, fileId: id }), output: draftView },
  'drafts.removeInvalid': { input: z.strictObject({ draftId: id }), output: draftView },
  /** Scans again the files that wait for the virus check (clamd was unreachable when they were attached). */
  'drafts.recheck': { input: z.strictObject({ draftId: id }), output: draftView },
  /** Where the reply goes: one of the two addresses of draftView.replyToChoice; any other is refused. */
  'drafts.chooseRecipient': { input: z.strictObject({ draftId: id, address: z.string().min(1).max(320) }), output: draftView },
  /**
   * `to`: the recipient the page showed; if main would now send elsewhere, the send is refused.
   * A reply is not sent while another operator's claim is live, or when the conversation changed
   * since the operator started writing: 'confirm' says what, and `anyway` sends all the same.
   */
  'drafts.send': {
    input: z.strictObject({ draftId: id, to: z.string().max(320).optional(), anyway: z.boolean().optional() }),
    output: z.discriminatedUnion('status', [
      z.object({ status: z.literal('queued'), messageId: z.number().int(), conversationId: z.number().int() }),
      z.object({ status: z.literal('confirm'), replying: claimView.nullable(), changes: z.array(conversationChange) }),
    ]),
  },
  /** Saves the message as it arrived (.eml). */
  'messages.saveOriginal': { input: z.strictObject({ messageId: id }), output: saveOutcome },
  /** Show images: main may now fetch these https images of the message for the page (its image route). */
  'messages.showImages': { input: z.strictObject({ messageId: id, urls: z.array(z.string().max(8192)).max(1000) }), output: none },
  /** Desktop app: a link from a mail that the operator confirmed, opened in the system's program. */
  'links.open': {
    // Opened as the page showed it to the operator: the host in ASCII (an IDN as punycode).
    input: z.strictObject({
      url: z
        .string()
        .max(8192)
        .refine((url) => linkTarget(url) !== null, 'Only https:, http: and mailto: links open.')
        .transform((url) => linkTarget(url)!.href),
    }),
    output: none,
  },
  /**
   * "Show the whole message": the text and HTML of a message shown cut (bodyTruncated), read
   * again from its original up to `limit` bytes; past that `tooLarge`, and nothing to show.
   */
  'messages.fullBody': {
    input: z.strictObject({ messageId: id }),
    output: z.object({ html: z.string().nullable(), text: z.string().nullable(), tooLarge: z.boolean(), limit: z.number().int() }),
  },
} as const;

export const events = {
  'channels.state': z.object({ id: z.string(), state: channelState, smtp: smtpState, team: teamState, claims: claimsState }),
  /** A message is stored, attachments and all: the client's ('in'), or an answer another desk sent ('out'). */
  'mail.received': z.object({ channelId: z.string(), direction: z.enum(['in', 'out']), conversationId: z.number().int(), messageId: z.number().int() }),
  /** The number of Active conversations with unread mail changed (the tab, the title, the dock). */
  'conversations.unread': z.object({ count: z.number().int() }),
  /** Open this conversation (the operator clicked a desktop notification). */
  'app.openConversation': z.object({ conversationId: z.number().int() }),
  /** Conversations moved (Completed or Active on another desk) or their claims changed. */
  'conversations.changed': z.object({ ids: z.array(z.number().int()) }),
  /** An outgoing message changed status (queued → sending → sent | failed). */
  'outbox.status': z.object({
    conversationId: z.number().int(),
    messageId: z.number().int(),
    status: messageStatus,
    error: failureSchema.nullable(),
  }),
  /** main finished checking a received message's files (content and virus scan). */
  'attachments.checked': z.object({ conversationId: z.number().int(), messageId: z.number().int() }),
  /** A save of several files is under way (bytes written of all). */
  'attachments.progress': z.object({ messageId: z.number().int(), done: z.number().int(), total: z.number().int() }),
  /** Bytes of the encoded message handed to the SMTP server so far. */
  'outbox.progress': z.object({ messageId: z.number().int(), sent: z.number().int(), total: z.number().int() }),
} as const;

export type RequestChannel = keyof typeof requests;
export type RequestInput<C extends RequestChannel> = z.input<(typeof requests)[C]['input']>;
export type RequestOutput<C extends RequestChannel> = z.output<(typeof requests)[C]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type ApiError = z.output<typeof apiError>;
export type ErrorCode = ApiError['code'];
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type ChannelState = z.output<typeof channelState>;
export type TeamState = z.output<typeof teamState>;
export type ClaimsState = z.output<typeof claimsState>;
export type SmtpState = z.output<typeof smtpState>;
export type ClaimView = z.output<typeof claimView>;
export type ConversationChange = z.output<typeof conversationChange>;
export type ChannelView = z.output<typeof channelView>;
export type ConversationStatus = z.output<typeof conversationStatus>;
export type ConversationSummary = z.output<typeof conversationSummary>;
export type Lang = z.output<typeof lang>;
export type MessageStatus = z.output<typeof messageStatus>;
export type MessageView = z.output<typeof messageView>;
export type AttachmentView = z.output<typeof attachmentView>;
export type AttachmentCheck = z.output<typeof attachmentCheck>;
export type SaveOutcome = z.output<typeof saveOutcome>;
export type SaveAllMode = z.output<typeof saveAllMode>;
export type HistoryPage = z.output<typeof historyPage>;
export type DraftView = z.output<typeof draftView>;
export type ClientSearchResult = z.output<typeof clientSearchResult>;
export type ClientView = z.output<typeof clientView>;
export type FieldProblemView = z.output<typeof fieldProblem>;
export type ImportProblemView = z.output<typeof importProblem>;
export type ImportReportView = RequestOutput<'clients.import'>;

export function isRequestChannel(name: string): name is RequestChannel {
  return Object.hasOwn(requests, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
