// The words beside a received file for what main's check found (preload/contract.ts
// attachmentCheck): the same hints the composer shows for its own files, plus the scan.
import { problemMessage } from '../common/attachment-policy';
import type { MessageKey } from '../common/i18n';
import type { SizeLang } from '../common/size';
import type { AttachmentCheck } from '../preload/contract';

export interface CheckLine {
  key: MessageKey;
  params: Record<string, string | number>;
}

/** What to say of a checked file: its virus verdict and its warning, if any (none for a clean, honest file). */
export function checkLines(check: AttachmentCheck | null, lang: SizeLang): CheckLine[] {
  if (!check) return [];
  const lines: CheckLine[] = [];
  if (check.scan.status === 'infected') lines.push({ key: 'attachments.blocked', params: { signature: check.scan.signature } });
  if (check.scan.status === 'not_scanned') lines.push({ key: 'attachments.notScanned', params: { reason: check.scan.reason } });
  if (check.warning) lines.push(problemMessage(check.warning, lang));
  return lines;
}
