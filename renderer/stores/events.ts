// What main tells the page, and what each store does with it: the one place the page listens.
// Called once, before the first render, so nothing main says after the page's first requests is missed.
import type { PostdeskApi } from '../../preload/verbs';
import type { Stores } from './index';

/** Subscribes the stores to main's events; returns what unsubscribes them all. */
export function connectEvents(stores: Stores, api: PostdeskApi): () => void {
  const { app, attention, channels, composer, conversations, history, outgoingDraft, updates } = stores;
  const unsubscribes = [
    // What main knew at start, then every change it tells.
    app.subscribe((state, previous) => {
      if (state.info && state.info !== previous.info) attention.getState().started(state.info);
    }),
    api.on('conversations.unread', ({ count }) => attention.setState({ unread: count })),
    api.on('app.openConversation', ({ conversationId }) => void conversations.getState().revealById(conversationId)),
    // The desktop app downloaded an update: Restart to update shows.
    api.on('app.updateReady', ({ version }) => updates.getState().downloaded(version)),

    // Main pushes state changes (connecting, syncing, errors) as they happen.
    api.on('channels.state', ({ id, ...changed }) => channels.getState().heard(id, changed)),

    api.on('mail.received', (mail) => {
      attention.getState().mailReceived(mail);
      // New mail reorders the list live: no reload by the operator.
      void conversations.getState().load();
      history.getState().reloadIfOpen(mail.conversationId);
      // A new mail from the client may change where the reply goes (another Reply-To, or none):
      // the To line follows at once rather than at the next Send.
      const { draft, refresh } = composer.getState();
      if (draft?.conversationId === mail.conversationId) void refresh();
      // What the new-message window says about the client's waiting mail follows it while it is open.
      void outgoingDraft.getState().refresh();
    }),
    // So do the other desks of the team: their Complete, re-open and claims ("Alice is replying").
    api.on('conversations.changed', ({ ids }) => {
      const { load, selectedId, refreshSelected } = conversations.getState();
      void load();
      if (selectedId !== null && ids.includes(selectedId)) void refreshSelected();
      void outgoingDraft.getState().refresh();
    }),

    // Sent replies reorder the list too, and the open history shows each one's progress.
    api.on('outbox.status', (change) => {
      void conversations.getState().load();
      history.getState().statusChanged(change);
    }),
    api.on('outbox.progress', ({ messageId, sent, total }) =>
      history.setState((s) => ({ sending: { ...s.sending, [messageId]: { done: sent, total } } })),
    ),
    api.on('attachments.progress', ({ messageId, done, total }) =>
      history.setState((s) => ({ saving: { ...s.saving, [messageId]: { done, total } } })),
    ),
    // Its files' checks are done: the open conversation shows them.
    api.on('attachments.checked', ({ conversationId }) => history.getState().reloadIfOpen(conversationId)),
  ];
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
