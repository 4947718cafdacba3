import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import defaults from '../../config/defaults.json' with { type: 'json' };
import { configSchema, type Config } from './schema';

const DEFAULTS_NAME = 'config/defaults.json';

/** A refused config file; `message` is meant for the administrator, as is. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Postdesk cannot use the config file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; lists and plain values in the override replace the default. */
export function mergeConfig(base: Json, override: Json): Json {
  if (!isObject(base) || !isObject(override)) return override;
  const merged: Record<string, Json> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = key in base ? mergeConfig(base[key]!, value) : value;
  }
  return merged;
}

/**
 * Whether JSON.parse of `prefix` fails on a character inside it, rather than only for want of
 * what follows: the first prefix that does ends at the character where `text` goes wrong.
 */
function failsInside(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    if (message.includes('Unexpected end of JSON input')) return false;
    const at = /at position (\d+)/.exec(message);
    return !at || Number(at[1]) < prefix.length;
  }
}

/**
 * Where `text` stops being JSON, as a line and a column. V8's own message quotes the text
 * around the mistake, which may well be a password written without its quotes.
 */
export function jsonMistakeAt(text: string): string {
  if (!failsInside(text)) return 'the end: the file stops before the JSON is complete';
  let [good, bad] = [0, text.length];
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (failsInside(text.slice(0, middle))) bad = middle;
    else good = middle;
  }
  const before = text.slice(0, bad - 1).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

function readJson(file: string): Json {
  if (!existsSync(file)) throw new ConfigError(file, ['the file does not exist']);
  // Notepad on Windows starts UTF-8 files with a byte-order mark, which JSON does not allow.
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new ConfigError(file, [`the file is not valid JSON; the mistake is at ${jsonMistakeAt(text)}`]);
  }
}

function keyPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function valueAt(root: Json, path: ReadonlyArray<PropertyKey>): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part as string];
  }
  return node;
}

const MASK = '***';

/**
 * Keys whose values are never printed: passwords, and whatever a typo may have made of one
 * (`pasword`, `passwd`, `pwd`, `пароль`). `passwordEnv` too: it should hold a variable's name, but the
 * mistake it is made for is pasting the password itself, and that is when it would be printed.
 */
function isSecretKey(key: PropertyKey): boolean {
  return typeof key === 'string' && /pass|pas+w|pwd|secret|token|credential|пароль/i.test(key);
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretKey(k) ? MASK : redact(v)]));
}

/** A value as a problem line shows it: JSON, with every secret in it masked. */
function shown(path: ReadonlyArray<PropertyKey>, value: unknown): string {
  return path.some(isSecretKey) ? MASK : JSON.stringify(redact(value));
}

function describeIssue(root: Json, issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const parent = valueAt(root, issue.path);
    const known = Object.keys(parent as object).filter((k) => !issue.keys.includes(k));
    return issue.keys
      .map((k) => {
        const path = [...issue.path, k];
        const value = shown(path, (parent as Record<string, unknown>)[k]);
        return `${keyPath(path)} = ${value}: unknown key; expected one of ${known.join(', ') || '(none)'}`;
      })
      .join('\n  - ');
  }
  const key = keyPath(issue.path) || '(top level)';
  const value = valueAt(root, issue.path);
  const expected = issue.message.replace(/^Invalid input: expected /, '');
  if (value === undefined) return `${key} is missing: expected ${expected}`;
  return `${key} = ${shown(issue.path, value)}: expected ${expected}`;
}

/** Parses an already-read JSON document (defaults merged with the override). */
export function parseConfig(merged: Json, file: string): Config {
  const result = configSchema.safeParse(merged);
  if (result.success) return result.data;
  throw new ConfigError(file, result.error.issues.map((issue) => describeIssue(merged, issue)));
}

/** Defaults from config/ with an override object merged over them (tests, tools). */
export function configWith(override: Json, source = '(inline config)'): Config {
  return parseConfig(mergeConfig(defaults, override), source);
}

/** Defaults from config/, with the administrator's file (if any) merged over them. */
export function loadConfig(file?: string): { config: Config; source: string } {
  if (!file) return { config: parseConfig(defaults, DEFAULTS_NAME), source: DEFAULTS_NAME };
  return { config: parseConfig(mergeConfig(defaults, readJson(file)), file), source: file };
}
