// "Download", "Download all files" and "Save original": decides what is saved and how (one
// file as itself, a ZIP, or a folder of files), asks the host where, and has the export write
// it. Where the host cannot write for the page (the browser host), it answers with same-origin
// URLs the page downloads, so bytes never travel through the contract either way.
import path from 'node:path';
import type { SaveAllMode, SaveOutcome } from '../../common/domain/attachment';
import type { DownloadModes } from '../config/schema';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { OriginMarker, SaveDialogs } from '../host/ports';
import type { AttachmentRecord, AttachmentsRepo } from '../store/attachments-repo';
import type { MessagesRepo } from '../store/messages-repo';
import { isInfected } from '../../common/attachment-policy';
import { type AttachmentExport, infectedError } from './attachment-export';
import type { IncomingChecks } from './incoming-checks';
import { attachmentFileName, attachmentFileNames, originalFileName, zipFileNameFor } from './download-names';
import { chooseSaveAll } from './save-all-mode';
import { fileUrls } from '../../common/file-urls';

export interface SaveServiceDeps {
  exporter: AttachmentExport;
  attachments: AttachmentsRepo;
  messages: MessagesRepo;
  events: EventBus;
  modes: DownloadModes;
  dialogs: SaveDialogs;
  /** Received files are checked before they are saved, if that has not happened yet. */
  checks: Pick<IncomingChecks, 'ensure'>;
  /** Files saved from a client's mail get the platform's origin mark; the operator's own do not. */
  marker: OriginMarker;
  /** The client's name, for naming a ZIP of a message without a subject. */
  clientNameOf(conversationId: number): string;
}

export class SaveService {
  constructor(private readonly deps: SaveServiceDeps) {}

  /** The default "Download all files" mode of a message, from the config. */
  defaultMode(kind: 'incoming' | 'reply' | 'new'): SaveAllMode {
    return this.deps.modes[kind];
  }

  /**
   * One file as itself. An infected file is refused; one whose check warned (not what its name
   * says, or not scanned) is saved only once the operator accepted the warnings.
   */
  async saveOne(attachmentId: number, acceptWarnings = false): Promise<SaveOutcome> {
    const found = this.deps.attachments.get(attachmentId);
    if (!found) throw new AppError('not_found', `There is no attachment ${attachmentId}.`);
    const attachment = (await this.deps.checks.ensure([found]))[0]!;
    if (isInfected(attachment)) throw infectedError(attachment);
    if (!acceptWarnings && hasWarning(attachment)) return confirmFirst([attachment]);
    const fileName = attachmentFileName(attachment.fileName);
    const { saveFile } = this.deps.dialogs;
    if (!saveFile) return { status: 'download', url: fileUrls.download(attachmentId), fileName };
    const target = await saveFile(fileName);
    if (!target) return { status: 'cancelled' };
    await this.deps.exporter.saveOne(attachmentId, target);
    await this.markFromMessage(attachment.messageId, [target]);
    return { status: 'saved', files: [target] };
  }

  /** Every file of the message but the infected ones (the page names those); warnings are accepted once for all. */
  async saveAll(messageId: number, preferred?: SaveAllMode, acceptWarnings = false): Promise<SaveOutcome> {
    const message = this.deps.messages.get(messageId);
    if (!message) throw new AppError('not_found', `There is no message ${messageId}.`);
    const all = await this.deps.checks.ensure(this.deps.attachments.listForMessage(messageId).filter((a) => !a.inline));
    if (all.length === 0) throw new AppError('not_found', 'This message has no attachments to save.');
    const files = all.filter((a) => !isInfected(a));
    if (files.length === 0) throw infectedError(all[0]!);
    if (!acceptWarnings && files.some(hasWarning)) return confirmFirst(files);
    const mode = chooseSaveAll(files.length, preferred ?? this.defaultMode(message.kind));
    if (mode === 'single') return this.saveOne(files[0]!.id, true);

    const onProgress = ({ done, total }: { done: number; total: number }) =>
      this.deps.events.emit('attachments.progress', { messageId, done, total });
    const { saveFile, chooseFolder } = this.deps.dialogs;
    if (mode === 'zip') {
      const fileName = zipFileNameFor(message, (id) => this.deps.clientNameOf(id));
      if (!saveFile) return { status: 'download', url: fileUrls.zip(messageId), fileName };
      const target = await saveFile(fileName);
      if (!target) return { status: 'cancelled' };
      await this.deps.exporter.saveZip(messageId, target, onProgress);
      await this.markFromMessage(messageId, [target]);
      return { status: 'saved', files: [target] };
    }
    if (!chooseFolder) {
      const names = attachmentFileNames(files.map((a) => a.fileName));
      return { status: 'pick-folder', files: files.map((a, i) => ({ url: fileUrls.download(a.id), fileName: names[i]! })) };
    }
    const folder = await chooseFolder();
    if (!folder) return { status: 'cancelled' };
    const written = await this.deps.exporter.saveToFolder(messageId, folder, onProgress);
    await this.markFromMessage(messageId, written.map((name) => path.join(folder, name)));
    return { status: 'saved', files: written };
  }

  /** The .eml as received; refused when it carries an infected file, which it holds encoded. */
  async saveOriginal(messageId: number): Promise<SaveOutcome> {
    const message = this.deps.messages.get(messageId);
    const key = this.deps.messages.rawBlobKey(messageId);
    if (!message || !key) throw new AppError('not_found', 'This message has no original to save.');
    const infected = (await this.deps.checks.ensure(this.deps.attachments.listForMessage(messageId))).find(isInfected);
    if (infected) throw infectedError(infected);
    const fileName = originalFileName(message);
    const { saveFile } = this.deps.dialogs;
    if (!saveFile) return { status: 'download', url: fileUrls.original(messageId), fileName };
    const target = await saveFile(fileName);
    if (!target) return { status: 'cancelled' };
    // Complete or absent: never a half-written file under the name the operator chose.
    await this.deps.exporter.saveOriginal(key, target);
    await this.markFromMessage(messageId, [target]);
    return { status: 'saved', files: [target] };
  }

  /** The origin mark on what was saved from a client's message. */
  private async markFromMessage(messageId: number, files: string[]): Promise<void> {
    const message = this.deps.messages.get(messageId);
    if (message?.direction !== 'in') return;
    for (const file of files) await this.deps.marker.mark(file, { sender: message.fromAddress });
  }
}

function hasWarning(a: AttachmentRecord): boolean {
  return a.check !== null && (a.check.warning !== null || a.check.scan.status === 'not_scanned');
}

function confirmFirst(files: AttachmentRecord[]): SaveOutcome {
  return { status: 'confirm', files: files.filter(hasWarning).map((a) => ({ fileName: a.fileName, check: a.check! })) };
}
