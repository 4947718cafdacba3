import { api } from '../api';
import { createDraftStore } from './draft-store';
import { useHistory } from './history';

/** The reply under the open conversation. */
export const useComposer = createDraftStore();

export function openReply(conversationId: number): Promise<void> {
  return useComposer.getState().load(() => api.drafts.open({ conversationId }));
}

/** Sends the reply; the history shows it at once and the field starts over. */
export async function sendReply(): Promise<void> {
  const sent = await useComposer.getState().send();
  if (!sent) return;
  await openReply(sent.conversationId);
  await useHistory.getState().reload();
}
