import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import {
  ADD_DISTRIBUTION_COLUMN,
  ARRIVING_CONSTRAINTS,
  ARRIVING_TABLES,
  CONSTRAINT_CHANGES,
  DISTRIBUTION_COLUMN,
  QUERIES_TO_CHANGE,
  TABLES,
  type TableClass,
} from './citus-plan.js';

interface Key {
  table: string;
  name: string;
  columns: string[];
}
interface ForeignKey extends Key {
  refTable: string;
  refColumns: string[];
  cascades: boolean;
}

/** The column a table is (to be) distributed by: `campaigns.id`, else `campaign_id`. */
const distColumn = (table: string) => (table === 'campaigns' ? 'id' : DISTRIBUTION_COLUMN);

/**
 * Issue 19: the path past one primary (Citus, distributed by campaign) tested against the migrated
 * schema instead of hoped for. Every table is classified; every unique key of a distributed
 * table includes the distribution column and every foreign key is one Citus can enforce, or the
 * plan (test/scale/citus-plan.ts) lists what replaces it; and the SQL that would lock rows of
 * several campaigns at once is counted. docs/operations.md reports these same lists.
 */
describe('Citus plan: the schema distributed by campaign (issue 19)', () => {
  let db: TestDatabase;
  let sql: pg.Client;
  let tables: string[];
  let columns: Map<string, Set<string>>;
  let uniques: Key[];
  let foreignKeys: ForeignKey[];

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await db.client();
    tables = (
      await sql.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
    columns = new Map();
    for (const r of (
      await sql.query<{ table: string; column: string }>(
        `SELECT table_name AS table, column_name AS column FROM information_schema.columns
          WHERE table_schema = 'public'`,
      )
    ).rows) {
      if (!columns.has(r.table)) columns.set(r.table, new Set());
      columns.get(r.table)?.add(r.column);
    }
    // primary keys, unique constraints and unique indexes (partial ones too)
    uniques = (
      await sql.query<Key>(
        `SELECT t.relname AS table, i.relname AS name,
                array(SELECT a.attname::text FROM unnest(x.indkey) k JOIN pg_attribute a
                        ON a.attrelid = t.oid AND a.attnum = k) AS columns
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = 'public' AND x.indisunique`,
      )
    ).rows;
    foreignKeys = (
      await sql.query<ForeignKey>(
        `SELECT t.relname AS table, c.conname AS name, r.relname AS "refTable",
                array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS columns,
                array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS "refColumns",
                c.confdeltype = 'c' AS cascades
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
          WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
      )
    ).rows;
  });

  afterAll(async () => {
    await db.drop();
  });

  it('every table of the schema is classified exactly once, and the plan names no table that is gone', () => {
    expect(tables.filter((t) => !(t in TABLES))).toEqual([]);
    expect(
      Object.keys(TABLES).filter((t) => !tables.includes(t) && !ARRIVING_TABLES.includes(t)),
    ).toEqual([]);
  });

  it('every distributed table has the distribution column, or the plan adds it', () => {
    const missing = tables.filter(
      (t) =>
        TABLES[t] === 'DISTRIBUTED' &&
        !columns.get(t)?.has(distColumn(t)) &&
        !(t in ADD_DISTRIBUTION_COLUMN),
    );
    expect(missing).toEqual([]);
    for (const t of Object.keys(ADD_DISTRIBUTION_COLUMN)) {
      expect(TABLES[t]).toBe('DISTRIBUTED');
      expect(columns.get(t)?.has(DISTRIBUTION_COLUMN)).toBe(false); // else the entry is stale
    }
  });

  /** The constraints Citus could not enforce as they are. */
  function unenforceable(): string[] {
    const bad: string[] = [];
    for (const u of uniques) {
      if (TABLES[u.table] === 'DISTRIBUTED' && !u.columns.includes(distColumn(u.table)))
        bad.push(u.name);
    }
    const cls = (t: string): TableClass => TABLES[t];
    for (const f of foreignKeys) {
      const [from, to] = [cls(f.table), cls(f.refTable)];
      let ok: boolean;
      if (from === 'DISTRIBUTED' && to === 'DISTRIBUTED') {
        // co-located: the child's distribution column points at the parent's
        const i = f.columns.indexOf(distColumn(f.table));
        ok = i >= 0 && f.refColumns[i] === distColumn(f.refTable);
      } else if (to === 'DISTRIBUTED')
        ok = false; // reference or local -> distributed
      else if (from === 'DISTRIBUTED')
        ok = to === 'REFERENCE'; // never -> local
      else if (from === 'REFERENCE' && to === 'LOCAL') ok = !f.cascades;
      else ok = true; // local/reference -> local/reference
      if (!ok) bad.push(f.name);
    }
    return bad.sort();
  }

  it('every unique key and foreign key Citus cannot keep is listed with what replaces it', () => {
    const bad = unenforceable();
    expect(bad.filter((name) => !(name in CONSTRAINT_CHANGES))).toEqual([]);
    // no stale entry: each listed change is needed by the schema (or arrives with another branch)
    expect(
      Object.keys(CONSTRAINT_CHANGES).filter(
        (name) => !bad.includes(name) && !ARRIVING_CONSTRAINTS.includes(name),
      ),
    ).toEqual([]);
  });

  it('the check is not blind: a unique key without the campaign and a foreign key into the campaigns are caught', () => {
    uniques.push({ table: 'pledges', name: 'probe_unique', columns: ['investor_id'] });
    foreignKeys.push({
      table: 'users',
      name: 'probe_fk',
      columns: ['id'],
      refTable: 'campaigns',
      refColumns: ['id'],
      cascades: false,
    });
    try {
      expect(unenforceable()).toEqual(expect.arrayContaining(['probe_unique', 'probe_fk']));
    } finally {
      uniques.pop();
      foreignKeys.pop();
    }
  });

  it('the statements that lock rows of many campaigns at once are the ones the plan lists', () => {
    const distributed = Object.keys(TABLES).filter((t) => TABLES[t] === 'DISTRIBUTED');
    const found: Record<string, number> = {};
    for (const file of sourceFiles('src')) {
      const text = readFileSync(file, 'utf8');
      for (const literal of text.match(/`[^`]*`/g) ?? []) {
        if (!/FOR UPDATE/i.test(literal)) continue;
        const locked = [...literal.matchAll(/\bFROM\s+(\w+)/gi)].map((m) => m[1]);
        if (!locked.some((t) => distributed.includes(t))) continue;
        // one campaign named: the lock stays within one shard
        if (/\b(campaign_id|c\.id)\s*=\s*\$\d/.test(literal)) continue;
        found[file] = (found[file] ?? 0) + 1;
      }
    }
    expect(found).toEqual(QUERIES_TO_CHANGE);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}
