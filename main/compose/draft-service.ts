// The composers' state lives here, in main (replies and the new-message window alike): the
// draft's text, subject, BCC and files, each file checked
// against the one attachment policy as it is attached (valid files copied into the blob store
// at once, so the draft still sends if the original is moved), and checked again at send time
// whatever the page believes.
//
// Over 300 lines: a draft's files, its recipient, the team's claim and its send are one
// aggregate with one set of rules (checked at every step and again at send); the recipient
// (reply-recipient.ts), the quote (quote.ts) and the outbox are files of their own.
import { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAddressList } from '../../common/client-fields';
import { checkFile, checkMessage, checkOversized, sortAttachments } from '../../common/attachment-policy';
import { outgoingMediaType } from '../../common/file-formats';
import type { Translate } from '../../common/i18n';
import type { AttachmentRules, FileProblem } from '../../common/domain/attachment';
import type { DraftView, RestoredDraft, SendOutcome } from '../../common/domain/draft';
import type { Lang } from '../../common/lang';
import { quoteOf } from './quote';
import type { ChannelConfig } from '../config/schema';
import { settleAfterOutgoing } from '../conversations/after-outgoing';
import { AppError } from '../errors';
import type { BlobStore } from '../files/blob-store';
import { inspectFile } from '../files/content-inspector';
import { noScanner, type VirusScanner } from '../files/virus-scanner';
import { diskName } from '../files/file-names';
import type { Outbox } from '../mail/outbox';
import type { ClientsRepo } from '../store/clients-repo';
import type { ConversationsRepo } from '../store/conversations-repo';
import type { DraftChanges, DraftRow, DraftsRepo } from '../store/drafts-repo';
import type { MessagesRepo, OutgoingRow } from '../store/messages-repo';
import { sameAddress } from '../mail/reply-threading';
import type { ReplyGuard } from '../team/reply-guard';
import { chosenAddress, replyRecipient, type ReplyRecipient } from './reply-recipient';
import type { Transaction } from '../store/unit-of-work';
import { attachmentFilters } from '../files/dialog-filters';
import type { Dialogs } from '../host/ports';

export interface DraftServiceDeps {
  drafts: DraftsRepo;
  blobs: BlobStore;
  outbox: Pick<Outbox, 'store' | 'announce' | 'cancel'>;
  rules: AttachmentRules;
  /** Every attached file is scanned; noScanner when none is configured. */
  scanner?: VirusScanner;
  clients: Pick<ClientsRepo, 'get'>;
  conversations: Pick<ConversationsRepo, 'ensure' | 'setStatus' | 'get' | 'find' | 'waitingMail'>;
  /** The client's last mail, which a reply answers (and whose Reply-To may ask for another address). */
  messages: Pick<MessagesRepo, 'lastIncoming' | 'newestId' | 'outgoing' | 'get'>;
  /** The native open dialog (desktop app); none in the browser host. */
  dialogs?: Dialogs;
  /** The team: a reply being written claims its conversation, and Send asks first when another operator is on it. */
  guard?: Pick<ReplyGuard, 'writing' | 'check'>;
  channels: readonly ChannelConfig[];
  /** Runs the steps of a send as one: draft emptied or ended, conversation, outbox row. */
  transaction: Transaction;
  /** The operator's language, for refusals the operator reads as they are. */
  t: Translate;
  lang?: Lang;
  /** What goes under every message sent through a channel: shown under the field before it goes. */
  signatureFor?: (channelId: string) => string;
  now?: () => number;
}

/** Files one message may carry (valid or not): more is no letter an operator writes, and each costs a row and a blob. */
export const MAX_DRAFT_FILES = 100;

type SentDraft = Extract<SendOutcome, { status: 'queued' }>;

export class DraftService {
  private readonly now: () => number;
  private readonly scanner: VirusScanner;

  constructor(private readonly deps: DraftServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.scanner = deps.scanner ?? noScanner;
  }

  /** The reply being written in this conversation (continued if one was left). */
  open(conversationId: number): DraftView {
    if (!this.deps.conversations.get(conversationId)) throw new AppError('not_found', `There is no conversation ${conversationId}.`);
    return this.view(this.deps.drafts.replyDraft(conversationId, this.now()).id);
  }

  /** The new-message window's draft to this client through this channel. */
  openOutgoing(clientId: number, channelId: string): DraftView {
    if (!this.deps.clients.get(clientId)) throw new AppError('not_found', `There is no client ${clientId}.`);
    if (!this.deps.channels.some((c) => c.id === channelId)) throw new AppError('not_found', `The channel "${channelId}" is not configured.`);
    return this.view(this.deps.drafts.outgoingDraft(clientId, channelId, this.now()).id);
  }

