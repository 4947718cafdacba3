// Where an unsent message goes back to when the operator chooses Edit: the reply under its
// conversation, or the new-message window for its client and channel. Kept apart from the
// history store so that it does not import the composers (which import the history).
import { create } from 'zustand';
import type { RequestOutput } from '../../preload/contract';
import { api } from '../api';
import { openReply, useComposer } from './composer';
import { useOutgoing } from './outgoing';

interface EditingState {
  opened(draft: RequestOutput<'outbox.edit'>): Promise<void>;
}

export const useEditing = create<EditingState>(() => ({
  async opened(draft) {
    if (draft.kind === 'reply') {
      await openReply(draft.conversationId);
      useComposer.getState().focusMessage();
      return;
    }
    const client = await api.clients.get({ clientId: draft.clientId });
    if (!client.ok) return;
    useOutgoing.getState().open(client.value);
    await useOutgoing.getState().next(draft.channelId);
  },
}));
