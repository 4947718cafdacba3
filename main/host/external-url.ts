/** Links from mail that may leave the app: only https and mailto, never file:, javascript: or custom schemes. */
export function isVettedLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'mailto:';
  } catch {
    return false;
  }
}
