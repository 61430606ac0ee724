// `npm run test:mutation`: StrykerJS once per rule module (mutation/targets.mjs), each against its
// own specs only, then one score for all of them. Fails below 80% (issue 19). TARGET=<path> runs
// one module.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { targets } from './targets.mjs';

const BREAK = 80;
const chosen = targets.filter((t) => !process.env.TARGET || t.mutate === process.env.TARGET);
const rows = [];
for (const t of chosen) {
  const started = Date.now();
  const run = spawnSync('npx', ['stryker', 'run'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, MUTATION_TARGET: t.mutate },
  });
  if (run.status !== 0) {
    process.stderr.write(`stryker failed on ${t.mutate} (exit ${run.status})\n`);
    process.exit(1);
  }
  const report = JSON.parse(
    readFileSync(`reports/mutation/${path.basename(t.mutate, '.ts')}.json`, 'utf8'),
  );
  const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
  for (const file of Object.values(report.files))
    for (const m of file.mutants) count[m.status in count ? m.status : 'other']++;
  rows.push({ module: t.mutate, ...count, seconds: Math.round((Date.now() - started) / 1000) });
}
const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
const score = (r) => {
  const detected = r.Killed + r.Timeout;
  const valid = detected + r.Survived + r.NoCoverage;
  return valid === 0 ? 100 : (100 * detected) / valid;
};
process.stdout.write('\nmutation score by module (killed + timed out) / (all but errors):\n');
for (const r of rows)
  process.stdout.write(
    `  ${score(r).toFixed(2).padStart(6)}%  ${r.module}  killed=${r.Killed} timeout=${r.Timeout} survived=${r.Survived} nocov=${r.NoCoverage} errors=${r.other} ${r.seconds}s\n`,
  );
const total = {
  Killed: sum('Killed'),
  Timeout: sum('Timeout'),
  Survived: sum('Survived'),
  NoCoverage: sum('NoCoverage'),
};
const overall = score(total);
process.stdout.write(
  `  ${overall.toFixed(2).padStart(6)}%  all ${rows.length} modules, ${sum('seconds')} s (break below ${BREAK}%)\n`,
);
process.exit(overall >= BREAK ? 0 : 1);
