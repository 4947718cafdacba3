// Everything the main process does, assembled from plain Node parts. Electron's main and the
// browser host both call openServices(); neither adds behaviour of its own.
// Over 300 lines: it is the composition root, only construction and wiring; splitting it would
// hide the order in which the parts depend on each other.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../common/lang';
import { translator } from '../common/i18n';
import type { Config } from './config/schema';
import { EventBus } from './events';
import { AttachmentExport } from './files/attachment-export';
import { BlobStore, SWEEP_GRACE_MS } from './files/blob-store';
import { DocxPreviews } from './files/docx-preview';
import { SaveService } from './files/save-service';
import { IncomingChecks } from './files/incoming-checks';
import { scannerFor } from './files/virus-scanner';
import { ClientService } from './clients/client-service';
import { DraftService } from './compose/draft-service';
import { Templates } from './compose/templates';
import { DraftsRepo } from './store/drafts-repo';
import type { AppUpdater, Dialogs, OriginMarker, SaveDialogs, Shell } from './host/ports';
import { UpdateInstall } from './host/update-install';
import { originMarkerFor } from './host/origin-marks';
import { AttachmentsRepo } from './store/attachments-repo';
import { ClientSearch } from './store/client-search-repo';
import { ChannelMonitor } from './mail/channel-monitor';
import { Ingest } from './mail/ingest';
import { ScanPool } from './mail/scan-pool';
import { openLogFile, type LogFile } from './log/logger';
import { MailEngine } from './mail/mail-engine';
import { Outbox, type RetryPolicy } from './mail/outbox';
import { RemoteImages } from './mail/remote-images';
import { WholeTextReader } from './mail/whole-text';
import { ChannelsRepo } from './store/channels-repo';
import { ClientsRepo } from './store/clients-repo';
import { ConversationsRepo } from './store/conversations-repo';
import { openDatabase, type Db } from './store/database';
import { referencedBlobKeys } from './store/blob-references';
import { MessagesRepo } from './store/messages-repo';
import { SyncStateRepo } from './store/sync-state-repo';
import { transactionOf } from './store/unit-of-work';
import { AppStateRepo } from './store/app-state-repo';
import { DeskSettings } from './desk-settings';
import { Desk } from './desk';
import { History } from './history/history';
import { Links } from './host/links';
import { TeamRepo } from './store/team-repo';
import { osOperatorName } from './host/operator-name';
import { ConversationService } from './conversations/conversation-service';
import { AnswerFiling } from './team/answer-filing';
import { Claims } from './team/claims';
import { InboxMarks } from './team/inbox-marks';
import { canCompareAndSet } from './team/keywords';
import { ReplyGuard } from './team/reply-guard';
import { SentCopies } from './team/sent-copies';
import { TeamEngine } from './team/team-engine';

export interface ServiceOptions {
  config: Config;
  dataDir: string;
  lang: Lang;
  version: string;
  /** better-sqlite3 built for this runtime when node_modules holds another's (main/app/native-binding.ts). */
  sqliteBinding?: string;
  /** Connect to the channels (IMAP sync, outbox) at start; off where only the store is wanted. */
  startMail?: boolean;
  /** Reconnect delays of the IMAP sync; the defaults suit real servers, tests shorten them. */
  syncBackoff?: { firstMs: number; maxMs: number };
  /** Retry delays of the outbox; likewise. */
  sendRetry?: Partial<RetryPolicy>;
  /** How long reading one incoming message may take before it is stored as it arrived (see Ingest). */
  readBudgetMs?: number;
  /** How the host asks where to save files (see SaveDialogs); none in the browser host. */
  saveDialogs?: SaveDialogs;
  /** The native open dialog (desktop app); the browser host's page uploads files instead. */
  fileDialogs?: Dialogs;
  /** How saved files are marked as coming from outside; the platform's own by default. */
  originMarker?: OriginMarker;
  /** Opens a mail's link the operator confirmed (desktop app); the browser host's page opens a tab instead. */
  shell?: Shell;
  /** The desktop app's updates (Restart to update); the browser host has none. */
  updater?: AppUpdater;
  /** The team's timing: how often a desk's heartbeat is replaced, and when a quiet desk's claims are stale. */
  team?: Partial<TeamTiming>;
  /** Test-only: called when the SMTP server accepted a message and that is recorded, before its Sent-folder copy. */
  afterSentAccepted?: () => void;
}

export interface TeamTiming {
  heartbeatMs: number;
  staleMs: number;
}

/** A heartbeat every half minute; a desk not heard of for three of them has gone quiet. */
export const TEAM_TIMING: TeamTiming = { heartbeatMs: 30_000, staleMs: 90_000 };

