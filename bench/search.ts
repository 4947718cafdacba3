// npm run bench -- search: client search over 1,000 and over 100,000 clients, the same 100 mixed
// queries against each, then 30 fragments of phone numbers (issue 12). The index design promises
// that the slowest query grows by at most 2× from the small file to the large one.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { normalizePhone } from '../common/client-search';
import { ClientSearch } from '../main/store/client-search-repo';
import { ClientsRepo, type NewClient } from '../main/store/clients-repo';
import { openDatabase, type Db } from '../main/store/database';
import { median, report, round } from './support';

const SMALL = 1_000;
const LARGE = 100_000;
/** Untimed passes first, so the first file measured does not also pay for JIT and page cache. */
const WARMUP_PASSES = 2;
/**
 * Each query is timed this many times and its median kept: a single timing now and then takes
 * a 10 ms pause (GC, the scheduler on two shared cores) that says nothing of the query, and the
 * slowest of 100 single timings was that pause, in either file, run after run.
 */
const TIMINGS_PER_QUERY = 5;

const RU_SURNAMES = ['Иванов', 'Петров', 'Сидоров', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Козлов', 'Новиков', 'Морозов', 'Волков', 'Алексеев', 'Фёдоров', 'Семёнов', 'Егоров', 'Павлов', 'Степанов', 'Николаев', 'Орлов', 'Андреев', 'Макаров', 'Никитин', 'Захаров', 'Зайцев', 'Соловьёв', 'Борисов', 'Яковлев', 'Григорьев', 'Романов'];
const RU_TRANSLIT = ['ivanov', 'petrov', 'sidorov', 'smirnov', 'kuznetsov', 'popov', 'sokolov', 'lebedev', 'kozlov', 'novikov', 'morozov', 'volkov', 'alekseev', 'fedorov', 'semenov', 'egorov', 'pavlov', 'stepanov', 'nikolaev', 'orlov', 'andreev', 'makarov', 'nikitin', 'zakharov', 'zaitsev', 'solovyov', 'borisov', 'yakovlev', 'grigoriev', 'romanov'];
const RU_FIRST = ['Иван', 'Пётр', 'Алексей', 'Сергей', 'Дмитрий', 'Андрей', 'Михаил', 'Николай', 'Артём', 'Максим', 'Ольга', 'Елена', 'Анна', 'Мария', 'Наталья', 'Татьяна', 'Светлана', 'Юлия'];
const EN_SURNAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams'];
const EN_FIRST = ['James', 'John', 'Robert', 'Michael', 'William', 'David', 'Mary', 'Linda', 'Susan', 'Karen', 'Emma', 'Olivia', 'Noah', 'Liam', 'Sophia'];
const DOMAINS = ['mail.ru', 'yandex.ru', 'gmail.com', 'example.com', 'corp.example'];

/** Deterministic, so both files hold the same first 1,000 clients and every run the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Synthetic extends NewClient {
  nationalPhone: string;
}

/** The same synthetic clients for every bench that needs a client list (search, import). */
export function makeClients(count: number): Synthetic[] {
  const next = random(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const clients: Synthetic[] = [];
  for (let i = 0; i < count; i++) {
    const russian = next() < 0.7;
    const s = Math.floor(next() * RU_SURNAMES.length);
    const name = russian ? `${RU_SURNAMES[s]} ${pick(RU_FIRST)}` : `${pick(EN_FIRST)} ${pick(EN_SURNAMES)}`;
    const local = (russian ? RU_TRANSLIT[s]! : name.toLowerCase().replace(' ', '.')) + i;
    const nationalPhone = `9${String(Math.floor(next() * 1e9)).padStart(9, '0')}`;
    const phoneWriting = [`+7 ${nationalPhone.slice(0, 3)} ${nationalPhone.slice(3, 6)}-${nationalPhone.slice(6, 8)}-${nationalPhone.slice(8)}`, `8${nationalPhone}`, nationalPhone][i % 3]!;
    clients.push({
      name,
      nationalPhone,
      phone: russian ? phoneWriting : `+44 20 ${String(1000 + (i % 9000))} ${String(i % 10000).padStart(4, '0')}`,
      email: `${local}@${pick(DOMAINS)}`,
      externalId: `CRM-${String(i).padStart(7, '0')}`,
      messengerUsername: next() < 0.5 ? `@${local.replace('.', '_')}` : null,
    });
  }
  return clients;
}

/** 100 queries of every kind an operator types, drawn from clients both files hold. */
function makeQueries(clients: readonly Synthetic[]): string[] {
  const next = random(7);
  const some = (): Synthetic => clients[Math.floor(next() * SMALL)]!;
  const kinds: Array<() => string> = [
    () => `+7 (${some().nationalPhone.slice(0, 3)}) ${some().nationalPhone.slice(3)}`,
    () => `8${some().nationalPhone}`,
    () => some().nationalPhone.slice(0, 6),
    () => some().email!,
    () => some().email!.slice(0, 5),
    () => some().externalId!,
    () => some().externalId!.slice(0, 8).toLowerCase(),
    () => some().messengerUsername ?? '@nobody_here',
    () => some().name,
    () => some().name.split(' ')[0]!,
    () => some().name.split(' ')[1]!.toLowerCase(),
    () => some().name.slice(1, 5),
    () => some().name.slice(0, 2),
    () => 'Несуществующий Клиент',
  ];
  return Array.from({ length: 100 }, (_, i) => kinds[i % kinds.length]!());
}

/**
 * Parts of numbers both files hold, as operators copy them from a call log or a CRM: the last
 * seven digits, `555-44-33`, digits from the middle. Drawn apart from makeQueries, whose 100
 * queries stay those measured before phone fragments were searched.
 */
function makePhoneFragments(clients: readonly Synthetic[]): string[] {
  const next = random(11);
  // The digits as stored (a Russian number's national ten, a British one's twelve).
  const phone = (): string => normalizePhone(clients[Math.floor(next() * SMALL)]!.phone!)!;
  const kinds: Array<() => string> = [
    () => phone().slice(3),
    () => {
      const p = phone();
      return `${p.slice(3, 6)}-${p.slice(6, 8)}-${p.slice(8)}`;
    },
    () => phone().slice(2, 8),
    () => phone().slice(4, 9),
    () => phone().slice(-5),
  ];
  return Array.from({ length: 30 }, (_, i) => kinds[i % kinds.length]!());
}

function seed(file: string, clients: readonly Synthetic[]): Db {
  const db = openDatabase(file);
  const repo = new ClientsRepo(db);
  db.transaction(() => {
    for (const { nationalPhone: _phone, ...client } of clients) repo.create(client);
  })();
  db.pragma('optimize');
  return db;
}

function measure(db: Db, queries: readonly string[]): number[] {
  const search = new ClientSearch(db);
  for (let pass = 0; pass < WARMUP_PASSES; pass++) for (const query of queries) search.search(query);
  return queries.map((query) => {
    const timings = Array.from({ length: TIMINGS_PER_QUERY }, () => {
      const started = process.hrtime.bigint();
      search.search(query);
      return Number(process.hrtime.bigint() - started) / 1e6;
    });
    return median(timings);
  });
}

function summary(n: number, times: number[]): { n: number; p50_ms: number; p95_ms: number; max_ms: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n, p50_ms: round(at(0.5), 3), p95_ms: round(at(0.95), 3), max_ms: round(sorted.at(-1)!, 3) };
}

export async function benchSearch(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'postdesk-bench-search-'));
  try {
    const clients = makeClients(LARGE);
    const mixed = makeQueries(clients);
    const queries = [...mixed, ...makePhoneFragments(clients)];
    const small = seed(path.join(dir, 'small.sqlite'), clients.slice(0, SMALL));
    const large = seed(path.join(dir, 'large.sqlite'), clients);
    const smallTimes = measure(small, queries);
    const largeTimes = measure(large, queries);
    small.close();
    large.close();
    const smallSummary = summary(SMALL, smallTimes);
    const largeSummary = summary(LARGE, largeTimes);
    const slowest = largeTimes.map((ms, i) => ({ query: queries[i]!, ms: round(ms, 3) })).sort((a, b) => b.ms - a.ms).slice(0, 3);
    console.log(`slowest at ${LARGE}: ${JSON.stringify(slowest)}`);
    // The phone fragments apart too: the newest kind of query, and the one a trigram index of digits answers.
    const fragments = (times: number[]) => round(Math.max(...times.slice(mixed.length)), 3);
    report({
      bench: 'search',
      small: smallSummary,
      large: largeSummary,
      ratio_max: round(largeSummary.max_ms / smallSummary.max_ms, 2),
      phone_fragments_max_ms: { small: fragments(smallTimes), large: fragments(largeTimes) },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
