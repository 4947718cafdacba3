import { translator } from '../../common/i18n';
import type { Lang } from '../../common/lang';
import type { AttachmentRules } from '../../common/domain/attachment';
import type { FileFilter } from '../host/ports';

/**
 * The open dialog shows only allowed formats by default (the first filter), and still lets the
 * operator switch to "All files" to pick something else and see why it is refused.
 */
export function attachmentFilters(rules: AttachmentRules, lang: Lang): FileFilter[] {
  const t = translator(lang);
  return [
    { name: t('dialog.allowedFiles'), extensions: [...rules.allowedFormats] },
    { name: t('dialog.allFiles'), extensions: ['*'] },
  ];
}
