import { FundUse } from './modules/charity/index.js';
import { IssuerReports } from './modules/holdings/index.js';
import { Holdbacks } from './modules/fulfilment/index.js';
import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Equals, IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { coreImports } from './app.module.js';
import { ROLES, type Role } from './common/auth/auth.decorators.js';
import { DomainError } from './common/errors/domain-error.js';
import { validateInput } from './common/http/validation.js';
import { loadConfig } from './config/app-config.js';
import { simulate, SIMULATE_OPTIONS } from './cli-custody.js';
import { ConfigError } from './config/env.js';
import { backup, restore } from './database/backup.js';
import { prepareDatabase } from './database/database-bootstrap.js';
import { LedgerVerifierService } from './modules/escrow-ledger/ledger-verifier.service.js';
import { SealerService } from './modules/escrow-ledger/sealer.service.js';
import { LedgerExportService } from './modules/finance/ledger-export.service.js';
import { verifyExportFile } from './modules/finance/offline-verifier.js';
import { IdentityService } from './modules/identity/identity.service.js';
import { NotificationJobs } from './modules/notifications/notification-jobs.service.js';
import { SettlementService } from './modules/settlement/settlement.service.js';
import { LoanOverdueSweep } from './modules/lending/index.js';
import { LineMigration } from './modules/lines/index.js';
import { USER_KINDS, type UserKind } from './modules/identity/identity.types.js';

const USAGE = `usage: npm run cli -- <command> [options]

commands:
  user:create --email E --password P --role ADMIN|FINANCE|INVESTOR|FOUNDER [--kind PERSON|ORGANIZATION]
      Creates an account. ADMIN and FINANCE accounts can only be created here.
  jobs:run
      Runs the time-driven sweeps once (windows, deadlines, suspensions, settlement, refunds,
      reward holdback releases, overdue fund-use reports, overdue issuer annual reports),
      seals the ledger and runs the notification jobs (e-mail and webhook delivery, expiring
      assessments).
  ledger:verify [--incremental]
      Recomputes every sealed block and every account from the transfers; exit 1 on any problem.
      --incremental: only the blocks sealed since the last clean run, and every account from its
      verified checkpoint plus the transfers after it.
  ledger:export --out FILE
      Writes the whole ledger (transfers, sealed blocks, accounts) as JSON lines from one snapshot.
  backup --out DIR
      Writes DIR/database.dump (pg_dump, custom format), DIR/ledger.jsonl (the ledger export) and
      DIR/manifest.json (SHA-256 of each file, the last seal). Needs pg_dump (PATH or PG_BIN_DIR).
  restore --from DIR
      Restores a backup into the empty database DATABASE_MIGRATION_URL (or DATABASE_URL, or the
      embedded one) names, migrates it, and reports whether its seals match the manifest's.
      Run ledger:verify on it next. Exit 1 if the seals differ.
  ledger:verify-export FILE
      Verifies an export offline (no database, no network): transfer hashes, Merkle roots, the
      hash chain, every account's counters, debits = credits. Exit 1 with the problem list if any.
  lines:migrate
      PLAT-07, once line separation is on (PLATFORM_LINES enables EQUITY and DEBT): moves, per
      investor and in one transaction, the part of the general wallet that came from each
      financial line to that line's wallet (docs/lending.md, "Line separation"); audited.
      Running it again moves nothing more. Prints what moved.
  custody:simulate deposit|withdrawal-settled|withdrawal-failed|payout-settled|payout-failed|
                   repayment|distribution
      [--user-id UUID] [--line GENERAL|EQUITY|DEBT] [--loan-id UUID] [--distribution-id UUID]
      [--transfer-id UUID] --amount 1000.00 [--bank-reference REF]
      [--currency CNY] [--occurred-at ISO] [--url http://localhost:PORT]
      Development only (refused with exit 2 when NODE_ENV=production): plays the custodian bank.
      Signs a notification with CUSTODY_WEBHOOK_SECRET and posts it to the running service's
      POST /api/v1/custody/notifications; prints what was sent and the answer. A deposit names
      --user-id (and, for an investor, may name the wallet --line), a borrower's repayment the
      --loan-id, an issuer's distribution the --distribution-id; the others name the held
      --transfer-id (a withdrawal's "id", a payout's "holdTransferId") and its exact --amount.
      --bank-reference is random unless given, and
      --occurred-at is now: a bank's retry is the same notice byte for byte, so pass both to send
      one again (it is replayed; the same reference with another body is 409). The currency is
      the rule pack's.
      Exit 0 on a 2xx answer, 1 otherwise.
`;

class CreateUserArgs {
  @IsEmail() @MaxLength(254) email: string;
  @IsString() @MinLength(10) @MaxLength(128) password: string;
  @IsIn(ROLES) role: Role;
  @IsIn(USER_KINDS) kind: UserKind;
  @Equals('user:create') command: string;
}

@Module({})
class CliModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return { module: CliModule, imports: coreImports({ config: loadConfig(), databaseUrl }) };
  }
}

