import { searchColumns } from '../../common/client-search';
import type { Db } from './database';

export interface NewClient {
  name: string;
  phone?: string | null;
  email?: string | null;
  externalId?: string | null;
  messengerUsername?: string | null;
}

export interface ClientRow {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
  externalId: string | null;
  messengerUsername: string | null;
}

export type DuplicateField = 'email' | 'phone' | 'externalId';

const UNKNOWN_SENDER = 'Unknown sender';

const COLUMNS = `id, name, phone, email, external_id AS externalId, messenger_username AS messengerUsername`;

export class ClientsRepo {
  constructor(private readonly db: Db) {}

  create(client: NewClient, now = Date.now()): ClientRow {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO clients (name, phone, email, external_id, messenger_username, created_at,
                              name_norm, phone_norm, email_norm, external_id_norm, username_norm)
         VALUES (@name, @phone, @email, @externalId, @messengerUsername, @now,
                 @nameNorm, @phoneNorm, @emailNorm, @externalIdNorm, @usernameNorm)`,
      )
      .run({
        ...searchColumns(client),
        name: client.name,
        phone: client.phone ?? null,
        email: client.email ?? null,
        externalId: client.externalId ?? null,
        messengerUsername: client.messengerUsername ?? null,
        now,
      });
    return this.get(Number(lastInsertRowid))!;
  }

  get(id: number): ClientRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM clients WHERE id = ?`).get(id) as ClientRow | undefined;
  }

  /** The client who writes from this address, created (named from the display name) on first mail. */
  findOrCreateByEmail(email: string, displayName: string, now = Date.now()): ClientRow {
    return this.findByEmail(email) ?? this.create({ name: displayName.trim() || email, email }, now);
  }

  /** Mail without a readable From still has to be filed somewhere the operator sees it. */
  findOrCreateUnknownSender(now = Date.now()): ClientRow {
    const row = this.db
      .prepare(`SELECT ${COLUMNS} FROM clients WHERE email IS NULL AND name = ? ORDER BY id LIMIT 1`)
      .get(UNKNOWN_SENDER) as ClientRow | undefined;
    return row ?? this.create({ name: UNKNOWN_SENDER }, now);
  }

  /**
   * Fills the search columns of clients written before they existed (migration 003); SQL cannot
   * normalise as common/client-search.ts does. Cheap when there is nothing to do: an index probe.
   */
  backfillSearchColumns(): number {
    const pending = this.db
      .prepare(`SELECT ${COLUMNS} FROM clients WHERE name_norm IS NULL`)
      .all() as ClientRow[];
    if (pending.length === 0) return 0;
    const update = this.db.prepare(
      `UPDATE clients SET name_norm = @nameNorm, phone_norm = @phoneNorm, email_norm = @emailNorm,
         external_id_norm = @externalIdNorm, username_norm = @usernameNorm WHERE id = @id`,
    );
    this.db.transaction(() => {
      for (const row of pending) update.run({ ...searchColumns(row), id: row.id });
    })();
    return pending.length;
  }

  /**
   * Clients a new one may be a copy of: the same e-mail, phone or external ID (compared as
   * search normalises them, so "+7 999…" and "8 999…" are the same phone), with what matched.
   */
  findDuplicates(client: NewClient, limit = 10): Array<ClientRow & { sameAs: DuplicateField[] }> {
    const keys = searchColumns(client);
    const probes: Array<[DuplicateField, string, string | null]> = [
      ['email', 'email_norm', keys.emailNorm],
      ['phone', 'phone_norm', keys.phoneNorm],
      ['externalId', 'external_id_norm', keys.externalIdNorm],
    ];
    const found = new Map<number, ClientRow & { sameAs: DuplicateField[] }>();
    for (const [field, column, key] of probes) {
      if (key === null) continue;
      const rows = this.db.prepare(`SELECT ${COLUMNS} FROM clients WHERE ${column} = ? ORDER BY id LIMIT ?`).all(key, limit) as ClientRow[];
      for (const row of rows) {
        const entry = found.get(row.id) ?? { ...row, sameAs: [] };
        entry.sameAs.push(field);
        found.set(row.id, entry);
      }
    }
    return [...found.values()].slice(0, limit);
  }

  /** Gives a client (found or created without one) the address an e-mail goes to. */
  setEmail(id: number, email: string): ClientRow | undefined {
    const row = this.get(id);
    if (!row) return undefined;
    const next = { ...row, email };
    this.db
      .prepare('UPDATE clients SET email = @email, email_norm = @emailNorm WHERE id = @id')
      .run({ id, email, emailNorm: searchColumns(next).emailNorm });
    return this.get(id);
  }

  findByEmail(email: string): ClientRow | undefined {
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM clients WHERE lower(email) = lower(?) ORDER BY id LIMIT 1`)
      .get(email) as ClientRow | undefined;
  }
}
