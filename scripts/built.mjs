// Runs a compiled entry point (dist/...) after making sure dist/ is current, in this same process,
// so that `npm start` and `npm run cli` cost no build when nothing changed and signals sent to the
// npm process reach the service itself (npm forwards them to its child; there is no shell or second
// node in between).
//
//   node scripts/built.mjs dist/src/main.js [args...]
//   node scripts/built.mjs --build-only
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(root, 'dist', '.inputs-fingerprint');
/** What tsconfig.build.json compiles, plus the settings and the lockfile that shape the output. */
const INPUT_DIRS = ['src', 'migrations', 'bench', 'console'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
/** Inside the input folders but not compiled: the benches' results (each run rewrites them). */
const NOT_INPUTS = [path.join('bench', 'results')];

/** Whether a folder under the root (a relative path) holds build inputs. */
export function isInputDir(relativeDir) {
  return (
    path.basename(relativeDir) !== 'node_modules' &&
    !NOT_INPUTS.some((dir) => relativeDir === dir || relativeDir.startsWith(dir + path.sep))
  );
}

/** A fingerprint of every build input's path, size and modification time (no file is read). */
export function inputsFingerprint() {
  const hash = createHash('sha256');
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (isInputDir(path.relative(root, full))) visit(full);
      } else if (!entry.name.endsWith('.spec.ts')) add(full);
    }
  };
  const add = (file) => {
    const s = statSync(file);
    hash.update(`${path.relative(root, file)}\0${s.size}\0${s.mtimeMs}\n`);
  };
  for (const dir of INPUT_DIRS) if (existsSync(path.join(root, dir))) visit(path.join(root, dir));
  for (const file of INPUT_FILES) if (existsSync(path.join(root, file))) add(path.join(root, file));
  return hash.digest('hex');
}

/** Builds when dist/ was not built from the current inputs; says which it did on stderr. */
export function ensureBuilt({ force = false } = {}) {
  const fingerprint = inputsFingerprint();
  if (!force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint) return false;
  process.stderr.write(
    '[build] compiling TypeScript and the console (dist/ is missing or older than the sources)\n',
  );
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // The staff console (issue 17): Vite builds console/ into dist/console, served at /console.
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const consoleBuild = spawnSync(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      path.join(root, 'console', 'vite.config.mjs'),
      '--logLevel',
      'warn',
    ],
    { stdio: 'inherit', cwd: root },
  );
  if (consoleBuild.status !== 0) process.exit(consoleBuild.status ?? 1);
  writeFileSync(STAMP, fingerprint); // the inputs as they were when the build started
  return true;
}

const isMain = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (isMain) {
  const entry = process.argv[2];
  if (entry === '--build-only') {
    ensureBuilt({ force: true });
  } else if (!entry) {
    process.stderr.write('usage: node scripts/built.mjs <dist entry> [args...] | --build-only\n');
    process.exit(2);
  } else {
    ensureBuilt();
    const target = path.resolve(root, entry);
    process.argv.splice(1, 2, target); // the entry sees the argv it would see when run directly
    await import(pathToFileURL(target).href);
  }
}
