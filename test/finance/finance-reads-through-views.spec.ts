import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { LEDGER_READ_VIEWS } from '../../src/modules/escrow-ledger/ledger-views.js';

/**
 * DESIGN §2 (one owner per table): the finance office reads the ledger through ledger-owned views,
 * and other modules' tables through the views their migrations define; it never names their
 * tables in its SQL, and never imports the ledger's repositories (issue 12).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const FINANCE = path.join(ROOT, 'src/modules/finance');
const MIGRATIONS = path.join(ROOT, 'migrations');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every table a migration creates, with the migration that creates it. */
function tablesByMigration(): Map<string, string> {
  const tables = new Map<string, string>();
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(MIGRATIONS, file), 'utf8');
    for (const m of text.matchAll(/CREATE TABLE "([a-z_]+)"/g)) tables.set(m[1], file);
  }
  return tables;
}

/** The views a migration file creates. */
function viewsIn(file: string): string[] {
  const text = readFileSync(path.join(MIGRATIONS, file), 'utf8');
  return [...text.matchAll(/CREATE VIEW "([a-z_]+)"/g)].map((m) => m[1]);
}

/** Finance's own tables (its migrations); everything else belongs to another module. */
const FINANCE_MIGRATIONS = [
  '1764900000000-reconciliations.ts',
  '1765870000000-verification-jobs.ts', // issue 17: verification jobs and their progress
];

/** Names of other modules' tables in a piece of source text, SQL position or not. */
function foreignTablesNamed(text: string, foreign: readonly string[]): string[] {
  const ledgerLike = foreign.filter((t) => /^(ledger_|custody_|idempotency_)/.test(t));
  const plain = foreign.filter((t) => !ledgerLike.includes(t));
  const found = new Set<string>();
  // The ledger's tables have distinctive names: any mention outside a view name counts.
  for (const table of ledgerLike) if (new RegExp(`\\b${table}\\b`).test(text)) found.add(table);
  // Ordinary words (campaigns, pledges, payouts, users) count where SQL would read a table.
  for (const table of plain) {
    const sql = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+"?${table}"?(?![\\w"])`, 'i');
    if (sql.test(text)) found.add(table);
  }
  return [...found].sort();
}

/** Imports (static or dynamic) of a repository that lives outside the finance module. */
function repositoryImports(file: string, text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']*\.repository(?:\.js)?)'/g)]
    .map((m) => m[1])
    .filter((spec) => !path.resolve(path.dirname(file), spec).startsWith(FINANCE + path.sep));
}

describe('finance reads other modules only through their views (DESIGN §2, issue 12)', () => {
  const tables = tablesByMigration();
  const foreign = [...tables]
    .filter(([, file]) => !FINANCE_MIGRATIONS.includes(file))
    .map(([t]) => t);
  const files = sourceFiles(FINANCE);

  it('knows the tables it guards (the ledger, pledges, campaigns and payouts among them)', () => {
    expect(foreign).toEqual(
      expect.arrayContaining([
        'ledger_accounts',
        'ledger_transfers',
        'ledger_blocks',
        'custody_notifications',
        'campaigns',
        'reward_tiers',
        'pledges',
        'payouts',
      ]),
    );
    expect(files.length).toBeGreaterThan(20);
  });

  it('no finance source file names another module’s table', () => {
    const offenders = files
      .map((file) => ({
        file: path.relative(ROOT, file),
        tables: foreignTablesNamed(readFileSync(file, 'utf8'), foreign),
      }))
      .filter((f) => f.tables.length > 0);
    expect(offenders).toEqual([]);
  });

  it('no finance source file imports a repository of another module (escrow-ledger included)', () => {
    const offenders = files
      .map((file) => ({
        file: path.relative(ROOT, file),
        imports: repositoryImports(file, readFileSync(file, 'utf8')),
      }))
      .filter((f) => f.imports.length > 0);
    expect(offenders).toEqual([]);
  });

  it('the ledger views finance reads are the ones the escrow ledger’s migration creates', () => {
    expect([
      ...viewsIn('1765000000000-escrow-ledger-read-views.ts'),
      ...viewsIn('1765800000000-ledger-checkpoints.ts'),
    ]).toEqual([...LEDGER_READ_VIEWS]);
    const named = new Set(
      files.flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/\bledger_\w+_view\b/g)].map((m) => m[0]),
      ),
    );
    const known: readonly string[] = LEDGER_READ_VIEWS;
    expect([...named].filter((view) => !known.includes(view))).toEqual([]);
    expect([...named].sort()).toEqual([...known].sort());
  });

  it('the checks catch a table name and a repository import (they can fail)', () => {
    expect(
      foreignTablesNamed('SELECT sum(amount) FROM ledger_transfers WHERE status = $1', foreign),
    ).toEqual(['ledger_transfers']);
    expect(foreignTablesNamed('SELECT * FROM ledger_transfers_view t', foreign)).toEqual([]);
    expect(foreignTablesNamed('… FROM campaigns c LEFT JOIN pledges p ON …', foreign)).toEqual([
      'campaigns',
      'pledges',
    ]);
    expect(foreignTablesNamed('the checks across ledger and campaigns', foreign)).toEqual([]);
    const inFinance = path.join(FINANCE, 'finance.service.ts');
    expect(
      repositoryImports(
        inFinance,
        "import { LedgerRepository } from '../escrow-ledger/ledger.repository.js';",
      ),
    ).toEqual(['../escrow-ledger/ledger.repository.js']);
    expect(
      repositoryImports(inFinance, "import { FinanceRepository } from './finance.repository.js';"),
    ).toEqual([]);
  });
});
