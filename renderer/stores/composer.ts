import { api } from '../api';
import { createDraftStore } from './draft-store';
import { useHistory } from './history';

/** The reply under the open conversation. */
export const useComposer = createDraftStore();

export function openReply(conversationId: number): Promise<void> {
  return useComposer.getState().load(() => api.drafts.open({ conversationId }));
}

/** Sends the reply (`anyway`: past another operator's claim or what changed meanwhile); the history shows it at once and the field starts over. */
export async function sendReply(anyway = false): Promise<void> {
  const sent = await useComposer.getState().send(anyway);
  if (!sent) return;
  await openReply(sent.conversationId);
  // The next words go where the last ones did.
  useComposer.getState().focusMessage();
  await useHistory.getState().reload();
}

// A new mail from the client may change where the reply goes (another Reply-To, or none): the
// To line follows at once rather than at the next Send.
api.on('mail.received', ({ conversationId }) => {
  const { draft, refresh } = useComposer.getState();
  if (draft?.conversationId === conversationId) void refresh();
});
