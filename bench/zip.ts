// npm run bench -- zip: "save all as ZIP" for a message with 30 attachments, 30 MB in all, mostly
// formats that are compressed already (jpeg, png, pdf, docx) and some that are not (bmp, rtf),
// against Info-ZIP's `zip -6` and `zip -0` on the same files under the same names. The message is
// stored as ingest stores it: its raw MIME once, each file a range of it decoded as the ZIP is
// written (issue 13). Our side runs in a process of its own (this file, started as a worker) so
// that its RSS growth is the ZIP's.
import { randomBytes, randomInt } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { AttachmentExport } from '../main/files/attachment-export';
import { BlobStore } from '../main/files/blob-store';
import { AttachmentsRepo } from '../main/store/attachments-repo';
import { ChannelsRepo } from '../main/store/channels-repo';
import { ClientsRepo } from '../main/store/clients-repo';
import { ConversationsRepo } from '../main/store/conversations-repo';
import { openDatabase } from '../main/store/database';
import { MessagesRepo } from '../main/store/messages-repo';
import MailComposer from 'nodemailer/lib/mail-composer';
import { NO_WRITES, readPlainMessage } from '../main/mail/read-plain';
import { benchRuns, MB, median, readStdinJson, report, requireTool, round, rssSampler, runWorker, targets, timeCommand } from './support';

// BENCH_RUNS times each side (5), their medians compared: odd, for a median, and five because the
// first run of a process is cold (JIT, page cache) on either side.
const RUNS = benchRuns(5);
const TOTAL = 30 * MB;

type Kind = 'random' | 'bitmap' | 'text';

interface Sample {
  name: string;
  mediaType: string;
  /** Share of the 30 MB. */
  mb: number;
  kind: Kind;
  magic: string;
}

const JPEG = { mediaType: 'image/jpeg', kind: 'random', magic: 'ffd8ffe0' } as const;
const PNG = { mediaType: 'image/png', kind: 'random', magic: '89504e470d0a1a0a' } as const;
const PDF = { mediaType: 'application/pdf', kind: 'random', magic: '255044462d312e370a' } as const;
const DOCX = { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'random', magic: '504b0304' } as const;
const BMP = { mediaType: 'image/bmp', kind: 'bitmap', magic: '424d' } as const;
const RTF = { mediaType: 'application/rtf', kind: 'text', magic: '7b5c727466315c616e736920' } as const;

// Phone photos and scans dominate real mail; a few raw bitmaps and rich-text documents remain.
const SAMPLES: Sample[] = [
  ...[1.5, 1.2, 0.9, 2.0, 0.6, 1.1, 0.8, 1.4].map((mb, i) => ({ name: `Фото ${i + 1}.jpg`, mb, ...JPEG })),
  ...[0.4, 0.8, 1.2, 0.3, 0.6].map((mb, i) => ({ name: `screenshot-${i + 1}.png`, mb, ...PNG })),
  ...[2.5, 0.5, 1.0, 3.0, 0.7, 0.3].map((mb, i) => ({ name: `Счёт №${i + 1}.pdf`, mb, ...PDF })),
  ...[0.2, 0.5, 0.9, 0.4].map((mb, i) => ({ name: `Договор ${i + 1}.docx`, mb, ...DOCX })),
  ...[2.4, 1.6, 1.2].map((mb, i) => ({ name: `scan-${i + 1}.bmp`, mb, ...BMP })),
  ...[0.6, 0.9, 0.3, 0.2].map((mb, i) => ({ name: `Претензия ${i + 1}.rtf`, mb, ...RTF })),
];

const WORDS = (
  'счёт оплата договор клиент заявка платёж сумма срок доставка возврат товар претензия payment invoice contract ' +
  'delivery refund order amount date the of and to for with in on by not that в на по не что как за от до'
).split(' ');

/** A scanned page: white, rows of dark text strokes, and sensor noise on about 3% of the bytes. */
function bitmapChunk(size: number): Buffer {
  const chunk = Buffer.alloc(size, 0xff);
  const row = 3 * 1700;
  for (let y = 0; y * row < size; y++) {
    if (y % 40 >= 14) continue;
    for (let x = 0; x < row; x += 3 * (2 + randomInt(30))) {
      const start = y * row + x;
      chunk.fill(0x20 + randomInt(40), start, Math.min(size, start + 3 * (1 + randomInt(6))));
    }
  }
  const noise = randomBytes(size >> 5);
  for (let i = 0; i < noise.length; i++) chunk[(i << 5) + (noise[i]! & 31)] = noise[i]! | 0xc0;
  return chunk;
}

/** Words of a letter, sentences ending in RTF paragraph marks: deflate gets ~4×. */
function textChunk(size: number): Buffer {
  const words: string[] = [];
  for (let bytes = 0; bytes < size; ) {
    const word = `${WORDS[randomInt(WORDS.length)]}${randomInt(12) === 0 ? '.\\par\n' : ' '}`;
    words.push(word);
    bytes += Buffer.byteLength(word);
  }
  return Buffer.from(words.join('')).subarray(0, size);
}

/** Written a megabyte at a time: the bench process never holds a whole file. */
async function writeSample(file: string, sample: Sample, size: number): Promise<void> {
  function* chunks(): Generator<Buffer> {
    const magic = Buffer.from(sample.magic, 'hex');
    yield magic;
    for (let done = magic.length; done < size; done += MB) {
      const n = Math.min(MB, size - done);
      yield sample.kind === 'random' ? randomBytes(n) : sample.kind === 'bitmap' ? bitmapChunk(n) : textChunk(n);
    }
  }
  await pipeline(Readable.from(chunks()), createWriteStream(file));
}

