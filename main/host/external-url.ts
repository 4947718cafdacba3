import { linkTarget } from '../../common/mail-urls';

/**
 * Links from mail that may leave the app, as common/mail-urls.ts decides for the page too: https,
 * http (the page warned) and mailto, never file:, javascript: or custom schemes.
 */
export function isVettedLink(url: string): boolean {
  return linkTarget(url) !== null;
}
