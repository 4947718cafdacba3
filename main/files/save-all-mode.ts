// "Save all" on a message with one attachment saves that file as it is: a ZIP of one file, or
// a folder dialog for one file, would only be a detour for the operator.

export type SaveAllPreference = 'zip' | 'folder';
export type SaveAllMode = 'single' | SaveAllPreference;

export function chooseSaveAll(attachmentCount: number, preferred: SaveAllPreference): SaveAllMode {
  return attachmentCount === 1 ? 'single' : preferred;
}
