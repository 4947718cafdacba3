import type { Db } from './database';

export interface ChannelRow {
  id: string;
  name: string;
  address: string;
}

/** Channels live in the config; the table mirrors them so conversations can reference them. */
export class ChannelsRepo {
  constructor(private readonly db: Db) {}

  syncFromConfig(channels: readonly ChannelRow[], now = Date.now()): void {
    const upsert = this.db.prepare(
      `INSERT INTO channels (id, name, address, updated_at) VALUES (@id, @name, @address, @now)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address, updated_at = excluded.updated_at`,
    );
    this.db.transaction(() => {
      for (const c of channels) upsert.run({ id: c.id, name: c.name, address: c.address, now });
    })();
  }
}
