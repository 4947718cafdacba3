import {
  classifyQuery,
  normalizeEmail,
  normalizeExternalId,
  normalizeName,
  normalizeUsername,
  phoneFragment,
  phoneSearchKeys,
  prefixUpperBound,
  rankOf,
  type MatchKind,
  type SearchAttribute,
} from '../../common/client-search';
import type { Statement } from 'better-sqlite3';
import type { ClientRow } from './clients-repo';
import type { Db } from './database';

export interface ClientSearchResult extends ClientRow {
  matched: SearchAttribute;
  /** rankOf(match kind): 0 exact, 1 prefix, 2 substring. */
  rank: number;
}

/** One (attribute, match kind) pair of a query: a predicate that one index answers. */
interface Tier {
  attribute: SearchAttribute;
  kind: MatchKind;
  /** SQL condition on clients, answered by `index` (unused for the trigram tiers). */
  where: string;
  params: string[];
  /** The index that answers `where`, or the trigram table that answers `ftsPhrase`. */
  index: string;
  /** Set for substrings (of a name, of a phone's digits): the FTS5 phrase that finds them in the trigram table `index`. */
  ftsPhrase?: string;
}

type Param = string | number;

interface Step {
  sql: string;
  params: Param[];
}

type Row = Omit<ClientSearchResult, 'matched' | 'rank'> & { nameNorm: string };

const COLUMNS = `id, name, phone, email, external_id AS externalId, messenger_username AS messengerUsername, name_norm AS nameNorm`;

const COLUMN: Record<Exclude<SearchAttribute, 'name'>, { column: string; index: string }> = {
  phone: { column: 'phone_norm', index: 'clients_phone_norm' },
  email: { column: 'email_norm', index: 'clients_email_norm' },
  externalId: { column: 'external_id_norm', index: 'clients_external_id_norm' },
  messengerUsername: { column: 'username_norm', index: 'clients_username_norm' },
};

const NAME_INDEX = 'clients_name_norm';

/** The trigram index only answers substrings of at least one trigram. */
const MIN_SUBSTRING = 3;

/**
 * A tier reads at most this many matches from its index before sorting them by name. A query
 * that matches more (an e-mail prefix like "ivan", a syllable of a common surname) is too vague
 * for its 20 results to be more than examples anyway, and bounding the work per keystroke is
 * what keeps 100,000 clients as fast as 1,000 (bench/search.ts). Below the cap the order is
 * exactly "by name"; above it, by name among the first CANDIDATE_CAP in index order.
 */
const CANDIDATE_CAP = 300;

export class ClientSearch {
  private readonly statements = new Map<string, Statement<Param[]>>();

  constructor(private readonly db: Db) {}

  /** Best first: exact before prefix before substring, then by name; one entry per client. */
  search(query: string, limit = 20): ClientSearchResult[] {
    const best = new Map<number, ClientSearchResult & { nameNorm: string }>();
    const tiers = this.tiers(query);
    for (const rank of [0, 1, 2]) {
      for (const tier of tiers.filter((t) => rankOf(t.kind) === rank)) {
        for (const row of this.topByName(tier, limit)) {
          if (!best.has(row.id)) best.set(row.id, { ...row, matched: tier.attribute, rank });
        }
      }
      // Every later tier ranks lower: once this many clients are found, none of theirs can enter.
      if (best.size >= limit) break;
    }
    return [...best.values()]
      .sort((a, b) => a.rank - b.rank || compare(a.nameNorm, b.nameNorm) || a.id - b.id)
      .slice(0, limit)
      .map(({ nameNorm: _nameNorm, ...result }) => result);
  }

  /** EXPLAIN QUERY PLAN of every statement a search for `query` may run; for tests and tuning. */
  explain(query: string, limit = 20): Array<{ attribute: SearchAttribute; kind: MatchKind; plan: string[] }> {
    return this.tiers(query).map((tier) => {
      const step = this.step(tier, limit);
      const plan = this.prepare(`EXPLAIN QUERY PLAN ${step.sql}`).all(...step.params) as Array<{ detail: string }>;
      return { attribute: tier.attribute, kind: tier.kind, plan: plan.map((r) => r.detail) };
    });
  }