  /** What the operator typed; subject and BCC belong to outgoing drafts (a reply keeps the thread's). */
  update(draftId: number, changes: DraftChanges): DraftView {
    const draft = this.draft(draftId);
    if (draft.kind === 'reply' && (changes.subject !== undefined || changes.bcc !== undefined)) {
      throw new AppError('invalid_input', 'A reply takes its subject from the conversation and has no BCC.');
    }
    this.deps.drafts.update(draftId, changes, this.now());
    this.noteWriting(draftId);
    return this.view(draftId);
  }

  /** Where the reply goes, when the client's mail offers two addresses: one of those two, nothing else. */
  chooseRecipient(draftId: number, address: string): DraftView {
    const draft = this.draft(draftId);
    if (draft.kind !== 'reply') throw new AppError('invalid_input', 'A new message goes to the client’s address; there is nothing to choose.');
    this.deps.drafts.chooseRecipient(draftId, chosenAddress(this.recipient(draft).choice, address), this.now());
    return this.view(draftId);
  }

  /** The native open dialog (desktop app), allowed formats first; the browser host's page uploads instead. */
  async pickFiles(draftId: number): Promise<DraftView> {
    const { dialogs, rules, lang } = this.deps;
    if (!dialogs) throw new AppError('invalid_input', 'Files are attached with the page’s own file chooser here.');
    return this.attachPaths(draftId, await dialogs.openFiles(attachmentFilters(rules, lang ?? 'en')));
  }

