import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { VerificationProgress } from '../../src/modules/escrow-ledger/ledger-verifier.service.js';
import { LedgerVerifierService } from '../../src/modules/escrow-ledger/ledger-verifier.service.js';
import { InvariantMonitorService } from '../../src/modules/finance/invariant-monitor.service.js';
import { VerificationJobsService } from '../../src/modules/finance/verification-jobs.service.js';
import { fundedAccount, sealEverything } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { staffToken, type StaffUser, verifiedUser } from '../support/users.js';

interface Job {
  id: string;
  mode: string;
  state: 'RUNNING' | 'DONE' | 'FAILED';
  step: string;
  blocksDone: number;
  blocksTotal: number;
  startedBy: string;
  report: {
    ok: boolean;
    blocksChecked: number;
    problems: { invariant: string; code: string; ids: string[] }[];
  } | null;
  error: string | null;
}

/**
 * Ledger verification with progress (issue 17): POST /finance/verifications starts the run of
 * GET /finance/verify in the background (202 with its id); the progress (blocks recomputed of the
 * blocks to check) and at the end the report with its named problems are in the database, so any
 * instance answers GET /finance/verifications/:id. One at a time; the start is audited.
 */
describe('finance: ledger verification as a job with progress (issue 17)', () => {
  let t: TestApp;
  let finance: StaffUser;
  let blocks: number;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const start = (body: object = {}, token = finance.token) =>
    t.http.post('/api/v1/finance/verifications').set(auth(token)).send(body);
  const get = (id: string, token = finance.token) =>
    t.http.get(`/api/v1/finance/verifications/${id}`).set(auth(token));
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;
  /** Polls until `done(job)`; answers the last job read. */
  const until = async (id: string, done: (job: Job) => boolean): Promise<Job> => {
    for (let i = 0; i < 400; i++) {
      const res = await get(id);
      expect(res.status).toBe(200);
      if (done(res.body as Job)) return res.body as Job;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`verification ${id} never got there`);
  };
  const finished = (job: Job) => job.state !== 'RUNNING';

  beforeAll(async () => {
    t = await startTestApp();
    finance = await staffToken(t, 'FINANCE');
    // Three deposits sealed one by one: at least three blocks to recompute.
    for (const name of ['vj-1', 'vj-2', 'vj-3']) {
      await fundedAccount(t, name, '25.00');
      await sealEverything(t);
    }
    blocks = Number((await sql(`SELECT count(*)::int AS n FROM ledger_blocks`))[0].n);
    expect(blocks).toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => {
    await t.close();
  });

  it('the verifier reports its progress: every block counted up to the total, then the checks', async () => {
    const seen: VerificationProgress[] = [];
    const report = await t.app
      .get(LedgerVerifierService)
      .verify({ onProgress: (p) => seen.push(p) });
    expect(report.ok).toBe(true);
    expect(seen[0]).toEqual({ step: 'BLOCKS', blocksDone: 0, blocksTotal: blocks });
    expect(seen.filter((p) => p.step === 'BLOCKS').map((p) => p.blocksDone)).toEqual(
      Array.from({ length: blocks + 1 }, (_, i) => i),
    );
    expect(seen.at(-1)).toEqual({ step: 'CHECKS', blocksDone: blocks, blocksTotal: blocks });
  });

  it('202 with the id; runs to DONE with every block counted and the report of GET /finance/verify; audited', async () => {
    const res = await start();
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      mode: 'FULL',
      state: 'RUNNING',
      step: 'STARTING',
      blocksDone: 0,
      startedBy: finance.id,
      report: null,
      error: null,
    });
    const job = await until(res.body.id as string, finished);
    expect(job).toMatchObject({
      state: 'DONE',
      step: 'FINISHED',
      blocksDone: blocks,
      blocksTotal: blocks,
      error: null,
    });
    const direct = await t.http.get('/api/v1/finance/verify').set(auth(finance.token));
    expect(direct.status).toBe(200); // the synchronous route answers as before
    const { invariants, problems, ok, blocksChecked } = direct.body;
    expect(job.report).toMatchObject({ ok, problems, invariants, blocksChecked });
    expect(job.report).toMatchObject({ ok: true, problems: [] });
    const events = await sql(
      `SELECT actor_id, action, subject_id, details FROM audit_events
       WHERE action = 'finance.verification.started' AND subject_id = $1`,
      [job.id],
    );
    expect(events).toEqual([
      {
        actor_id: finance.id,
        action: 'finance.verification.started',
        subject_id: job.id,
        details: { mode: 'FULL' },
      },
    ]);
  });

  it('the progress is in the database while it runs (any instance can answer), and one runs at a time (409)', async () => {
    const monitor = t.app.get(InvariantMonitorService);
    const original = monitor.verify.bind(monitor);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const spy = jest.spyOn(monitor, 'verify').mockImplementationOnce(async (options = {}) => {
      options.onProgress?.({ step: 'BLOCKS', blocksDone: 1, blocksTotal: 3 });
      await gate;
      return original(options);
    });
    try {
      const res = await start({ incremental: true });
      expect(res.status).toBe(202);
      const id = res.body.id as string;
      const midway = await until(id, (j) => j.blocksDone === 1);
      expect(midway).toMatchObject({
        state: 'RUNNING',
        step: 'BLOCKS',
        blocksDone: 1,
        blocksTotal: 3,
        mode: 'INCREMENTAL',
      });
      const [row] = await sql(
        `SELECT state, blocks_done, blocks_total FROM verification_jobs WHERE id = $1`,
        [id],
      );
      expect(row).toEqual({ state: 'RUNNING', blocks_done: 1, blocks_total: 3 });
      const second = await start();
      expect([second.status, second.body.error.code, second.body.error.details.id]).toEqual([
        409,
        'FINANCE.VERIFICATION_RUNNING',
        id,
      ]);
      release();
      const job = await until(id, finished);
      expect(job).toMatchObject({ state: 'DONE', report: { ok: true } });
    } finally {
      release();
      spy.mockRestore();
    }
  });

  it('names the problems at the end: a counter changed behind the trigger (INV-3, INV-4)', async () => {
    const code = await fundedAccount(t, 'vj-broken', '40.00');
    await sealEverything(t);
    const client = await t.db.client();
    const shift = async (delta: number) => {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(
        `UPDATE ledger_accounts SET credits_posted = credits_posted + $2 WHERE code = $1`,
        [code, delta],
      );
      await client.query('COMMIT');
    };
    await shift(1);
    try {
      const job = await until((await start()).body.id as string, finished);
      expect(job.state).toBe('DONE');
      expect(job.report?.ok).toBe(false);
      expect(job.report?.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            invariant: 'INV-3',
            code: 'ACCOUNT_COUNTER_MISMATCH',
            ids: [code],
          }),
          expect.objectContaining({ invariant: 'INV-4', code: 'LEDGER_UNBALANCED' }),
        ]),
      );
    } finally {
      await shift(-1);
    }
  });

  it('a run that breaks is FAILED with why; a job whose instance stopped is FAILED and frees the slot', async () => {
    const monitor = t.app.get(InvariantMonitorService);
    const spy = jest.spyOn(monitor, 'verify').mockRejectedValueOnce(new Error('connection lost'));
    try {
      const job = await until((await start()).body.id as string, finished);
      expect(job).toMatchObject({ state: 'FAILED', error: 'connection lost', report: null });
    } finally {
      spy.mockRestore();
    }
    // A RUNNING row no instance has beaten the heartbeat of for longer than staleAfterMs.
    const id = randomUUID();
    const old = new Date(t.clock.now().getTime() - VerificationJobsService.staleAfterMs - 1000);
    await sql(
      `INSERT INTO verification_jobs (id, mode, state, step, blocks_done, blocks_total, started_by, started_at, heartbeat_at)
       VALUES ($1, 'FULL', 'RUNNING', 'BLOCKS', 2, 5, $2, $3, $3)`,
      [id, finance.id, old],
    );
    const abandoned = await get(id);
    expect(abandoned.body).toMatchObject({ state: 'FAILED', blocksDone: 2, blocksTotal: 5 });
    expect(abandoned.body.error).toMatch(/abandoned/);
    const next = await start();
    expect(next.status).toBe(202);
    await until(next.body.id as string, finished);
  });

  it('FINANCE only (401, 403 for ADMIN and an investor); 404 for an unknown id; 400 for bad input', async () => {
    const admin = await staffToken(t, 'ADMIN');
    const investor = await verifiedUser(t, 'INVESTOR');
    expect((await t.http.post('/api/v1/finance/verifications').send({})).status).toBe(401);
    for (const token of [admin.token, investor.token]) {
      const started = await start({}, token);
      expect([started.status, started.body.error.code]).toEqual([403, 'AUTH.FORBIDDEN']);
      expect((await get(randomUUID(), token)).status).toBe(403);
    }
    const missing = await get(randomUUID());
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await get('not-a-uuid')).status).toBe(400);
    const bad = await start({ incremental: 'yes' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const extra = await start({ everything: true });
    expect(extra.status).toBe(400);
    const count = await sql(
      `SELECT count(*)::int AS n FROM verification_jobs WHERE started_by <> $1`,
      [finance.id],
    );
    expect(count[0].n).toBe(0); // nothing written for a refused start
  });
});
