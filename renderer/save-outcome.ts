// What the page does with a save's outcome: the desktop app has written the files already; in
// the browser host the page downloads them, or writes them into a folder the operator picks
// with the browser's directory picker (where the browser has one).
import type { SaveOutcome } from '../preload/contract';

interface DirectoryHandle {
  getFileHandle(name: string, options: { create: boolean }): Promise<{ createWritable(): Promise<WritableStream<Uint8Array>> }>;
}

declare global {
  interface Window {
    showDirectoryPicker?: (options?: { mode?: 'readwrite' }) => Promise<DirectoryHandle>;
  }
}

export function download(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}

/** Resolves to the names of the files written, or null when nothing was saved (cancelled). */
export async function completeSave(outcome: SaveOutcome): Promise<string[] | null> {
  switch (outcome.status) {
    case 'saved':
      return outcome.files;
    case 'cancelled':
      return null;
    case 'confirm':
      // The store asks the operator first and repeats the request; nothing was saved yet.
      return null;
    case 'download':
      download(outcome.url, outcome.fileName);
      return [outcome.fileName];
    case 'pick-folder': {
      if (!window.showDirectoryPicker) {
        for (const file of outcome.files) download(file.url, file.fileName);
        return outcome.files.map((f) => f.fileName);
      }
      let folder: DirectoryHandle;
      try {
        folder = await window.showDirectoryPicker({ mode: 'readwrite' });
      } catch {
        return null; // the operator closed the picker
      }
      for (const file of outcome.files) {
        const response = await fetch(file.url, { credentials: 'same-origin' });
        if (!response.ok || !response.body) throw new Error(`${file.fileName}: ${response.status}`);
        const handle = await folder.getFileHandle(file.fileName, { create: true });
        await response.body.pipeTo(await handle.createWritable());
      }
      return outcome.files.map((f) => f.fileName);
    }
  }
}
