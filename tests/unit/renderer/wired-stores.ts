// The page's stores on a fake api, wired as main.tsx wires them.
import { createStores } from '../../../renderer/stores';
import { connectEvents } from '../../../renderer/stores/events';
import { createFakeApi } from '../../support/fake-api';

export function wiredStores() {
  const fake = createFakeApi();
  const stores = createStores(fake.api);
  const disconnect = connectEvents(stores, fake.api);
  return { fake, stores, disconnect };
}
