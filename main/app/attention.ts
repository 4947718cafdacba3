// The desktop app draws the operator's eye to new mail: the dock / taskbar badge counts Active
// conversations with unread mail, and new client mail raises a desktop notification (unless
// the operator turned them off) that opens its conversation when clicked. The browser host's
// page does the same with the browser's Notification API (renderer/notifications.ts).
import type { BrowserWindow } from 'electron';
import { app, Notification } from 'electron';
import { translator } from '../../common/i18n';
import type { EventPayload } from '../../common/domain/events';
import type { Services } from '../services';

export function drawAttention(services: Services, window: BrowserWindow): void {
  const t = translator(services.lang);
  const badge = (count: number) => app.setBadgeCount(count);
  badge(services.conversationService.unreadCount());
  services.events.subscribe((event, payload) => {
    if (event === 'conversations.unread') return void badge((payload as EventPayload<'conversations.unread'>).count);
    if (event !== 'mail.received') return;
    const { direction, conversationId, messageId } = payload as EventPayload<'mail.received'>;
    if (direction !== 'in' || !services.settings.notifications || !Notification.isSupported()) return;
    // The operator is looking at the window already.
    if (window.isFocused()) return;
    const message = services.messages.get(messageId);
    const sender = message?.fromName || message?.fromAddress || services.conversations.clientName(conversationId);
    const notification = new Notification({ title: t('notify.title', { name: sender }), body: message?.subject ?? '' });
    notification.on('click', () => {
      if (window.isDestroyed()) return;
      if (window.isMinimized()) window.restore();
      window.focus();
      services.events.emit('app.openConversation', { conversationId });
    });
    notification.show();
  });
}
