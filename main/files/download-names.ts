// The names files get when they leave Postdesk: one attachment, a message's files side by side
// (in a folder or a ZIP), the ZIP itself, and a message's original. The desktop app's save
// dialogs (save-service.ts), the browser host's downloads (main/web/file-routes.ts) and the
// export (attachment-export.ts) all name files here, so the same file gets the same name from
// either host. What makes any name safe for a disk is file-names.ts.
import { diskName, fitFileName, uniqueNames } from './file-names';

/** One attachment, saved or downloaded on its own. */
export function attachmentFileName(fileName: string): string {
  return diskName(fileName);
}

/**
 * A message's files side by side: each safe, and distinct from the others and from `taken`
 * (the names already in the folder) as Windows and macOS compare names, ignoring case.
 */
export function attachmentFileNames(fileNames: readonly string[], taken: Iterable<string> = []): string[] {
  return uniqueNames(
    fileNames.map((name) => diskName(name)),
    taken,
  );
}

/** Save original: the message as received, under its subject. */
export function originalFileName(message: { subject: string }): string {
  return diskName(`${message.subject || 'message'}.eml`);
}

/** The ZIP of a message's files: under its subject, or the client's name when it has none (only then looked up). */
export function zipFileNameFor(message: { subject: string; conversationId: number }, clientNameOf: (conversationId: number) => string): string {
  return zipFileName(message.subject || clientNameOf(message.conversationId));
}

/** The suggested name of the archive, from the message's subject or the client's name. */
export function zipFileName(subjectOrClient: string): string {
  // "Invoice 3/2024" is one name, not a path: its slashes become dashes instead of cutting it.
  const base = diskName(subjectOrClient.replace(/[/\\]/g, '-'), '');
  return base === '' ? 'attachments.zip' : fitFileName(base, '-attachments.zip');
}
