// New mail the operator should notice: the count of Active conversations with unread mail (on
// the Active tab and in the window title; the desktop app also puts it on the dock), and in the
// browser host the browser's desktop notifications, which the desktop app's main process shows
// itself (main/app/attention.ts). Notifications are the operator's own setting on this desk.
import { create } from 'zustand';
import { api } from '../api';
import { useApp } from './app';
import { useConversations } from './conversations';

interface AttentionState {
  unread: number;
  notifications: boolean;
  /** The browser refused to show notifications for this page. */
  denied: boolean;
  toggleNotifications(): Promise<void>;
}

/** The browser host shows notifications itself; the desktop app's main process does. */
const inBrowser = () => window.postdesk === undefined && typeof Notification !== 'undefined';

export const useAttention = create<AttentionState>((set, get) => ({
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
}));

// What main knew at start, then every change it tells.
useApp.subscribe((state, previous) => {
  if (state.info && state.info !== previous.info) {
    const granted = !inBrowser() || Notification.permission === 'granted';
    useAttention.setState({ unread: state.info.unread, notifications: state.info.notifications && granted });
  }
});
api.on('conversations.unread', ({ count }) => useAttention.setState({ unread: count }));
api.on('app.openConversation', ({ conversationId }) => void openConversation(conversationId));

async function openConversation(conversationId: number): Promise<void> {
  const summary = await api.conversations.get({ id: conversationId });
  if (summary.ok) await useConversations.getState().reveal(summary.value);
}

api.on('mail.received', ({ direction, conversationId }) => {
  if (direction !== 'in' || !inBrowser() || !useAttention.getState().notifications || Notification.permission !== 'granted') return;
  // The operator is reading this very conversation.
  if (document.hasFocus() && useConversations.getState().selectedId === conversationId) return;
  void notify(conversationId);
});

async function notify(conversationId: number): Promise<void> {
  const summary = await api.conversations.get({ id: conversationId });
  if (!summary.ok) return;
  const { t } = useApp.getState();
  const notification = new Notification(t('notify.title', { name: summary.value.clientName }), {
    body: summary.value.lastSubject,
    tag: `conversation-${conversationId}`,
  });
  notification.onclick = () => {
    window.focus();
    notification.close();
    void openConversation(conversationId);
  };
}
