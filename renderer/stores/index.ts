// Every store of the page, built from the one api main.tsx chose. A store that calls another
// is handed it here, so each can be built alone in a test with a fake api; events reach them
// through connectEvents (./events.ts), never by a subscription a module makes as it loads.
import type { PostdeskApi } from '../../preload/verbs';
import { createAppStore, type AppStore } from './app';
import { createAttentionStore, type AttentionStore } from './attention';
import { createChannelsStore, type ChannelsStore } from './channels';
import { createClientFormStore, type ClientFormStore } from './client-form';
import { createClientImportStore, type ClientImportStore } from './client-import';
import { createClientSearchStore, type ClientSearchStore } from './client-search';
import { createReply, type Reply } from './composer';
import { createConversationsStore, type ConversationsStore } from './conversations';
import { createDraftStore, type DraftStore } from './draft-store';
import { createEditing, type Editing } from './editing';
import { createHistoryStore, type HistoryStore } from './history';
import { createOutgoingStore, type OutgoingStore } from './outgoing';
import { createSignatureStore, type SignatureStore } from './signature';
import { createUpdatesStore, type UpdatesStore } from './updates';

export interface Stores {
  app: AppStore;
  attention: AttentionStore;
  channels: ChannelsStore;
  clientForm: ClientFormStore;
  clientImport: ClientImportStore;
  clientSearch: ClientSearchStore;
  /** The reply's draft, under the open conversation. */
  composer: DraftStore;
  reply: Reply;
  conversations: ConversationsStore;
  editing: Editing;
  history: HistoryStore;
  outgoing: OutgoingStore;
  /** The new-message window's draft. */
  outgoingDraft: DraftStore;
  signature: SignatureStore;
  /** An update the desktop app downloaded, waiting for Restart to update. */
  updates: UpdatesStore;
}

export function createStores(api: PostdeskApi): Stores {
  const app = createAppStore(api);
  const channels = createChannelsStore(api);
  const clientImport = createClientImportStore(api);
  const composer = createDraftStore(api);
  const outgoingDraft = createDraftStore(api);
  // Edit in the history opens a composer, and sending from a composer reloads the history: the
  // history is built first and reaches `editing` once it exists.
  const history = createHistoryStore(api, { opened: (draft) => editing.opened(draft) });
  const reply = createReply(api, composer, history);
  const conversations = createConversationsStore(api, { history, reply });
  const outgoing = createOutgoingStore(api, { outgoingDraft, conversations });
  const editing = createEditing(api, { composer, reply, outgoing });
  return {
    app,
    attention: createAttentionStore(api, { app, conversations }),
    channels,
    clientForm: createClientFormStore(api, outgoing),
    clientImport,
    clientSearch: createClientSearchStore(api, conversations),
    composer,
    reply,
    conversations,
    editing,
    history,
    outgoing,
    outgoingDraft,
    signature: createSignatureStore(api, { app, composer }),
    updates: createUpdatesStore(api),
  };
}
