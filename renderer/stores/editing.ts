// Where an unsent message goes back to when the operator chooses Edit: the reply under its
// conversation, or the new-message window for its client and channel. The history reaches the
// composers only through this, so it is built before them (see stores/index.ts).
import type { RequestOutput } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import type { Stores } from './index';

export interface Editing {
  opened(draft: RequestOutput<'outbox.edit'>): Promise<void>;
}

export function createEditing(api: PostdeskApi, { composer, reply, outgoing }: Pick<Stores, 'composer' | 'reply' | 'outgoing'>): Editing {
  return {
    async opened(draft) {
      if (draft.kind === 'reply') {
        await reply.open(draft.conversationId);
        composer.getState().focusMessage();
        return;
      }
      const client = await api.clients.get({ clientId: draft.clientId });
      if (!client.ok) return;
      outgoing.getState().open(client.value);
      await outgoing.getState().next(draft.channelId);
    },
  };
}
