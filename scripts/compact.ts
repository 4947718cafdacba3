// npm run compact -- --data-dir D: turns the received files of a data dir from before Postdesk
// stored them as ranges of their raw messages into ranges, and removes their decoded copies
// (main/mail/compact.ts). Safe while Postdesk runs: nothing younger than an hour is removed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BlobStore } from '../main/files/blob-store';
import { compactAttachments } from '../main/mail/compact';
import { AttachmentsRepo } from '../main/store/attachments-repo';
import { openDatabase } from '../main/store/database';
import { DATABASE_FILE } from '../main/services';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
const dataDir = values['data-dir'];
if (!dataDir || !existsSync(path.join(dataDir, DATABASE_FILE))) {
  console.error('Usage: npm run compact -- --data-dir DIR   (DIR holds Postdesk\'s ' + DATABASE_FILE + ' and blobs/)');
  process.exit(2);
}
const db = openDatabase(path.join(dataDir, DATABASE_FILE));
const blobs = new BlobStore(path.join(dataDir, 'blobs'));
await blobs.init();
const attachments = new AttachmentsRepo(db);
blobs.deriveFrom((key) => attachments.derivedBlob(key));
try {
  const result = await compactAttachments(db, blobs);
  console.log(
    `${result.files} file(s) of ${result.messages} message(s) are now read from their original messages; ` +
      `${result.removed} unused file(s) removed, ${(result.bytes / 1024 / 1024).toFixed(1)} MB freed.`,
  );
} finally {
  db.close();
}
