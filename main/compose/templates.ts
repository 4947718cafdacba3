// Saved replies (templates): text the operator inserts into a message, with files it may attach.
// The administrator's live in the config file; where a channel is worked by a team (it has a
// Sent folder), the team's own live on the mail server, one message each in the channel's
// "Postdesk Templates" folder — its subject the name, its text the text, its attachments the
// files — so every desk has the same ones and any operator can add one.
import { Readable } from 'node:stream';
import type { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { DraftView, TemplateSummary } from '../../common/domain/draft';
import type { ChannelConfig, TemplateConfig } from '../config/schema';
import type { DraftService } from './draft-service';
import { AppError } from '../errors';
import type { BlobStore } from '../files/blob-store';
import { createImapClient } from '../mail/imap-client';
import { parseMessage } from '../mail/parse-message';
import { fetchEach } from '../mail/uid-ranges';

export const TEMPLATES_FOLDER = 'Postdesk Templates';
/** A template is a few lines and a few files; anything bigger in the folder is not read. */
const MAX_TEMPLATE_MESSAGE = 40 * 1024 * 1024;

export interface Template {
  id: string;
  name: string;
  text: string;
  /** The files it attaches: a config template's by path, a shared one's as blobs read from its message. */
  files: Array<{ fileName: string; path?: string; blobKey?: string }>;
  shared: boolean;
}

export interface TemplatesDeps {
  templates: readonly TemplateConfig[];
  channels: readonly ChannelConfig[];
  blobs: BlobStore;
  /** The drafts templates go into and are made from. */
  drafts: Pick<DraftService, 'templateOf' | 'attachTemplateFiles'>;
  env?: NodeJS.ProcessEnv;
}

export class Templates {
  /** Shared templates already read, by folder (channel and UIDVALIDITY) and UID: each message is read once. */
  private readonly read = new Map<string, Template>();

  constructor(private readonly deps: TemplatesDeps) {}

  /** Insert template: what this draft may use, as the picker lists it. */
  async listFor(draftId: number): Promise<TemplateSummary[]> {
    const templates = await this.list(this.deps.drafts.templateOf(draftId).channelId);
    return templates.map(({ id, name, text, files, shared }) => ({ id, name, text, shared, files: files.map((f) => f.fileName) }));
  }

  /** The template's files into the draft (the page puts its text where the cursor is). */
  async attachTo(draftId: number, templateId: string): Promise<DraftView> {
    const template = await this.get(this.deps.drafts.templateOf(draftId).channelId, templateId);
    return this.deps.drafts.attachTemplateFiles(draftId, template.files);
  }

  /** Saves the draft's text and valid files as a template of its channel, for the whole team. */
  async saveFrom(draftId: number, name: string): Promise<void> {
    const { channelId, text, files } = this.deps.drafts.templateOf(draftId);
    if (channelId === null) throw new AppError('invalid_input', 'This draft has no channel yet.');
    await this.save(channelId, { name, text, files });
  }

  /** The config's templates, then the team's of the channel (when it has a shared folder), by name. */
  async list(channelId: string | null): Promise<Template[]> {
    const own: Template[] = this.deps.templates.map((t, i) => ({
      id: `config:${i}`,
      name: t.name,
      text: t.text,
      files: t.files.map((p) => ({ fileName: p.split(/[\\/]/).pop()!, path: p })),
      shared: false,
    }));
    const channel = this.teamChannel(channelId);
    const shared = channel ? await this.readFolder(channel) : [];
    return [...own, ...shared].sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(channelId: string | null, id: string): Promise<Template> {
    const template = (await this.list(channelId)).find((t) => t.id === id);
    if (!template) throw new AppError('not_found', `There is no template ${id}.`);
    return template;
  }

  /** Saves a message as a shared template of the channel (only where the team has a shared folder). */
  async save(channelId: string, template: { name: string; text: string; files: Array<{ fileName: string; mediaType: string; blobKey: string }> }): Promise<void> {
    const channel = this.teamChannel(channelId);
    if (!channel) throw new AppError('invalid_input', 'Templates are shared only on a channel that has a Sent folder (a team’s channel).');
    const bytes = await new MailComposer({
      from: channel.address,
      to: channel.address,
      subject: template.name,
      text: template.text,
      attachments: template.files.map((f) => ({ filename: f.fileName, contentType: f.mediaType, content: this.deps.blobs.open(f.blobKey) })),
      disableFileAccess: true,
      disableUrlAccess: true,
    })
      .compile()
      .build();
    await this.withFolder(channel, true, async (client) => {
      await client.append(TEMPLATES_FOLDER, bytes, ['\\Seen']);
    });
  }

  private teamChannel(channelId: string | null): ChannelConfig | undefined {
    const channel = this.deps.channels.find((c) => c.id === channelId);
    return channel?.sentMailbox !== undefined ? channel : undefined;
  }

  /** The shared templates: the folder's messages, each read once into the blob store (its files with it). */
  private async readFolder(channel: ChannelConfig): Promise<Template[]> {
    const templates = await this.withFolder(channel, false, async (client) => {
      const box = client.mailbox;
      if (!box || box.exists === 0) return [];
      const found: Template[] = [];
      for await (const m of fetchEach(client, ['1:*'], { uid: true, size: true }, { uid: true })) {
        if ((m.size ?? 0) <= MAX_TEMPLATE_MESSAGE) found.push({ id: `team:${channel.id}:${box.uidValidity}:${m.uid}`, name: '', text: '', files: [], shared: true });
      }
      const templates: Template[] = [];
      for (const stub of found) {
        let template = this.read.get(stub.id);
        if (!template) {
          const uid = stub.id.split(':').pop()!;
          const message = await client.fetchOne(uid, { source: true }, { uid: true });
          if (!message || !message.source) continue;
          const parsed = await parseMessage(Readable.from([message.source]), this.deps.blobs);
          template = {
            ...stub,
            name: parsed.subject.trim() || '—',
            text: (parsed.text ?? '').replace(/\r\n/g, '\n').trimEnd(),
            files: (Array.isArray(parsed.attachments) ? parsed.attachments : []).map((a) => ({ fileName: a.fileName, blobKey: a.blobKey })),
          };
          this.read.set(stub.id, template);
        }
        templates.push(template);
      }
      return templates;
    });
    return templates ?? [];
  }

  /** A short connection to the channel's templates folder (created first when asked); null when there is none yet. */
  private async withFolder<T>(channel: ChannelConfig, create: boolean, work: (client: ImapFlow) => Promise<T>): Promise<T | null> {
    const client = createImapClient(channel, { env: this.deps.env });
    client.on('error', () => {});
    try {
      await client.connect();
      if (create) await client.mailboxCreate(TEMPLATES_FOLDER);
      else if (!(await client.list()).some((box) => box.path === TEMPLATES_FOLDER)) return null;
      await client.mailboxOpen(TEMPLATES_FOLDER);
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
}
