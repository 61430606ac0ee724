import type pg from 'pg';

export interface StatementStat {
  query: string;
  calls: number;
  /** Per call, milliseconds. */
  meanPlanMs: number;
  meanExecMs: number;
  /** Share of the run's statement time (planning and execution) spent on this statement. */
  sharePct: number;
  /** Per call: buffers found in shared buffers, buffers read from outside them (the OS cache or
   * disk), full-page images written to the WAL (the first change of a page after a checkpoint)
   * and WAL bytes. */
  meanBlocksHit: number;
  meanBlocksRead: number;
  meanWalFpi: number;
  meanWalBytes: number;
}

export interface StatementStats {
  /** Runs `run` between a reset of pg_stat_statements and a read of it (when enabled). */
  around<T>(name: string, run: () => Promise<T>): Promise<T>;
  /** Per run name: the statements by the time Postgres spent on them, most first. */
  readonly byRun: Record<string, StatementStat[]>;
}

/**
 * `BENCH_PG_STAT_STATEMENTS=1` (issue 18: where the statements' time goes): each measured run's
 * statements from `pg_stat_statements`, which the server must preload
 * (`shared_preload_libraries = 'pg_stat_statements'`, `pg_stat_statements.track_planning = on`
 * to see planning). `pool` must connect as a superuser (the bench's owner pool does).
 */
export async function statementStats(
  pool: pg.Pool,
  enabled = process.env.BENCH_PG_STAT_STATEMENTS === '1',
): Promise<StatementStats> {
  const byRun: Record<string, StatementStat[]> = {};
  if (!enabled) return { around: (_name, run) => run(), byRun };
  await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  return {
    byRun,
    async around(name, run) {
      await pool.query('SELECT pg_stat_statements_reset()');
      const result = await run();
      const { rows } = await pool.query<{
        query: string;
        calls: string;
        plan: number;
        exec: number;
        total: number;
        hit: string;
        read: string;
        fpi: string;
        wal: string;
      }>(
        `SELECT query, calls::text, total_plan_time AS plan, total_exec_time AS exec,
                shared_blks_hit::text AS hit, shared_blks_read::text AS read,
                wal_fpi::text AS fpi, wal_bytes::text AS wal,
                sum(total_plan_time + total_exec_time) OVER () AS total
           FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          ORDER BY total_plan_time + total_exec_time DESC LIMIT 25`,
      );
      byRun[name] = rows.map((r) => ({
        query: r.query.replace(/\s+/g, ' ').slice(0, 300),
        calls: Number(r.calls),
        meanPlanMs: Number((r.plan / Number(r.calls)).toFixed(4)),
        meanExecMs: Number((r.exec / Number(r.calls)).toFixed(4)),
        sharePct: Number(((100 * (r.plan + r.exec)) / Math.max(r.total, 1e-9)).toFixed(1)),
        meanBlocksHit: perCall(r.hit, r.calls),
        meanBlocksRead: perCall(r.read, r.calls),
        meanWalFpi: perCall(r.fpi, r.calls),
        meanWalBytes: perCall(r.wal, r.calls),
      }));
      return result;
    },
  };
}

const perCall = (total: string, calls: string) =>
  Number((Number(total) / Math.max(Number(calls), 1)).toFixed(1));
