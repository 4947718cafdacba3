// How components reach the stores and the api main.tsx built: through a React context rather
// than an import, so the page runs on whichever api it was given. Each store's file has its hook
// (`useConversations(selector)`), made here by `hookFor`.
import { createContext, useContext } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { PostdeskApi } from '../../preload/verbs';
import type { Stores } from './index';

export interface Wiring {
  api: PostdeskApi;
  stores: Stores;
}

export const WiringContext = createContext<Wiring | null>(null);

function useWiring(): Wiring {
  const wiring = useContext(WiringContext);
  if (!wiring) throw new Error('A component read the stores outside WiringContext (see renderer/main.tsx).');
  return wiring;
}

/** For what is no store's: a file's URL, a request a component makes for itself. */
export const useApi = (): PostdeskApi => useWiring().api;

/** For a component that acts on a store from an event handler (`getState()`), where a hook cannot be called. */
export const useStores = (): Stores => useWiring().stores;

/** A store's whole state, or what `selector` takes of it (the component renders again when that changes). */
export interface StoreHook<T> {
  (): T;
  <U>(selector: (state: T) => U): U;
}

export function hookFor<T>(pick: (stores: Stores) => StoreApi<T>): StoreHook<T> {
  return <U>(selector?: (state: T) => U) => useStore(pick(useStores()), selector as (state: T) => U);
}
