// The platform as the services see it. Electron adapters (main/host/electron.ts) and plain Node
// adapters (main/host/node.ts) implement the same interfaces, so services never import electron.

export interface Paths {
  /** Where Postdesk keeps its data when no --data-dir is given. */
  userData(): string;
}

export interface Shell {
  /** Opens an http(s) or mailto link in the operator's default program. */
  openExternal(url: string): Promise<void>;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface Dialogs {
  /** The native multi-select open dialog; resolves to the chosen paths (none when cancelled). */
  openFiles(filters: FileFilter[]): Promise<string[]>;
}

/**
 * Where saved attachments go. The desktop app asks with native dialogs; the browser host has
 * none (the page downloads instead), except the documented test-only --save-dir, which
 * answers every "choose a folder" with one directory.
 */
export interface SaveDialogs {
  /** A file to save as, proposed under defaultName; null when cancelled. */
  saveFile?(defaultName: string): Promise<string | null>;
  /** A folder to save into; null when cancelled. */
  chooseFolder?(): Promise<string | null>;
}

/** Where a saved file came from: a client's message (the operator's own files are never marked). */
export interface FileOrigin {
  /** The sender's address, when the message has one. */
  sender: string | null;
}

/**
 * Marks a file saved from incoming mail the way the platform marks downloads, so Windows
 * SmartScreen and Office's Protected View, macOS Gatekeeper and Linux file managers treat it as
 * coming from outside. Picked by platform in main/host/origin-marks.ts. Never fails a save: a
 * file system or a tool that cannot carry the mark leaves the file as it is.
 */
export interface OriginMarker {
  mark(file: string, origin: FileOrigin): Promise<void>;
}

/** The desktop app's own updates (main/app/updates.ts); the browser host has none. */
export interface AppUpdater {
  /** Quits and installs the update already downloaded; refuses (AppError) when there is none. */
  restartToUpdate(): void;
}
