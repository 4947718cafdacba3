// "Save all" on a message with one attachment saves that file as it is: a ZIP of one file, or
// a folder dialog for one file, would only be a detour for the operator.

import type { SaveAllMode } from '../../common/domain/attachment';

/** How one "Save all" goes: the operator's mode, or the one file as itself. */
export type SaveAllPlan = 'single' | SaveAllMode;

export function chooseSaveAll(attachmentCount: number, preferred: SaveAllMode): SaveAllPlan {
  return attachmentCount === 1 ? 'single' : preferred;
}
