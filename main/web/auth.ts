import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A per-run secret: the printed URL carries it once; the page then holds it in a cookie. */
export class TokenGate {
  readonly token = randomBytes(32).toString('base64url');

  constructor(private readonly port: () => number) {}

  /** Cookies ignore ports, so each running host names its own cookie. */
  get cookieName(): string {
    return `postdesk_${this.port()}`;
  }

  matches(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** The token from the X-Postdesk-Token header or this host's cookie. */
  isAuthorized(req: IncomingMessage): boolean {
    const header = req.headers['x-postdesk-token'];
    if (typeof header === 'string' && this.matches(header)) return true;
    return this.matches(readCookie(req.headers.cookie, this.cookieName));
  }

  setCookieHeader(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
