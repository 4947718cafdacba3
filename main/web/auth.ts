import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A link that opens the page once: its code is swapped for the session cookie on first use. */
export interface OneTimeLink {
  code: string;
  /** Settles when the code is used, so whatever carried it (a launch file) can go. */
  used: Promise<void>;
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}

/** Codes are kept only as hashes: looking one up reveals nothing about the others by its timing. */
function digest(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/**
 * Who may use this run's page. Each printed (or opened) link carries a one-time code; the
 * first load swaps it for the session secret in an HttpOnly cookie, and the code is dead from
 * then on, so a link seen later (in a terminal's scroll-back, a history file, a screenshot)
 * opens nothing.
 */
export class SessionGate {
  private readonly session = secret();
  private readonly codes = new Map<string, () => void>();

  constructor(private readonly port: () => number) {}

  /** Cookies ignore ports, so each running host names its own cookie. */
  get cookieName(): string {
    return `postdesk_${this.port()}`;
  }

  mint(): OneTimeLink {
    const code = secret();
    let settle!: () => void;
    const used = new Promise<void>((resolve) => (settle = resolve));
    this.codes.set(digest(code), settle);
    return { code, used };
  }

  /** True once per minted code; every later use, and any other string, is false. */
  redeem(candidate: string | null): boolean {
    if (!candidate) return false;
    const key = digest(candidate);
    const settle = this.codes.get(key);
    if (!settle) return false;
    this.codes.delete(key);
    settle();
    return true;
  }

  /** This host's session cookie, and nothing else, authorizes a request. */
  isAuthorized(req: IncomingMessage): boolean {
    const candidate = readCookie(req.headers.cookie, this.cookieName);
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.session);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  setCookieHeader(): string {
    return `${this.cookieName}=${this.session}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
