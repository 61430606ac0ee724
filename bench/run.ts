import 'reflect-metadata';
import { runFinanceBench } from './finance.js';
import { runLedgerBench } from './ledger.js';
import { runPledgeBench } from './pledge.js';
import { runSearchBench } from './search.js';

/** `npm run bench [ledger|pledge|finance|search]`: runs the named benchmarks (all by default) and writes bench/results/. */
const BENCHES: Record<string, () => Promise<void>> = {
  ledger: runLedgerBench,
  pledge: runPledgeBench,
  finance: runFinanceBench,
  search: runSearchBench,
};

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`,
  );
  process.exit(2);
}
for (const name of names.length > 0 ? names : Object.keys(BENCHES)) await BENCHES[name]();
// A missed load-time budget sets exitCode 1 (the figures are still written).
process.exit(process.exitCode ?? 0);