export interface Services {
  config: Config;
  /** Main's log file (logs/postdesk.log under the data dir). */
  log: LogFile;
  lang: Lang;
  version: string;
  db: Db;
  blobs: BlobStore;
  events: EventBus;
  clients: ClientsRepo;
  conversations: ConversationsRepo;
  /** The conversation list and its verbs as the page sees them (claims added, Complete shared). */
  conversationService: ConversationService;
  messages: MessagesRepo;
  channels: ChannelMonitor;
  /** Who is at this desk, as the team sees it. */
  identity: { id: string; operator: string };
  /** What the page starts with, and the operator's own settings. */
  desk: Desk;
  /** A conversation's history in pages, each message as the history shows it. */
  history: History;
  /** Links from mail the operator confirmed (desktop app). */
  links: Links;
  /** Restart to update (desktop app). */
  updateInstall: UpdateInstall;
  /** The operator's own settings on this desk. */
  settings: DeskSettings;
  team: TeamEngine;
  claims: Claims;
  sentCopies: SentCopies;
  ingest: Ingest;
  mail: MailEngine;
  outbox: Outbox;
  wholeText: WholeTextReader;
  attachments: AttachmentsRepo;
  exporter: AttachmentExport;
  saving: SaveService;
  /** Word documents as HTML for the viewer. */
  previews: DocxPreviews;
  /** What received files really are and what the virus scanner says of them. */
  checks: IncomingChecks;
  drafts: DraftService;
  clientSearch: ClientSearch;
  clientService: ClientService;
  /** Saved replies: the config's, and each team channel's shared ones. */
  templates: Templates;
  fileDialogs: Dialogs | undefined;
  shell: Shell | undefined;
  remoteImages: RemoteImages;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'postdesk.sqlite';

/** What goes under every message from this desk through `channel`: the operator's lines, then the channel's. */
function signatureFor(settings: DeskSettings, channel: { signature?: string } | undefined): string {
  return [settings.signature, channel?.signature ?? ''].map((s) => s.trim()).filter(Boolean).join('\n');
}

export async function openServices(options: ServiceOptions): Promise<Services> {
  const { config, dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(path.join(dataDir, DATABASE_FILE), options.sqliteBinding);
  const blobs = new BlobStore(path.join(dataDir, 'blobs'));
  await blobs.init();
  new ChannelsRepo(db).syncFromConfig(config.channels);

  const transaction = transactionOf(db);
  const events = new EventBus();
  const clients = new ClientsRepo(db);
  const conversations = new ConversationsRepo(db);
  const messages = new MessagesRepo(db);
  const attachments = new AttachmentsRepo(db);
  blobs.deriveFrom((key) => attachments.derivedBlob(key));
  const syncState = new SyncStateRepo(db);
  const teamRepo = new TeamRepo(db);
  const appState = new AppStateRepo(db);
  const settings = new DeskSettings(appState, config.operator.signature);
  const signatureOf = (channelId: string) => signatureFor(settings, config.channels.find((c) => c.id === channelId));
  const desk = { id: appState.deskId(), operator: config.operator.name ?? osOperatorName() };
  const timing = { ...TEAM_TIMING, ...options.team };
  const logFile = openLogFile(path.join(dataDir, 'logs'));
  const log = (message: string, error: unknown) => logFile.warn(message, error);
  const channels = new ChannelMonitor(config.channels, events);
  const scans = new ScanPool();
  const ingest = new Ingest({
    blobs,
    events,
    clients,
    conversations,
    messages,
    transaction,
    channels: config.channels,
    readBudgetMs: options.readBudgetMs,
    plain: (source) => scans.scan(source),
  });
  const inboxOf = (channelId: string) => config.channels.find((c) => c.id === channelId)?.imap.mailbox ?? 'INBOX';
  const marks = new InboxMarks({
    team: teamRepo,
    conversations,
    syncState,
    events,
    transaction,
    wake: (id) => mail.sync(id)?.requestSync(),
    claimsChanged: (id) => claims.changed(id),
  });
  const mail: MailEngine = new MailEngine(config.channels, {
    ingest,
    syncState,
    monitor: channels,
    backoff: options.syncBackoff,
    flags: marks,
    onNewUidValidity: ({ channelId }) => teamRepo.forgetUids(channelId),
    onOpen: (channelId, client) => {
      channels.setClaims(channelId, canCompareAndSet(client) ? 'shared' : 'unavailable');
      claims.reconnected(channelId);
    },
  });
  const team: TeamEngine = new TeamEngine(config.channels, {
    filing: new AnswerFiling({ ingest, messages, transaction, clients, conversations, events }),
    syncState,
    monitor: channels,
    deskId: desk.id,
    operator: desk.operator,
    heartbeatMs: timing.heartbeatMs,
    staleMs: timing.staleMs,
    slots: {
      saved: (channelId) => {
        const slot = appState.get(`desk_slot:${channelId}`);
        return slot === undefined ? null : Number(slot);
      },
      save: (channelId, slot) => appState.set(`desk_slot:${channelId}`, String(slot)),
    },
    backoff: options.syncBackoff,
    onDesksChange: (channelId) => claims.changed(channelId),
    onSentOpen: (channelId) => void sentCopies.flush(channelId),
  });
  const claims: Claims = new Claims({
    team: teamRepo,
    conversations,
    events,
    deskId: desk.id,
    syncOf: (id) => mail.sync(id),
    uidValidityOf: (id) => syncState.get(id, inboxOf(id)).uidValidity,
    boardOf: (id) => team.board(id),
    staleMs: timing.staleMs,
  });
  const sentCopies: SentCopies = new SentCopies({ messages, blobs, sentFolderOf: (id) => team.sentFolder(id), log });
  const outbox = new Outbox({
    messages,
    transaction,
    conversations,
    blobs,
    events,
    channels: config.channels,
    retry: options.sendRetry,
    sender: { operator: desk.operator, deskId: desk.id, showNameToClients: config.operator.showNameToClients },
    sentCopies,
    onAttempt: (channelId, problem) => channels.sendOutcome(channelId, problem),
    signatureFor: signatureOf,
    t: translator(options.lang),
    lang: options.lang,
    afterAccepted: options.afterSentAccepted,
    log,
  });
  const guard = new ReplyGuard({ claims, messages, deskId: desk.id, log });
  const exporter = new AttachmentExport({ blobs, attachments });
  const scanner = scannerFor(config.scan);
  const checks = new IncomingChecks({
    attachments,
    conversationOf: (messageId) => messages.get(messageId)?.conversationId,
    blobs,
    events,
    scanner,
    log,
  });
  const saving = new SaveService({
    exporter,
    attachments,
    messages,
    events,
    modes: config.downloads,
    dialogs: options.saveDialogs ?? {},
    checks,
    marker: options.originMarker ?? originMarkerFor(process.platform),
    clientNameOf: (conversationId) => conversations.clientName(conversationId),
  });
  const conversationService = new ConversationService({ conversations, marks, claims, events });
  const drafts = new DraftService({
    drafts: new DraftsRepo(db),
    blobs,
    outbox,
    rules: config.attachments,
    scanner,
    clients,
    conversations,
    messages,
    channels: config.channels,
    transaction,
    t: translator(options.lang),
    guard,
    signatureFor: signatureOf,
    lang: options.lang,
    dialogs: options.fileDialogs,
  });
  checks.start();
  if (options.startMail !== false) {
    mail.start();
    team.start();
    outbox.start();
  }
  // Replies left half-written by the last run are still being written: their claims are made again.
  for (const conversationId of new DraftsRepo(db).replyingConversations()) guard.writing(conversationId, true);
  // Once per start, in the background: bytes nothing refers to any more (files removed from
  // drafts, files that broke a rule) would otherwise fill the disk over months.
  const referenced = referencedBlobKeys(db);
  const sweeping = blobs
    .sweep((key) => referenced.has(key), new Date(Date.now() - SWEEP_GRACE_MS))
    .catch((error: unknown) => log('sweeping unused attachment files failed', error));

  return {
    config,
    log: logFile,
    lang: options.lang,
    version: options.version,
    db,
    blobs,
    events,
    clients,
    conversations,
    conversationService,
    messages,
    channels,
    identity: desk,
    desk: new Desk({ version: options.version, lang: options.lang, rules: config.attachments, settings, unread: () => conversationService.unreadCount() }),
    history: new History({ messages, conversations: conversationService, outbox, saving }),
    links: new Links(options.shell),
    updateInstall: new UpdateInstall(options.updater),
    settings,
    team,
    claims,
    sentCopies,
    ingest,
    mail,
    outbox,
    wholeText: new WholeTextReader({ blobs, messages }),
    attachments,
    exporter,
    saving,
    previews: new DocxPreviews({ attachments, blobs, checks }),
    checks,
    drafts,
    clientSearch: new ClientSearch(db),
    clientService: new ClientService(clients, transaction),
    templates: new Templates({ templates: config.templates, channels: config.channels, blobs, drafts }),
    fileDialogs: options.fileDialogs,
    shell: options.shell,
    remoteImages: new RemoteImages({ htmlOf: (id) => messages.get(id)?.html }),
    async close() {
      // Claims end while the INBOX is still there to take their keywords away; the heartbeat goes with the board.
      await claims.stop();
      await Promise.all([outbox.stop(), sweeping]);
      await sentCopies.settled();
      await Promise.all([team.stop(), mail.stop()]);
      await Promise.all([checks.stop(), scans.close()]);
      db.close();
      await logFile.close();
    },
  };
}
