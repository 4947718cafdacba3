// Our side of the send benchmark: Postdesk's services queue one message with the given files
// (already in the blob store, as the composer leaves them) and the outbox sends it.
import { randomBytes } from 'node:crypto';
import type { EventPayload } from '../preload/contract';
import { MB, openBenchServices, readStdinJson, round, rssSampler } from './support';

const input = await readStdinJson<{ configFile: string; dataDir: string; sizes: number[] }>();
const services = await openBenchServices(input.configFile, input.dataDir);
const channelId = services.config.channels[0]!.id;
const client = services.clients.create({ name: 'Bench client', email: 'client@example.test' });
const conversationId = services.conversations.ensure(client.id, channelId);
const kinds = ['pdf', 'jpg', 'png', 'docx', 'doc', 'rtf', 'bmp', 'jpeg', 'pdf', 'png'];
const attachments = [];
for (const [i, size] of input.sizes.entries()) {
  const ext = kinds[i % kinds.length]!;
  const blob = await services.blobs.putBuffer(randomBytes(size));
  attachments.push({ blobKey: blob.key, fileName: `file-${i}.${ext}`, mediaType: 'application/octet-stream', size });
}

const sent = new Promise<void>((resolve, reject) => {
  services.events.subscribe((event, payload) => {
    if (event !== 'outbox.status') return;
    const { status, error } = payload as EventPayload<'outbox.status'>;
    if (status === 'sent') resolve();
    if (status === 'failed') reject(new Error(error ? JSON.stringify(error) : 'failed'));
  });
});
const memory = rssSampler();
const started = process.hrtime.bigint();
services.outbox.enqueue({ conversationId, to: client.email!, subject: 'Thirty megabytes', text: 'Files attached.', bcc: [], attachments, reply: false });
services.outbox.start();
await sent;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
memory.stop();
await services.close();
console.log(JSON.stringify({ seconds: round(seconds, 3), peakRssMb: round(memory.peak() / MB, 1), rssGrowthMb: round((memory.peak() - memory.baseline) / MB, 1) }));
