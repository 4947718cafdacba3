// The desk itself: what the page needs to start, and the operator's own settings on it.
import type { DeskInfo } from '../common/domain/desk';
import type { Lang } from '../common/lang';
import type { AttachmentRules } from '../common/domain/attachment';
import type { DeskSettings } from './desk-settings';

export interface DeskDeps {
  version: string;
  lang: Lang;
  rules: AttachmentRules;
  settings: DeskSettings;
  /** Active conversations with unread mail now. */
  unread(): number;
}

export class Desk {
  constructor(private readonly deps: DeskDeps) {}

  info(): DeskInfo {
    const { version, lang, rules, settings } = this.deps;
    return { version, lang, attachmentRules: { ...rules }, notifications: settings.notifications, unread: this.deps.unread(), signature: settings.signature };
  }

  setSignature(text: string): void {
    this.deps.settings.signature = text;
  }

  setNotifications(enabled: boolean): void {
    this.deps.settings.notifications = enabled;
  }
}
