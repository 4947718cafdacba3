// Lint enforces the layering that keeps Postdesk testable and safe:
// - the renderer imports no Node module, no main/ code and no electron: it talks through the contract;
// - services (everything in main/ but main/app/ and main/host/electron.ts) import no electron;
// - common/ and the contract import nothing platform-specific, so both sides can compile them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const serverPackages = ['better-sqlite3', 'imapflow', 'nodemailer', 'mailparser', 'archiver', 'smtp-server', 'electron', 'file-type', 'cfb', 'yauzl', 'mammoth'];

const electronValueImport = {
  name: 'electron',
  message: 'Services run under plain Node: only main/app/ and main/host/electron.ts may import electron.',
  allowTypeImports: true,
};

/** electron-updater requires electron's app as it runs: it belongs to the desktop shell (main/app/updates.ts). */
const electronUpdaterValueImport = {
  name: 'electron-updater',
  message: 'electron-updater runs only inside Electron: only main/app/ may import it.',
  allowTypeImports: true,
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.tmp/**', '.electron-native/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only']", message: 'No focused tests.' }],
    },
  },
  {
    // A cycle means two modules are one concern split in two, or a layer reaching up.
    files: ['main/**/*.ts', 'common/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { ...importX.flatConfigs.typescript.settings, 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**', 'main/host/electron.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronValueImport, electronUpdaterValueImport],
          patterns: [
            {
              group: ['**/preload/**', '!**/preload/names'],
              message: 'Services and repositories speak the domain (common/domain/), not the wire: only the transports (main/ipc, main/app, main/web) import the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    // The transports serve the contract; they still import no electron outside main/app/.
    files: ['main/ipc/**/*.ts', 'main/web/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [electronValueImport, electronUpdaterValueImport] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeModules, ...serverPackages].map((name) => ({
            name,
            message: 'The renderer runs in a page: it reaches main only through the contract (preload/contract.ts).',
          })),
          patterns: [
            { group: ['**/main/**', '**/main'], message: 'The renderer may not import main-process code.' },
            { group: ['**/preload/index', '**/preload/event-channel'], message: 'The renderer gets its API from renderer/api.' },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/contract.ts', 'preload/verbs.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeModules, ...serverPackages],
          patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'Shared code depends on neither side.' }],
        },
      ],
    },
  },
  {
    // The ground floor: the contract is built from common/, never the other way round.
    files: ['common/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeModules, ...serverPackages],
          patterns: [
            { group: ['**/main/**', '**/renderer/**'], message: 'Shared code depends on neither side.' },
            { group: ['**/preload/**', '**/preload'], message: 'common/ imports nothing above it: the contract is built from common/, not common/ from the contract.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'scripts/**/*.{ts,mjs}', 'bench/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name=/^(only|skip)$/]", message: 'No focused or skipped tests.' }] },
  },
  {
    files: ['scripts/**/*.mjs', '*.config.{js,ts}', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
