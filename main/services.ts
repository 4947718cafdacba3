// Everything the main process does, assembled from plain Node parts. Electron's main and the
// browser host both call openServices(); neither adds behaviour of its own.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../preload/contract';
import { translator } from '../common/i18n';
import type { Config } from './config/schema';
import { EventBus } from './events';
import { AttachmentExport } from './files/attachment-export';
import { BlobStore } from './files/blob-store';
import { SaveService } from './files/save-service';
import { IncomingChecks } from './files/incoming-checks';
import { scannerFor } from './files/virus-scanner';
import { ClientService } from './clients/client-service';
import { DraftService } from './compose/draft-service';
import { DraftsRepo } from './store/drafts-repo';
import type { Dialogs, OriginMarker, SaveDialogs, Shell } from './host/ports';
import { originMarkerFor } from './host/origin-marks';
import { AttachmentsRepo } from './store/attachments-repo';
import { ClientSearch } from './store/client-search-repo';
import { ChannelMonitor } from './mail/channel-monitor';
import { Ingest } from './mail/ingest';
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

export interface ServiceOptions {
  config: Config;
  dataDir: string;
  lang: Lang;
  version: string;
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
}

export interface Services {
  config: Config;
  lang: Lang;
  version: string;
  db: Db;
  blobs: BlobStore;
  events: EventBus;
  clients: ClientsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  channels: ChannelMonitor;
  ingest: Ingest;
  mail: MailEngine;
  outbox: Outbox;
  wholeText: WholeTextReader;
  attachments: AttachmentsRepo;
  exporter: AttachmentExport;
  saving: SaveService;
  /** What received files really are and what the virus scanner says of them. */
  checks: IncomingChecks;
  drafts: DraftService;
  clientSearch: ClientSearch;
  clientService: ClientService;
  fileDialogs: Dialogs | undefined;
  shell: Shell | undefined;
  remoteImages: RemoteImages;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'postdesk.sqlite';

/** A blob younger than this may belong to a write whose row is not committed yet. */
const BLOB_SWEEP_GRACE_MS = 60 * 60_000;

export async function openServices(options: ServiceOptions): Promise<Services> {
  const { config, dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(path.join(dataDir, DATABASE_FILE));
  const blobs = new BlobStore(path.join(dataDir, 'blobs'));
  await blobs.init();
  new ChannelsRepo(db).syncFromConfig(config.channels);

  /** Several writes as one; nested calls join the outer transaction. */
  const transaction = <T>(work: () => T): T => db.transaction(work)();
  const events = new EventBus();
  const clients = new ClientsRepo(db);
  const conversations = new ConversationsRepo(db);
  const messages = new MessagesRepo(db);
  const channels = new ChannelMonitor(config.channels, events);
  const ingest = new Ingest({ blobs, events, clients, conversations, messages, channels: config.channels, readBudgetMs: options.readBudgetMs });
  const mail = new MailEngine(config.channels, {
    ingest,
    syncState: new SyncStateRepo(db),
    monitor: channels,
    backoff: options.syncBackoff,
  });
  const outbox = new Outbox({ messages, conversations, blobs, events, channels: config.channels, retry: options.sendRetry });
  const attachments = new AttachmentsRepo(db);
  const exporter = new AttachmentExport({ blobs, attachments });
  const scanner = scannerFor(config.scan);
  const checks = new IncomingChecks({
    attachments,
    conversationOf: (messageId) => messages.get(messageId)?.conversationId,
    blobs,
    events,
    scanner,
  });
  const saving = new SaveService({
    exporter,
    attachments,
    messages,
    blobs,
    events,
    modes: config.downloads,
    dialogs: options.saveDialogs ?? {},
    checks,
    marker: options.originMarker ?? originMarkerFor(process.platform),
    clientNameOf: (conversationId) => conversations.clientName(conversationId),
  });
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
  });
  checks.start();
  if (options.startMail !== false) {
    mail.start();
    outbox.start();
  }
  // Once per start, in the background: bytes nothing refers to any more (files removed from
  // drafts, files that broke a rule) would otherwise fill the disk over months.
  const referenced = referencedBlobKeys(db);
  const sweeping = blobs
    .sweep((key) => referenced.has(key), new Date(Date.now() - BLOB_SWEEP_GRACE_MS))
    .catch((error: unknown) => console.warn('[postdesk] sweeping unused attachment files failed:', error));

  return {
    config,
    lang: options.lang,
    version: options.version,
    db,
    blobs,
    events,
    clients,
    conversations,
    messages,
    channels,
    ingest,
    mail,
    outbox,
    wholeText: new WholeTextReader({ blobs, messages }),
    attachments,
    exporter,
    saving,
    checks,
    drafts,
    clientSearch: new ClientSearch(db),
    clientService: new ClientService(clients, transaction),
    fileDialogs: options.fileDialogs,
    shell: options.shell,
    remoteImages: new RemoteImages({ htmlOf: (id) => messages.get(id)?.html }),
    async close() {
      await Promise.all([mail.stop(), outbox.stop(), sweeping]);
      await checks.stop();
      db.close();
    },
  };
}
