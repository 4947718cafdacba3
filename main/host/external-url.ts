import { linkTarget } from '../../common/mail-urls';

/**
 * Links from mail that may leave the app, as common/mail-urls.ts decides for the page too: https,
 * http (the page warned) and mailto, never file:, javascript: or custom schemes.
 */
export function isVettedLink(url: string): boolean {
  return linkTarget(url) !== null;
}

/** The browser host's own address, which only the Node shell opens. */
export function isLoopbackHttp(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'http:' && hostname === '127.0.0.1';
  } catch {
    return false;
  }
}
