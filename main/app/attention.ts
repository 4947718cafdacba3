// The desktop app draws the operator's eye to new mail: the dock / launcher badge (macOS, Linux)
// or the taskbar's overlay dot (Windows, which has no count badge) tells of Active conversations
// with unread mail, and new client mail raises a desktop notification (unless
// the operator turned them off) that opens its conversation when clicked. The browser host's
// page does the same with the browser's Notification API (renderer/notifications.ts).
import type { BrowserWindow, NativeImage } from 'electron';
import { app, nativeImage, Notification } from 'electron';
import { translator } from '../../common/i18n';
import type { EventPayload } from '../../common/domain/events';
import type { Services } from '../services';
import { bringToFront } from './window';

const DOT = 16;

/** A red dot for the taskbar button's corner, drawn here so no image file has to ship for it. */
function unreadDot(): NativeImage {
  const pixels = Buffer.alloc(DOT * DOT * 4);
  const centre = (DOT - 1) / 2;
  for (let y = 0; y < DOT; y++) {
    for (let x = 0; x < DOT; x++) {
      if (Math.hypot(x - centre, y - centre) > DOT / 2 - 0.5) continue;
      // BGRA
      pixels.set([0x2b, 0x39, 0xd9, 0xff], (y * DOT + x) * 4);
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: DOT, height: DOT });
}

export function drawAttention(services: Services, window: BrowserWindow, platform: NodeJS.Platform = process.platform): void {
  const t = translator(services.lang);
  const badge = (count: number) => {
    app.setBadgeCount(count);
    if (platform !== 'win32' || window.isDestroyed()) return;
    window.setOverlayIcon(count > 0 ? unreadDot() : null, count > 0 ? t('app.unreadBadge', { count }) : '');
  };
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
      bringToFront(window);
      services.events.emit('app.openConversation', { conversationId });
    });
    notification.show();
  });
}