function sizes(): number[] {
  const shares = SAMPLES.map((s) => Math.round((s.mb / 30) * TOTAL));
  shares[shares.length - 1]! += TOTAL - shares.reduce((a, b) => a + b, 0);
  return shares;
}

interface WorkerInput {
  dataDir: string;
  messageId: number;
  out: string;
  runs: number;
}

interface WorkerResult {
  seconds: number[];
  zipBytes: number;
  baselineRssMb: number;
  peakRssMb: number;
}

/** Our side: opens the store as the app does and times saveZip to a file, sampling RSS throughout. */
async function zipWorker(): Promise<void> {
  const input = await readStdinJson<WorkerInput>();
  const db = openDatabase(path.join(input.dataDir, 'postdesk.sqlite'));
  const attachments = new AttachmentsRepo(db);
  const blobs = new BlobStore(path.join(input.dataDir, 'blobs'));
  blobs.deriveFrom((key) => attachments.derivedBlob(key));
  const exporter = new AttachmentExport({ blobs, attachments });
  const seconds: number[] = [];
  const memory = rssSampler(5);
  for (let run = 0; run < input.runs; run++) {
    rmSync(input.out, { force: true });
    const started = process.hrtime.bigint();
    await exporter.saveZip(input.messageId, input.out);
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  memory.stop();
  db.close();
  const result: WorkerResult = {
    seconds,
    zipBytes: statSync(input.out).size,
    baselineRssMb: round(memory.baseline / MB, 1),
    peakRssMb: round(memory.peak() / MB, 1),
  };
  console.log(JSON.stringify(result));
}

async function timeZip(level: '-6' | '-0', archive: string, files: string[]): Promise<{ seconds: number; bytes: number }> {
  const seconds: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    rmSync(archive, { force: true });
    seconds.push((await timeCommand('zip', ['-q', level, '-j', archive, ...files])).seconds);
  }
  return { seconds: median(seconds), bytes: statSync(archive).size };
}

export async function benchZip(): Promise<void> {
  requireTool('zip', 'zip');
  requireTool('unzip', 'unzip');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-zip-'));
  try {
    const filesDir = path.join(dir, 'files');
    const dataDir = path.join(dir, 'postdesk');
    mkdirSync(filesDir);
    mkdirSync(dataDir);
    const db = openDatabase(path.join(dataDir, 'postdesk.sqlite'));
    const blobs = new BlobStore(path.join(dataDir, 'blobs'));
    await blobs.init();

    const files: string[] = [];
    const byteSizes = sizes();
    for (const [i, sample] of SAMPLES.entries()) {
      const file = path.join(filesDir, sample.name);
      await writeSample(file, sample, byteSizes[i]!);
      files.push(file);
    }
    const raw = await new MailComposer({
      from: 'Иванов Иван <client@example.test>',
      to: 'bench@example.test',
      subject: 'Документы',
      text: 'See attached.',
      attachments: SAMPLES.map((sample, i) => ({ filename: sample.name, path: files[i], contentType: sample.mediaType })),
    })
      .compile()
      .build();
    const rawBlob = await blobs.putBuffer(raw);
    const parsed = await readPlainMessage(raw, NO_WRITES);
    if (!parsed || parsed.attachments.some((a) => !a.range)) throw new Error('the bench message was not read as ranges of its raw MIME');
    new ChannelsRepo(db).syncFromConfig([{ id: 'bench', name: 'Bench', address: 'bench@example.test' }]);
    const client = new ClientsRepo(db).create({ name: 'Иванов Иван', email: 'client@example.test' });
    const messageId = new MessagesRepo(db).insertIncoming({
      conversationId: new ConversationsRepo(db).ensure(client.id, 'bench'),
      fromAddress: 'client@example.test',
      fromName: 'Иванов Иван',
      toAddress: 'bench@example.test',
      replyTo: null,
      subject: 'Документы',
      text: 'See attached.',
      html: null,
      messageId: '<bench-zip@example.test>',
      inReplyTo: null,
      references: [],
      attachments: parsed.attachments,
      contentHash: 'bench-zip',
      rawBlobKey: rawBlob.key,
      problems: [],
      imapUid: null,
      createdAt: Date.now(),
    });
    db.close();

    const peer = await timeZip('-6', path.join(dir, 'peer-6.zip'), files);
    const peer2 = await timeZip('-0', path.join(dir, 'peer-0.zip'), files);
    const oursZip = path.join(dir, 'ours.zip');
    const ours = await runWorker<WorkerResult>('zip.ts', { dataDir, messageId, out: oursZip, runs: RUNS } satisfies WorkerInput);
    await timeCommand('unzip', ['-tq', oursZip]); // a fast archive must also be a sound one
    const oursSeconds = median(ours.seconds);
    // Against storing the files as they are: whatever we compress must not cost more time than that.
    const measured = { ratio_vs_zip0: round(oursSeconds / peer2.seconds) };
    report({
      bench: 'zip',
      ours_s: round(oursSeconds, 3),
      peer: 'zip -6',
      peer_s: round(peer.seconds, 3),
      ratio: round(oursSeconds / peer.seconds),
      peer2: 'zip -0',
      peer2_s: round(peer2.seconds, 3),
      ...measured,
      runs: RUNS,
      rss_growth_mb: round(ours.peakRssMb - ours.baselineRssMb, 1),
      files: SAMPLES.length,
      input_mb: TOTAL / MB,
      ours_zip_mb: round(ours.zipBytes / MB),
      peer_zip_mb: round(peer.bytes / MB),
      peer2_zip_mb: round(peer2.bytes / MB),
      ours_runs: ours.seconds.map((s) => round(s, 3)),
      ...targets({ ratio_vs_zip0: 1.0 }, measured),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Started as runWorker's child (bundled), this file is our side of the benchmark.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await zipWorker();
