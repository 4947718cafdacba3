import type { PostdeskApi } from '../../preload/verbs';
import { createBrowserApi } from './browser-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host. */
    postdesk?: PostdeskApi;
  }
}

/** The preload bridge in the desktop app, the HTTP client in the browser host. */
export const api: PostdeskApi = window.postdesk ?? createBrowserApi();
