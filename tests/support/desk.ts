// One operator's desk for tests of the team: Postdesk's own services on their own data dir,
// syncing a real Dovecot mailbox that other desks share, with a short heartbeat so a quiet desk
// goes stale within seconds. What the page would hear (events) is recorded.
import path from 'node:path';
import { configWith } from '../../main/config/load';
import type { Config } from '../../main/config/schema';
import { openServices, type Services, type TeamTiming } from '../../main/services';
import type { EventName, EventPayload } from '../../preload/contract';

export const FAST_TEAM: TeamTiming = { heartbeatMs: 500, staleMs: 2500 };

export interface Desk {
  name: string;
  services: Services;
  events: Array<{ event: EventName; payload: unknown; at: number }>;
  /** Payloads of one event, oldest first. */
  heard<E extends EventName>(event: E): Array<EventPayload<E>>;
  waitFor(what: string, predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** `config` as the desk's own: its operator named `name`. */
export function deskConfig(config: Config, name: string): Config {
  return configWith({ ...JSON.parse(JSON.stringify(config)), operator: { name } } as never);
}

export async function openDesk(dir: string, config: Config, name: string, team: Partial<TeamTiming> = FAST_TEAM): Promise<Desk> {
  const services = await openServices({
    config: { ...config, operator: { ...config.operator, name } },
    dataDir: path.join(dir, name),
    lang: 'en',
    version: 'test',
    syncBackoff: { firstMs: 100, maxMs: 400 },
    sendRetry: { firstDelayMs: 100, maxDelayMs: 400 },
    team,
  });
  const events: Desk['events'] = [];
  services.events.subscribe((event, payload) => events.push({ event, payload, at: Date.now() }));
  return {
    name,
    services,
    events,
    heard: <E extends EventName>(event: E) => events.filter((e) => e.event === event).map((e) => e.payload as EventPayload<E>),
    async waitFor(what, predicate, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > until) throw new Error(`${name}: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => services.close(),
  };
}
