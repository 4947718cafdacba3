import type { DraftView, Result } from '../../preload/contract';
import type { PostdeskApi } from '../../preload/verbs';
import { createBrowserApi } from './browser-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host. */
    postdesk?: PostdeskApi;
  }
}

/**
 * Desktop app: a dropped or pasted file goes to main as its bytes (a File cannot cross the
 * preload bridge, and the page never learns a path).
 */
function withByteUpload(bridge: PostdeskApi): PostdeskApi {
  const uploadFile = async (draftId: number, file: File): Promise<Result<DraftView>> => {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      return { ok: false, error: { code: 'invalid_input', message: `${file.name} could not be read: ${(error as Error).message}` } };
    }
    return bridge.drafts.attachBytes({ draftId, fileName: file.name, bytes });
  };
  return { ...bridge, uploadFile };
}

/** The desktop app opens the native file dialog; the browser host uses the page's file chooser. */
export const hasNativeDialogs = window.postdesk !== undefined;

/**
 * The preload bridge in the desktop app, the HTTP client in the browser host. main.tsx calls it
 * once and hands the answer to the stores and components: nothing picks it as a module loads.
 */
export function chooseApi(): PostdeskApi {
  return window.postdesk ? withByteUpload(window.postdesk) : createBrowserApi();
}

/**
 * Opens a mail's link the operator confirmed: in the desktop app through main (shell.openExternal
 * after its own check), in the browser host as a new tab that cannot reach back to this page
 * (noopener) and is not told where it came from (noreferrer).
 */
export async function openLink(url: string): Promise<Result<undefined>> {
  if (window.postdesk) return window.postdesk.links.open({ url });
  window.open(url, '_blank', 'noopener,noreferrer');
  return { ok: true, value: undefined };
}
