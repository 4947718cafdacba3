import { randomUUID } from 'node:crypto';
import type { Db } from './database';

/** Small facts about this data dir that outlive a restart. */
export class AppStateRepo {
  constructor(private readonly db: Db) {}

  /**
   * This desk's id: made once per data dir. Other desks tell this desk's answers and claims
   * by it, so it stays the same over restarts (a name would not: two desks may share one).
   */
  deskId(): string {
    this.db.prepare(`INSERT INTO app_state (key, value) VALUES ('desk_id', ?) ON CONFLICT (key) DO NOTHING`).run(randomUUID());
    return this.get('desk_id')!;
  }

  get(key: string): string | undefined {
    return this.db.prepare('SELECT value FROM app_state WHERE key = ?').pluck().get(key) as string | undefined;
  }

  set(key: string, value: string): void {
    this.db.prepare('INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
