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

function readJson(file: string): Json {
  if (!existsSync(file)) throw new ConfigError(file, ['the file does not exist']);
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new ConfigError(file, [`the file is not valid JSON: ${(error as Error).message}`]);
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

function describeIssue(root: Json, issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const parent = valueAt(root, issue.path);
    const known = Object.keys(parent as object).filter((k) => !issue.keys.includes(k));
    return issue.keys
      .map((k) => {
        const key = keyPath([...issue.path, k]);
        const value = JSON.stringify((parent as Record<string, unknown>)[k]);
        return `${key} = ${value}: unknown key; expected one of ${known.join(', ') || '(none)'}`;
      })
      .join('\n  - ');
  }
  const key = keyPath(issue.path) || '(top level)';
  const value = valueAt(root, issue.path);
  const expected = issue.message.replace(/^Invalid input: expected /, '');
  if (value === undefined) return `${key} is missing: expected ${expected}`;
  return `${key} = ${JSON.stringify(value)}: expected ${expected}`;
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
