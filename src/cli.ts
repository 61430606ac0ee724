/**
 * `npm run cli -- <command>` (DESIGN §9). `custody:simulate` is a signed HTTP request and nothing
 * more, so it loads only the simulator; every other command (and any --help) loads the whole CLI,
 * which builds a Nest context or reads the database (src/cli-commands.ts).
 */
const LIGHT_OPTIONS = new Set(
  [
    'user-id',
    'loan-id',
    'distribution-id',
    'line',
    'transfer-id',
    'amount',
    'bank-reference',
    'currency',
    'occurred-at',
    'url',
  ].map((o) => `--${o}`),
);
const argv = process.argv.slice(2);
const light =
  argv[0] === 'custody:simulate' &&
  !argv.some((a) => a === '--help' || a === '-h') &&
  // unknown options are the full CLI's to report, with its usage text
  argv.slice(1).every((a) => !a.startsWith('-') || LIGHT_OPTIONS.has(a.split('=')[0]));

if (light) {
  const { runSimulate } = await import('./cli-custody.js');
  process.exit(await runSimulate(argv.slice(1)));
} else {
  await import('./cli-commands.js');
}
