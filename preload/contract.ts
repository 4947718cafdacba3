// The one contract between the renderer and main: every request and every pushed event,
// with zod schemas that check what crosses. The shapes themselves are the domain's
// (common/domain/), declared once; this file only says which request takes and gives which.
// It imports only zod and common/ so that both sides can compile it.
import { z } from 'zod';
import { documentPreview } from '../common/document-preview';
import { linkTarget } from '../common/mail-urls';
import type { Result } from '../common/domain/api-error';
import { saveAllMode, saveOutcome } from '../common/domain/attachment';
import { deskInfo } from '../common/domain/desk';
import { channelView } from '../common/domain/channel';
import { clientSearchResult, clientView, createOutcome, importReport, newClient } from '../common/domain/client';
import { conversationStatus, conversationSummary } from '../common/domain/conversation';
import { draftView, restoredDraft, sendOutcome, templateSummary } from '../common/domain/draft';
import { events } from '../common/domain/events';
import { historyPage, messageView, wholeBody } from '../common/domain/message';
import type { EVENT_NAMES, RequestName } from './names';

export { events };

const none = z.undefined();

/** The largest CSV import, in characters (the page refuses a file of more bytes before reading it). */
export const MAX_IMPORT_SIZE = 20_000_000;

/** Far above any attachment limit: the file is refused as too large, but its bytes must still fit in memory. */
const MAX_DROPPED_BYTES = 1024 ** 3;

const id = z.number().int().positive();

export const requests = {
  'app.info': { input: none, output: deskInfo },
  /** The operator's own signature, as they write it in the app. */
  'app.setSignature': { input: z.strictObject({ text: z.string().max(2000) }), output: none },
  /** Turns desktop notifications of new client mail on or off, on this desk. */
  'app.setNotifications': { input: z.strictObject({ enabled: z.boolean() }), output: none },
  /**
   * Restart to update: quits and installs the update the desktop app downloaded (app.updateReady).
   * Refused when none is downloaded; the browser host answers 'unsupported'.
   */
  'app.restartToUpdate': { input: none, output: none },
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
    output: restoredDraft,
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
    output: createOutcome,
  },
  /** Gives a client without one the e-mail address an outgoing message needs. */
  'clients.get': { input: z.strictObject({ clientId: id }), output: clientView },
  'clients.setEmail': { input: z.strictObject({ clientId: id, email: z.string().max(1000) }), output: clientView },
  /** Imports clients from the text of a CSV file the operator chose (never a path). */
  'clients.import': {
    input: z.strictObject({ csv: z.string().max(MAX_IMPORT_SIZE) }),
    output: importReport,
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
    output: z.array(templateSummary),
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
    output: sendOutcome,
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
    output: wholeBody,
  },
} as const;

export type { RequestName };
export type RequestInput<C extends RequestName> = z.input<(typeof requests)[C]['input']>;
export type RequestOutput<C extends RequestName> = z.output<(typeof requests)[C]['output']>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
/** Fails to compile unless the preload's lists of names (preload/names.ts) are exactly the maps' keys. */
export type NamesMatch = Holds<Same<keyof typeof requests, RequestName> & Same<keyof typeof events, (typeof EVENT_NAMES)[number]>>;
export type { EventName, EventPayload } from '../common/domain/events';
export type { Result };

// The page speaks the contract: the domain's shapes under the names it knows them by.
export type { ApiError, ErrorCode } from '../common/domain/api-error';
export type { AttachmentCheck, AttachmentView, SaveAllMode, SaveOutcome } from '../common/domain/attachment';
export type { ChannelState, ChannelView, ClaimsState, SmtpState, TeamState } from '../common/domain/channel';
export type { ClaimView, ConversationChange, ConversationStatus, ConversationSummary } from '../common/domain/conversation';
export type { ClientSearchResult, ClientView, FieldProblem, ImportProblem, ImportReport } from '../common/domain/client';
export type { DraftView } from '../common/domain/draft';
export type { HistoryPage, MessageStatus, MessageView } from '../common/domain/message';
export type { Lang } from '../common/lang';