  /** A file the page holds (dropped or pasted in the desktop app), as its bytes. */
  attachBytes(draftId: number, name: string, bytes: Uint8Array): Promise<DraftView> {
    return this.attachStream(draftId, name, Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]));
  }

  /** Files the operator chose in the native dialog (desktop app). */
  async attachPaths(draftId: number, files: string[]): Promise<DraftView> {
    this.makeRoom(draftId, files.length);
    const attachedAt = this.now();
    for (const file of files) {
      const size = await stat(file).then((s) => s.size, () => null);
      // Over the limit: listed with its hint, and not a byte read (a 2 GB file costs nothing).
      if (size !== null && size > this.deps.rules.maxFileSize) this.addOversized(draftId, path.basename(file), size, attachedAt);
      else await this.attach(draftId, path.basename(file), createReadStream(file), attachedAt);
    }
    this.noteWriting(draftId);
    return this.view(draftId);
  }

  /**
   * A file the page would send but that is over the per-file limit (the browser host refuses
   * its upload before reading it): only its name, size and reason are kept, as for any refused
   * file, so the operator sees it in the list with its hint.
   */
  attachOversized(draftId: number, name: string, size: number): DraftView {
    this.makeRoom(draftId, 1);
    if (size <= this.deps.rules.maxFileSize) throw new AppError('invalid_input', `${name} is within the limit for one file: send its bytes.`);
    this.addOversized(draftId, name, size, this.now());
    this.noteWriting(draftId);
    return this.view(draftId);
  }

  /** A file the page sent (browser host upload, drag and drop, paste). */
  async attachStream(draftId: number, name: string, source: NodeJS.ReadableStream): Promise<DraftView> {
    this.makeRoom(draftId, 1);
    await this.attach(draftId, name, source, this.now());
    this.noteWriting(draftId);
    return this.view(draftId);
  }

  remove(draftId: number, fileId: number): DraftView {
    this.draft(draftId);
    this.deps.drafts.removeFile(draftId, fileId);
    this.noteWriting(draftId);
    return this.view(draftId);
  }

  removeInvalid(draftId: number): DraftView {
    this.draft(draftId);
    this.deps.drafts.removeInvalid(draftId);
    this.noteWriting(draftId);
    return this.view(draftId);
  }

  /**
   * Files attached while the virus check was unavailable are scanned again: they wait, kept
   * with their bytes, until the scanner answers; a file it now finds infected loses its bytes
   * like any refused file.
   */
  async recheck(draftId: number): Promise<DraftView> {
    this.draft(draftId);
    for (const f of this.deps.drafts.files(draftId)) {
      if (f.problem?.code !== 'scan_unavailable' || !f.blobKey) continue;
      const problem = await this.judge(f.fileName, f.blobKey, f.size);
      this.deps.drafts.setFileProblem(f.id, problem, keepsBytes(problem) ? f.blobKey : null);
    }
    return this.view(draftId);
  }

  /**
   * Checks everything again, hands the message to the outbox and empties (or, for outgoing, ends)
   * the draft. `shownTo` is the recipient the page showed: if the message would now go elsewhere
   * (the client wrote again meanwhile, with another Reply-To), nothing is sent. A reply is held
   * back ('confirm') while another operator's claim is live or when the conversation changed since
   * the operator started writing, unless `anyway`.
   */
  async send(draftId: number, shownTo?: string, anyway = false): Promise<SendOutcome> {
    const draft = this.draft(draftId);
    await this.recheck(draftId);
    const files = this.deps.drafts.files(draftId);
    const check = checkMessage({ text: draft.text, files }, this.deps.rules);
    const waiting = files.find((f) => f.problem?.code === 'scan_unavailable');
    if (!check.canSend && waiting?.problem?.code === 'scan_unavailable') {
      throw new AppError('invalid_input', `The virus check is unavailable (${waiting.problem.reason}): the message waits until it is back.`, {
        reason: 'scan_unavailable',
      });
    }
    if (!check.canSend) throw new AppError('invalid_input', 'This message cannot be sent yet: see the hints beside its files.');
    for (const f of files) {
      if (!f.blobKey || !(await this.deps.blobs.has(f.blobKey))) {
        throw new AppError('invalid_input', `The file ${f.fileName} is no longer available; remove it and attach it again.`);
      }
    }
    // The order the operator sees, newest first, is for the list; the e-mail carries them as attached.
    const attachments = files.map((f) => ({ blobKey: f.blobKey!, fileName: f.fileName, mediaType: f.mediaType ?? outgoingMediaType(f.fileName), size: f.size }));
    if (draft.kind === 'outgoing') return this.sendOutgoing(draft, attachments, shownTo);
    const conversationId = draft.conversationId!;
    const guard = this.deps.guard;
    // A recipient that changed is refused outright (the page shows the new To line); the rest is the operator's call.
    this.recipientToSend(this.recipient(draft), shownTo);
    if (guard && !anyway) {
      const { replying, changes } = guard.check(conversationId, draft.baseMessageId);
      if (replying || changes.length > 0) return { status: 'confirm', replying, changes };
    }
    // One transaction: never a queued message whose draft is still there to be sent twice, and
    // the recipient read in it, so no mail stored meanwhile can change it unseen.
    const sent = this.deps.transaction((): SentDraft => {
      const to = this.recipientToSend(this.recipient(draft), shownTo);
      this.deps.drafts.clear(draftId, this.now());
      const messageId = this.deps.outbox.store({ conversationId, to, subject: '', text: draft.text, bcc: [], attachments, reply: true });
      return { status: 'queued', messageId, conversationId };
    });
    this.deps.outbox.announce(conversationId, sent.messageId);
    guard?.writing(conversationId, false);
    return sent;
  }

  /**
   * A reply the operator starts writing (text or a file) claims its conversation for the team
   * and remembers the newest message then, so Send can say what came after; emptied, it lets go.
   */
  private noteWriting(draftId: number): void {
    const draft = this.draft(draftId);
    if (draft.kind !== 'reply') return;
    const empty = draft.text.trim() === '' && this.deps.drafts.files(draftId).length === 0;
    if (empty === (draft.baseMessageId === null)) return;
    const conversationId = draft.conversationId!;
    this.deps.drafts.setBase(draftId, empty ? null : this.deps.messages.newestId(conversationId));
    this.deps.guard?.writing(conversationId, !empty);
  }

  /** The address to send to: the one the page showed, or a refusal saying where it would go now. */
  private recipientToSend({ to }: ReplyRecipient, shownTo: string | undefined): string {
    if (!to) throw new AppError('invalid_input', 'The client has no e-mail address to write to.');
    if (shownTo !== undefined && !sameAddress(shownTo, to.address)) {
      throw new AppError('invalid_input', `This message would now go to ${to.address}, not ${shownTo}. Check the To line and send again.`);
    }
    return to.address;
  }

  /** Where the draft goes: a reply by its client's last mail and the operator's choice; an outgoing message to the client. */
  private recipient(draft: DraftRow): ReplyRecipient {
    if (draft.kind === 'outgoing') {
      const client = this.deps.clients.get(draft.clientId!);
      return { to: client?.email ? { name: client.name, address: client.email } : null, choice: null };
    }
    const conversation = this.deps.conversations.get(draft.conversationId!);
    const client = conversation ? this.deps.clients.get(conversation.clientId) : undefined;
    return replyRecipient(this.deps.messages.lastIncoming(draft.conversationId!), client, draft.replyToChoice);
  }

  /**
   * A message the operator starts: it opens (or continues) the client's conversation on the
   * channel, which then waits under Completed until the client answers — or stays Active when
   * the client's mail in it waits (the window said so: DraftView.waiting).
   */
  private sendOutgoing(draft: DraftRow, attachments: Parameters<Outbox['store']>[0]['attachments'], shownTo: string | undefined): SentDraft {
    const client = this.deps.clients.get(draft.clientId!);
    if (!client) throw new AppError('not_found', `There is no client ${draft.clientId}.`);
    if (!client.email) throw new AppError('invalid_input', `${client.name} has no e-mail address to write to.`);
    const to = this.recipientToSend(this.recipient(draft), shownTo);
    const bcc = parseAddressList(draft.bcc.join(' '));
    if (bcc.invalid.length > 0) throw new AppError('invalid_input', `Not an e-mail address in BCC: ${bcc.invalid.join(', ')}`);
    const sent = this.deps.transaction((): SentDraft => {
      const conversationId = this.deps.conversations.ensure(client.id, draft.channelId!, this.now());
      settleAfterOutgoing(this.deps.conversations, conversationId);
      this.deps.drafts.delete(draft.id);
      const messageId = this.deps.outbox.store({ conversationId, to, subject: draft.subject, text: draft.text, bcc: bcc.addresses, attachments, reply: false });
      return { status: 'queued', messageId, conversationId };
    });
    // Announced once committed, conversation settled and all: no list shows it in the wrong tab.
    this.deps.outbox.announce(sent.conversationId, sent.messageId);
    return sent;
  }

  /**
   * Edit: an unsent message goes back into its draft — a reply into its conversation's, a new
   * message into the new-message window's for that client and channel — and is taken out of the
   * outbox. The draft must be empty: nothing the operator is writing is overwritten.
   */
  async restore(messageId: number): Promise<RestoredDraft> {
    const row = this.deps.messages.outgoing(messageId);
    const kind = this.deps.messages.get(messageId)?.kind;
    const conversation = row && this.deps.conversations.get(row.conversationId);
    if (!row || !conversation) throw new AppError('not_found', `There is no outgoing message ${messageId}.`);
    const now = this.now();
    const draft = kind === 'new' ? this.deps.drafts.outgoingDraft(conversation.clientId, conversation.channelId, now) : this.deps.drafts.replyDraft(conversation.id, now);
    if (draft.text.trim() !== '' || this.deps.drafts.files(draft.id).length > 0) {
      throw new AppError('invalid_input', this.deps.t('outbox.editDraftNotEmpty'));
    }
    // Checked again as any attached file is: the rules may have changed since it was sent.
    const files: Array<OutgoingRow['attachments'][number] & { problem: FileProblem | null }> = [];
    for (const a of row.attachments) files.push({ ...a, problem: await this.judge(a.fileName, a.blobKey, a.size) });
    this.deps.transaction(() => {
      this.deps.outbox.cancel(messageId);
      this.deps.drafts.update(draft.id, { text: row.text ?? '', ...(draft.kind === 'outgoing' ? { subject: row.subject, bcc: row.bcc } : {}) }, now);
      for (const f of files) {
        this.deps.drafts.addFile(draft.id, { fileName: f.fileName, mediaType: f.mediaType, size: f.size, blobKey: keepsBytes(f.problem) ? f.blobKey : null, problem: f.problem, attachedAt: now });
      }
    });
    this.noteWriting(draft.id);
    return draft.kind === 'outgoing' ? { kind: 'outgoing', clientId: conversation.clientId, channelId: conversation.channelId } : { kind: 'reply', conversationId: conversation.id };
  }

  /** The channel a draft goes through: a reply's conversation's, or the one the new-message window chose. */
  channelOf(draft: DraftRow): string | null {
    return draft.kind === 'reply' ? (this.deps.conversations.get(draft.conversationId!)?.channelId ?? null) : draft.channelId;
  }

  /** A template's files, attached as any file is (checked by the one policy; a missing one is listed with why). */
  async attachTemplateFiles(draftId: number, files: Array<{ fileName: string; path?: string; blobKey?: string }>): Promise<DraftView> {
    this.makeRoom(draftId, files.length);
    const paths = files.flatMap((f) => (f.path ? [f.path] : []));
    if (paths.length > 0) await this.attachPaths(draftId, paths);
    for (const f of files) {
      if (f.blobKey) await this.attach(draftId, f.fileName, this.deps.blobs.open(f.blobKey), this.now());
    }
    this.noteWriting(draftId);
    return this.view(draftId);
  }

  /** What a draft would make a template of: its text and its valid files. */
  templateOf(draftId: number): { channelId: string | null; text: string; files: Array<{ fileName: string; mediaType: string; blobKey: string }> } {
    const draft = this.draft(draftId);
    const files = this.deps.drafts.files(draftId).filter((f) => f.problem === null && f.blobKey !== null);
    return {
      channelId: this.channelOf(draft),
      text: draft.text,
      files: files.map((f) => ({ fileName: f.fileName, mediaType: f.mediaType ?? outgoingMediaType(f.fileName), blobKey: f.blobKey! })),
    };
  }

  view(draftId: number): DraftView {
    const draft = this.draft(draftId);
    const files = this.deps.drafts.files(draftId);
    const { to, choice } = this.recipient(draft);
    const sorted = sortAttachments(files.map((f) => ({ ...f, seq: f.id })));
    const channelId = this.channelOf(draft);
    return {
      id: draft.id,
      kind: draft.kind,
      conversationId: draft.conversationId,
      clientId: draft.clientId,
      channelId: draft.channelId,
      subject: draft.subject,
      bcc: draft.bcc,
      text: draft.text,
      recipient: to,
      replyToChoice: choice,
      signature: (channelId && this.deps.signatureFor?.(channelId)) || null,
      quote: draft.kind === 'reply' ? quoteOf(this.deps.messages.lastIncoming(draft.conversationId!), this.deps.t, this.deps.lang ?? 'en') : null,
      waiting: this.waitingMail(draft),
      files: sorted.map(({ id, fileName, size, problem, attachedAt }) => ({ id, fileName, size, problem, attachedAt })),
      check: checkMessage({ text: draft.text, files }, this.deps.rules),
    };
  }

  /** Outgoing only: the client's mail that waits in the conversation the message joins (it then stays Active). */
  private waitingMail(draft: DraftRow): DraftView['waiting'] {
    if (draft.kind !== 'outgoing') return null;
    const conversationId = this.deps.conversations.find(draft.clientId!, draft.channelId!);
    return conversationId === undefined ? null : this.deps.conversations.waitingMail(conversationId);
  }

  /** Refuses the whole batch, before a byte is read, when it would take the draft past MAX_DRAFT_FILES. */
  private makeRoom(draftId: number, adding: number): void {
    this.draft(draftId);
    const count = this.deps.drafts.files(draftId).length;
    if (count + adding <= MAX_DRAFT_FILES) return;
    const limit = MAX_DRAFT_FILES;
    const message = count >= limit ? this.deps.t('drafts.full', { limit }) : this.deps.t('drafts.tooMany', { limit, count, room: limit - count });
    throw new AppError('invalid_input', message);
  }

  private draft(id: number) {
    const draft = this.deps.drafts.get(id);
    if (!draft) throw new AppError('not_found', `There is no draft ${id}.`);
    return draft;
  }

  private addOversized(draftId: number, rawName: string, size: number, attachedAt: number): void {
    const fileName = diskName(rawName);
    const problem = checkOversized({ name: fileName, size }, this.deps.rules);
    this.deps.drafts.addFile(draftId, { fileName, mediaType: outgoingMediaType(fileName), size, blobKey: null, problem, attachedAt });
  }

  private async attach(draftId: number, rawName: string, source: NodeJS.ReadableStream, attachedAt: number): Promise<void> {
    this.draft(draftId);
    const fileName = diskName(rawName);
    let size = 0;
    let blobKey: string | null = null;
    let problem: FileProblem | null;
    try {
      const stored = await this.deps.blobs.put(source);
      ({ key: blobKey, size } = stored);
      problem = await this.judge(fileName, stored.key, size);
    } catch (error) {
      problem = checkFile({ name: fileName, size, content: null, readError: (error as NodeJS.ErrnoException).code ?? (error as Error).message }, this.deps.rules);
    }
    this.deps.drafts.addFile(draftId, {
      fileName,
      mediaType: outgoingMediaType(fileName),
      size,
      blobKey: keepsBytes(problem) ? blobKey : null,
      problem,
      attachedAt,
    });
  }

  /** The policy's verdict on stored bytes: what they really are (the whole file is read) and the virus scan. */
  private async judge(fileName: string, blobKey: string, size: number): Promise<FileProblem | null> {
    const content = await inspectFile(this.deps.blobs.pathOf(blobKey));
    const scan = size > 0 ? await this.scanner.scan(() => this.deps.blobs.open(blobKey)) : undefined;
    return checkFile({ name: fileName, size, content, scan }, this.deps.rules);
  }
}

/** A valid file keeps its bytes, and so does one that only waits for the virus check; a refused one keeps its name and reason. */
function keepsBytes(problem: FileProblem | null): boolean {
  return problem === null || problem.code === 'scan_unavailable';
}
