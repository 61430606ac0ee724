/**
 * `npm run cli -- <command>` (DESIGN §9). `custody:simulate` is a signed HTTP request and nothing
 * more, so it loads only the simulator; every other command (and any --help) loads the whole CLI,
 * which builds a Nest context or reads the database (src/cli-commands.ts).
 */
const argv = process.argv.slice(2);
const result =
  argv[0] === 'custody:simulate'
    ? await (await import('./cli-custody.js')).runSimulate(argv.slice(1))
    : 'FULL_CLI';
if (result === 'FULL_CLI') await import('./cli-commands.js');
else process.exit(result);
