// New mail the operator should notice: the count of Active conversations with unread mail (on
// the Active tab and in the window title; the desktop app also puts it on the dock), and in the
// browser host the browser's desktop notifications, which the desktop app's main process shows
// itself (main/app/attention.ts). Notifications are the operator's own setting on this desk.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventPayload, RequestOutput } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import type { Stores } from './index';
import { hookFor } from './context';

export interface AttentionState {
  unread: number;
  notifications: boolean;
  /** The browser refused to show notifications for this page. */
  denied: boolean;
  toggleNotifications(): Promise<void>;
  /** What main knew at start (app.info); its events tell every change after. */
  started(info: RequestOutput<'app.info'>): void;
  /** In the browser host, new client mail shows a notification, unless the operator is reading that very conversation. */
  mailReceived(mail: EventPayload<'mail.received'>): void;
}

export type AttentionStore = StoreApi<AttentionState>;

/** The browser host shows notifications itself; the desktop app's main process does. */
const inBrowser = () => window.postdesk === undefined && typeof Notification !== 'undefined';

export function createAttentionStore(api: PostdeskApi, { app, conversations }: Pick<Stores, 'app' | 'conversations'>): AttentionStore {
  async function notify(conversationId: number): Promise<void> {
    const summary = await api.conversations.get({ id: conversationId });
    if (!summary.ok) return;
    const { t } = app.getState();
    const notification = new Notification(t('notify.title', { name: summary.value.clientName }), {
      body: summary.value.lastSubject,
      tag: `conversation-${conversationId}`,
    });
    notification.onclick = () => {
      window.focus();
      notification.close();
      void conversations.getState().revealById(conversationId);
    };
  }

  return createStore<AttentionState>((set, get) => ({
    unread: 0,
    notifications: false,
    denied: false,
    async toggleNotifications() {
      const on = !get().notifications;
      // The browser asks the operator once; without their yes there is nothing to turn on.
      if (on && inBrowser() && (await Notification.requestPermission()) !== 'granted') return set({ denied: true });
      const result = await api.app.setNotifications({ enabled: on });
      if (result.ok) set({ notifications: on, denied: false });
    },
    started(info) {
      const granted = !inBrowser() || Notification.permission === 'granted';
      set({ unread: info.unread, notifications: info.notifications && granted });
    },
    mailReceived({ direction, conversationId }) {
      if (direction !== 'in' || !inBrowser() || !get().notifications || Notification.permission !== 'granted') return;
      // The operator is reading this very conversation.
      if (document.hasFocus() && conversations.getState().selectedId === conversationId) return;
      void notify(conversationId);
    },
  }));
}

export const useAttention = hookFor((s) => s.attention);
