/** Links from mail that may leave the app: only https and mailto, never file:, javascript: or custom schemes. */
export function isVettedLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'mailto:';
  } catch {
    return false;
  }
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
