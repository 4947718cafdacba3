// Everything the main process does, assembled from plain Node parts. Electron's main and the
// browser host both call openServices(); neither adds behaviour of its own.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../preload/contract';
import type { Config } from './config/schema';
import { EventBus } from './events';
import { BlobStore } from './files/blob-store';
import { ChannelMonitor } from './mail/channel-monitor';
import { ChannelsRepo } from './store/channels-repo';
import { ClientsRepo } from './store/clients-repo';
import { ConversationsRepo } from './store/conversations-repo';
import { openDatabase, type Db } from './store/database';

export interface ServiceOptions {
  config: Config;
  dataDir: string;
  lang: Lang;
  version: string;
  /** Check every channel's login at start; off in tests that only look at the store. */
  checkChannels?: boolean;
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
  channels: ChannelMonitor;
  close(): void;
}

export const DATABASE_FILE = 'postdesk.sqlite';

export async function openServices(options: ServiceOptions): Promise<Services> {
  const { config, dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(path.join(dataDir, DATABASE_FILE));
  const blobs = new BlobStore(path.join(dataDir, 'blobs'));
  await blobs.init();
  new ChannelsRepo(db).syncFromConfig(config.channels);
  const events = new EventBus();
  const channels = new ChannelMonitor(config.channels, events);
  if (options.checkChannels !== false) {
    for (const c of config.channels) void channels.check(c.id);
  }
  return {
    config,
    lang: options.lang,
    version: options.version,
    db,
    blobs,
    events,
    clients: new ClientsRepo(db),
    conversations: new ConversationsRepo(db),
    channels,
    close: () => db.close(),
  };
}
