import { parseArgs } from 'node:util';
import { appEnvironment, loadConfig } from './config/app-config.js';
import { ConfigError } from './config/env.js';
import {
  ProductionRefusedError,
  SIMULATED_NOTICES,
  simulateCustody,
  SimulatorUsageError,
} from './custody-simulator.js';

const say = (m: string): void => void process.stderr.write(`${m}\n`);

/** The options custody:simulate reads (see `npm run cli -- --help`); the full CLI parses them too. */
export const SIMULATE_OPTIONS = {
  'user-id': { type: 'string' },
  'loan-id': { type: 'string' },
  'distribution-id': { type: 'string' },
  line: { type: 'string' },
  'transfer-id': { type: 'string' },
  amount: { type: 'string' },
  'bank-reference': { type: 'string' },
  currency: { type: 'string' },
  'occurred-at': { type: 'string' },
  url: { type: 'string' },
} as const;

export type SimulateOptions = { [K in keyof typeof SIMULATE_OPTIONS]?: string };

/**
 * `custody:simulate`: no database and no Nest context, only a signed HTTP request to the running
 * service, so it loads only the simulator (issue 18: a CLI call that loaded the whole application
 * cost ~2 s before it sent anything).
 */
export async function simulate(
  values: SimulateOptions,
  notice: string | undefined,
): Promise<number> {
  // Before the rest of the configuration: in production a missing secret would stop it first.
  if (appEnvironment() === 'production') {
    say(new ProductionRefusedError().message);
    return 2;
  }
  try {
    const result = await simulateCustody(
      {
        notice,
        userId: values['user-id'],
        loanId: values['loan-id'],
        distributionId: values['distribution-id'],
        line: values.line,
        transferId: values['transfer-id'],
        amount: values.amount,
        bankReference: values['bank-reference'],
        currency: values.currency,
        occurredAt: values['occurred-at'],
        url: values.url,
      },
      loadConfig(),
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return result.status >= 200 && result.status < 300 ? 0 : 1;
  } catch (error) {
    if (!(error instanceof SimulatorUsageError)) throw error;
    say(`${error.message}\n\nnotices: ${Object.keys(SIMULATED_NOTICES).join(', ')}; see --help`);
    return 2;
  }
}

/**
 * The light path of the CLI entry: `custody:simulate <notice> [options]`. Help, or an option it
 * does not know, goes to the full CLI, which prints the usage.
 */
export async function runSimulate(argv: string[]): Promise<number | 'FULL_CLI'> {
  const known = new Set(Object.keys(SIMULATE_OPTIONS).map((o) => `--${o}`));
  if (argv.some((a) => a.startsWith('-') && !known.has(a.split('=')[0]))) return 'FULL_CLI';
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: SIMULATE_OPTIONS,
  });
  try {
    return await simulate(values, positionals[0]);
  } catch (error) {
    say(
      error instanceof ConfigError
        ? error.message
        : `failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
}
