// Everything the main process does, assembled from plain Node parts. Electron's main and the
// browser host both call openServices(); neither adds behaviour of its own.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../preload/contract';
import type { Config } from './config/schema';
import { EventBus } from './events';
import { AttachmentExport } from './files/attachment-export';
import { BlobStore } from './files/blob-store';
import { SaveService } from './files/save-service';
import { ClientService } from './clients/client-service';
import { DraftService } from './compose/draft-service';
import { DraftsRepo } from './store/drafts-repo';
import type { Dialogs, SaveDialogs } from './host/ports';
import { AttachmentsRepo } from './store/attachments-repo';
import { ClientSearch } from './store/client-search-repo';
import { ChannelMonitor } from './mail/channel-monitor';
import { Ingest } from './mail/ingest';
import { MailEngine } from './mail/mail-engine';
import { Outbox, type RetryPolicy } from './mail/outbox';
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
  /** How the host asks where to save files (see SaveDialogs); none in the browser host. */
  saveDialogs?: SaveDialogs;
  /** The native open dialog (desktop app); the browser host's page uploads files instead. */
  fileDialogs?: Dialogs;
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
  drafts: DraftService;
  clientSearch: ClientSearch;
  clientService: ClientService;
  fileDialogs: Dialogs | undefined;
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
  const ingest = new Ingest({ blobs, events, clients, conversations, messages });
  const mail = new MailEngine(config.channels, {
    ingest,
    syncState: new SyncStateRepo(db),
    monitor: channels,
    backoff: options.syncBackoff,
  });
  const outbox = new Outbox({ messages, conversations, clients, blobs, events, channels: config.channels, retry: options.sendRetry });
  const attachments = new AttachmentsRepo(db);
  const exporter = new AttachmentExport({ blobs, attachments });
  const saving = new SaveService({
    exporter,
    attachments,
    messages,
    blobs,
    events,
    modes: config.downloads,
    dialogs: options.saveDialogs ?? {},
    clientNameOf: (conversationId) => conversations.clientName(conversationId),
  });
  const drafts = new DraftService({
    drafts: new DraftsRepo(db),
    blobs,
    outbox,
    rules: config.attachments,
    clients,
    conversations,
    channels: config.channels,
    transaction,
  });
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
    drafts,
    clientSearch: new ClientSearch(db),
    clientService: new ClientService(clients, transaction),
    fileDialogs: options.fileDialogs,
    async close() {
      await Promise.all([mail.stop(), outbox.stop(), sweeping]);
      db.close();
    },
  };
}