  private tiers(query: string): Tier[] {
    const tiers: Tier[] = [];
    for (const attribute of classifyQuery(query)) {
      if (attribute === 'name') {
        const name = normalizeName(query);
        tiers.push(...this.exactAndPrefix('name', 'name_norm', NAME_INDEX, name));
        if ([...name].length >= MIN_SUBSTRING) tiers.push(substring('name', 'clients_name_fts', name));
      } else if (attribute === 'phone') {
        for (const key of phoneSearchKeys(query)) tiers.push(...this.exactAndPrefix(attribute, COLUMN.phone.column, COLUMN.phone.index, key));
        const fragment = phoneFragment(query);
        if (fragment !== null) tiers.push(substring('phone', 'clients_phone_fts', fragment));
      } else {
        const normalize = { email: normalizeEmail, externalId: normalizeExternalId, messengerUsername: normalizeUsername }[attribute];
        const value = normalize(query);
        if (value !== '') tiers.push(...this.exactAndPrefix(attribute, COLUMN[attribute].column, COLUMN[attribute].index, value));
      }
    }
    return tiers;
  }

  private exactAndPrefix(attribute: SearchAttribute, column: string, index: string, value: string): Tier[] {
    return [
      { attribute, kind: 'exact', where: `${column} = ?`, params: [value], index },
      // A range rather than LIKE: LIKE is case-insensitive for ASCII only and skips the index.
      { attribute, kind: 'prefix', where: `${column} >= ? AND ${column} < ?`, params: [value, prefixUpperBound(value)], index },
    ];
  }

  /** The tier's first `limit` matches in name order, from at most CANDIDATE_CAP candidates. */
  private topByName(tier: Tier, limit: number): Row[] {
    const step = this.step(tier, limit);
    return this.prepare(step.sql).all(...step.params) as Row[];
  }

  private step(tier: Tier, limit: number): Step {
    if (tier.index === NAME_INDEX) {
      // The name index is itself in name order: the range is read no further than the limit.
      return {
        sql: `SELECT ${COLUMNS} FROM clients INDEXED BY ${NAME_INDEX} WHERE ${tier.where} ORDER BY name_norm, id LIMIT ?`,
        params: [...tier.params, limit],
      };
    }
    if (tier.ftsPhrase) {
      return {
        sql: `SELECT ${COLUMNS} FROM clients
              WHERE id IN (SELECT rowid FROM ${tier.index} WHERE ${tier.index} MATCH ? LIMIT ${CANDIDATE_CAP})
              ORDER BY name_norm, id LIMIT ?`,
        params: [tier.ftsPhrase, limit],
      };
    }
    // The (attribute, name_norm) index covers the inner query: candidates are sorted by name
    // without touching the table, which is read only for the few rows returned.
    return {
      sql: `SELECT ${COLUMNS} FROM clients WHERE id IN (
              SELECT id FROM (SELECT id, name_norm FROM clients INDEXED BY ${tier.index} WHERE ${tier.where} LIMIT ${CANDIDATE_CAP})
              ORDER BY name_norm, id LIMIT ?)
            ORDER BY name_norm, id`,
      params: [...tier.params, limit],
    };
  }

  /** A search runs up to a few dozen statements; preparing each once keeps a keystroke cheap. */
  private prepare(sql: string): Statement<Param[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<Param[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** A substring of a normalised value, found through its trigram table as an FTS5 phrase. */
function substring(attribute: SearchAttribute, table: string, value: string): Tier {
  return { attribute, kind: 'substring', where: '', params: [], index: table, ftsPhrase: `"${value.replace(/"/g, '""')}"` };
}

/** Binary order, as SQLite compares name_norm, so merged tiers keep the order each tier had. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