const say = (m: string): void => void process.stderr.write(`${m}\n`);

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      kind: { type: 'string', default: 'PERSON' },
      out: { type: 'string' },
      from: { type: 'string' },
      ...SIMULATE_OPTIONS,
      incremental: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (command === 'jobs:run' || command === 'ledger:verify' || command === 'lines:migrate')
    return runJob(command, values.incremental);
  if (command === 'ledger:export') return exportLedger(values.out);
  if (command === 'ledger:verify-export') return verifyExport(positionals[1]);
  if (command === 'backup') return runBackup(values.out);
  if (command === 'restore') return runRestore(values.from);
  if (command === 'custody:simulate') {
    return simulate(values, positionals[1]);
  }
  if (command !== 'user:create') {
    say(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const { help: _help, ...options } = values;
  const args = await validateInput(CreateUserArgs, { ...options, command });

  const database = await prepareDatabase(loadConfig(), () => undefined);
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(database.url), {
    logger: ['error', 'warn'],
  });
  try {
    const user = await context
      .get(IdentityService)
      .createUser(
        { email: args.email, password: args.password, role: args.role, kind: args.kind },
        'cli',
      );
    process.stdout.write(`${JSON.stringify(user)}\n`);
    return 0;
  } finally {
    await context.close();
    await database.stop();
  }
}

async function runJob(
  command: 'jobs:run' | 'ledger:verify' | 'lines:migrate',
  incremental = false,
): Promise<number> {
  const database = await prepareDatabase(loadConfig(), () => undefined);
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(database.url), {
    logger: ['error', 'warn'],
  });
  try {
    if (command === 'jobs:run') {
      const sweeps = await context.get(SettlementService).runOnce();
      const lending = await context.get(LoanOverdueSweep).runOnce(); // issue 14: overdue, default
      const holdbacksReleased = await context.get(Holdbacks).releaseDue(); // RW-03
      const fundUseReportsOverdue = await context.get(FundUse).noticeOverdue(); // PLAT-08
      const annualReportsOverdue = await context.get(IssuerReports).noticeOverdue(); // CN-ECF-07
      const sealed = await context.get(SealerService).sealAll();
      const notifications = await context.get(NotificationJobs).runOnce(); // after the sweeps' notices
      process.stdout.write(
        `${JSON.stringify({ ...sweeps, lending, holdbacksReleased, fundUseReportsOverdue, annualReportsOverdue, blocksSealed: sealed.length, notifications })}\n`,
      );
      return 0;
    }
    if (command === 'lines:migrate') {
      const moved = await context.get(LineMigration).run('cli');
      process.stdout.write(`${JSON.stringify(moved)}\n`);
      return 0;
    }
    const report = await context.get(LedgerVerifierService).verify({ incremental });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await context.close();
    await database.stop();
  }
}

async function exportLedger(out: string | undefined): Promise<number> {
  if (!out) {
    say(`ledger:export needs --out FILE\n\n${USAGE}`);
    return 2;
  }
  const database = await prepareDatabase(loadConfig(), () => undefined);
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(database.url), {
    logger: ['error', 'warn'],
  });
  try {
    const started = performance.now();
    await pipeline(context.get(LedgerExportService).export(), createWriteStream(out));
    const seconds = (performance.now() - started) / 1000;
    const { size } = await stat(out);
    process.stdout.write(
      `${JSON.stringify({ out, bytes: size, seconds: Number(seconds.toFixed(3)) })}\n`,
    );
    return 0;
  } finally {
    await context.close();
    await database.stop();
  }
}

async function runBackup(out: string | undefined): Promise<number> {
  if (!out) {
    say(`backup needs --out DIR\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const database = await prepareDatabase(config, () => undefined);
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(database.url), {
    logger: ['error', 'warn'],
  });
  try {
    const manifest = await backup({
      out,
      adminUrl: database.adminUrl,
      binDir: config.database.pgBinDir,
      exportLedger: (file) =>
        pipeline(context.get(LedgerExportService).export(), createWriteStream(file)),
    });
    process.stdout.write(`${JSON.stringify(manifest)}\n`);
    return 0;
  } finally {
    await context.close();
    await database.stop();
  }
}

async function runRestore(from: string | undefined): Promise<number> {
  if (!from) {
    say(`restore needs --from DIR\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const database = await prepareDatabase(config, () => undefined, { migrate: false });
  try {
    const report = await restore({
      dir: from,
      targetUrl: database.adminUrl,
      binDir: config.database.pgBinDir,
    });
    // Brings the restored copy up to this version's schema and the application role's password.
    await prepareDatabase(config, () => undefined);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.sealsMatch ? 0 : 1;
  } finally {
    await database.stop();
  }
}

/** Offline on purpose: no configuration, no database, no Nest context. */
async function verifyExport(file: string | undefined): Promise<number> {
  if (!file) {
    say(`ledger:verify-export needs a FILE\n\n${USAGE}`);
    return 2;
  }
  const report = await verifyExportFile(file);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DomainError) {
      say(
        `${error.code}: ${error.message}${error.details ? ` ${JSON.stringify(error.details)}` : ''}`,
      );
      process.exit(error.kind === 'VALIDATION' ? 2 : 1);
    }
    say(
      error instanceof ConfigError
        ? error.message
        : `failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
