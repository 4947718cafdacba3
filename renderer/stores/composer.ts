import type { PostdeskApi } from '../../preload/verbs';
import type { DraftStore } from './draft-store';
import type { HistoryStore } from './history';
import { hookFor, useStores } from './context';

/** The reply under the open conversation: its draft is the composer store's. */
export interface Reply {
  open(conversationId: number): Promise<void>;
  /** Sends the reply (`anyway`: past another operator's claim or what changed meanwhile); the history shows it at once and the field starts over. */
  send(anyway?: boolean): Promise<void>;
}

export function createReply(api: PostdeskApi, composer: DraftStore, history: HistoryStore): Reply {
  const open = (conversationId: number) => composer.getState().load(() => api.drafts.open({ conversationId }));
  return {
    open,
    async send(anyway = false) {
      const sent = await composer.getState().send(anyway);
      if (!sent) return;
      await open(sent.conversationId);
      // The next words go where the last ones did.
      composer.getState().focusMessage();
      await history.getState().reload();
    },
  };
}

export const useComposer = hookFor((s) => s.composer);
/** The reply's verbs; its draft is useComposer's. */
export const useReply = (): Reply => useStores().reply;
