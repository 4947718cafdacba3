// No answer is invisible to the team: once the SMTP server has accepted a message, its copy —
// the very bytes that were sent, plus the team's header fields in front — is appended to the
// channel's Sent folder over the Sent watcher's connection. The outbox records the step with
// the status (messages.sent_copy), so a copy that could not be appended (the server away, the
// desk killed in between) is appended when the folder is open again, on this run or the next.
// Before appending, the folder is searched for the Message-ID: a desk killed after the append
// but before it noted so must not append a second copy.
import type { ImapFlow } from 'imapflow';
import type { BlobStore } from '../files/blob-store';
import type { MessagesRepo, PendingSentCopy } from '../store/messages-repo';
import { teamHeaderLines } from './team-headers';

export interface SentCopiesDeps {
  messages: Pick<MessagesRepo, 'pendingSentCopies' | 'sentCopyDone'>;
  blobs: Pick<BlobStore, 'open'>;
  /** The channel's Sent folder, open; null while it is not. */
  sentFolderOf(channelId: string): { client: ImapFlow; mailbox: string } | null;
  log(message: string, error: unknown): void;
}

export class SentCopies {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly deps: SentCopiesDeps) {}

  /** Appends the channel's waiting copies, if its Sent folder is open; a call while it runs makes one more round. */
  flush(channelId: string): Promise<void> {
    const running = this.running.get(channelId);
    if (running) {
      this.again.add(channelId);
      return running;
    }
    const run = (async () => {
      do {
        this.again.delete(channelId);
        await this.appendAll(channelId);
      } while (this.again.has(channelId));
    })().finally(() => this.running.delete(channelId));
    this.running.set(channelId, run);
    return run;
  }

  /** Resolves when no copy of any channel is being appended (tests, a clean stop). */
  async settled(): Promise<void> {
    await Promise.all(this.running.values());
  }

  private async appendAll(channelId: string): Promise<void> {
    for (const copy of this.deps.messages.pendingSentCopies(channelId)) {
      const folder = this.deps.sentFolderOf(channelId);
      if (!folder) return; // appended once the folder is open again
      try {
        const { client, mailbox } = folder;
        const there = await client.search({ header: { 'message-id': copy.messageId } }, { uid: true });
        if (!there || there.length === 0) await client.append(mailbox, await this.bytes(copy), ['\\Seen'], new Date(copy.createdAt));
        this.deps.messages.sentCopyDone(copy.id);
      } catch (error) {
        this.deps.log(`could not copy sent message ${copy.id} to the Sent folder of channel ${channelId}; it is tried again when the folder is back`, error);
        return;
      }
    }
  }

  /** The team's header fields, then the bytes that were sent. */
  private async bytes(copy: PendingSentCopy): Promise<Buffer> {
    const { operatorName: operator, operatorDesk: deskId } = copy;
    const chunks: Buffer[] = operator && deskId ? [teamHeaderLines({ operator, deskId })] : [];
    for await (const chunk of this.deps.blobs.open(copy.blobKey)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
