import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp } from '../support/test-app.js';
import { checkInvariants, type History, sabotage } from './bank-checks.js';
import {
  checkEffects,
  drainOutbox,
  type EffectCounts,
  sabotageEffects,
  WebhookReceiver,
} from './effects.js';
import { RULE_PACK_OVERRIDES, seedWorld, type World } from './bank-seed.js';
import {
  type Answer,
  CUSTODY_SECRET,
  custodyNotice,
  newKey,
  RecordingClient,
} from './http-client.js';
import { quiesce, waitSealed } from './quiescence.js';
import { ServiceProcess } from './service-process.js';

/**
 * Jepsen's bank workload on zhongchou: N concurrent clients do random money operations over HTTP
 * against the real service in a child process (deposits, pledges with re-sent keys, cancels,
 * withdrawals and the custodian's answers, confirmation calls, payouts), campaigns reach their
 * deadlines and settle or fail under the load, optionally the service is killed with SIGKILL and
 * restarted; then everything is brought to rest and every invariant of DESIGN §5 is checked.
 */
export interface WorkloadOptions {
  seconds: number;
  clients: number;
  /** SIGKILLs of the service at random moments during the load (0: the plain bank test). */
  kills: number;
  /**
   * Service processes on the one database (issue 19; default 1). The clients' requests are spread
   * over them; each kill takes one of them down (in turn) for a second while the others serve.
   */
  instances?: number;
  investors?: number;
  label: string;
  /**
   * After the real checks, break the database and the client's record on purpose and check again,
   * to prove the checks can fail: `sabotageCaught` lists which breakages were reported.
   */
  checkTheChecks?: boolean;
}

export interface WorkloadResult {
  ops: Record<string, number>;
  statuses: Record<string, number>;
  violations: string[];
  kills: number;
  retriedRequests: number;
  networkErrors: number;
  requests: number;
  /** Requests answered by each instance. */
  perInstance: number[];
  effects: EffectCounts;
  campaigns: Record<string, string>;
  verify: { ok: boolean; problems: unknown[]; transfersChecked: number };
  summary: string;
  logFile: string;
  sabotageCaught?: Record<string, boolean>;
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];
const chance = (p: number): boolean => Math.random() < p;
const amount = (minYuan: number, maxYuan: number): string => {
  const f = Math.round((minYuan + Math.random() * (maxYuan - minYuan)) * 100);
  return `${Math.floor(f / 100)}.${String(f % 100).padStart(2, '0')}`;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok = (a: Answer) => a.status >= 200 && a.status < 300;
/** `201`, or `422 PLEDGE.REWARD_SOLD_OUT`: the status with the error code of a refusal. */
const outcome = (a: Answer) =>
  a.body.error?.code ? `${a.status} ${a.body.error.code}` : `${a.status}`;

export async function runBankWorkload(options: WorkloadOptions): Promise<WorkloadResult> {
  // The clients keep the tokens minted while seeding for the whole run (they never refresh), and
  // FINANCE approves payouts on its sign-in's second factor (issue 13): both must outlive the run.
  const tokenSeconds = String(Math.min(86_400, options.seconds + 900));
  const t = await startTestApp({ RULE_PACK_OVERRIDES, JWT_EXPIRES_IN_SECONDS: tokenSeconds });
  const logFile = path.join(os.tmpdir(), `zc-${options.label}-${process.pid}-${Date.now()}.log`);
  // Every instance mails into one directory and calls one webhook receiver: the effects counted.
  const mailDir = mkdtempSync(path.join(os.tmpdir(), `zc-${options.label}-mail-`));
  const receiver = new WebhookReceiver();
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: t.db.url,
    DATABASE_POOL_SIZE: '10',
    SWEEP_INTERVAL_MS: '250',
    SETTLEMENT_BATCH_SIZE: '20',
    SEAL_INTERVAL_MS: '300',
    SEAL_GRACE_SECONDS: '60',
    LOGIN_RATE_LIMIT: '10000',
    PASSWORD_SCRYPT_COST: '1024',
    CUSTODY_WEBHOOK_SECRET: CUSTODY_SECRET,
    RULE_PACK_OVERRIDES,
    // PLAT-07: the lines the seeding app ran with (one financial line: the general wallets).
    PLATFORM_LINES: t.config.lines.enabled.join(','),
    SECOND_FACTOR_FRESH_SECONDS: tokenSeconds,
    MAIL_DIR: mailDir,
    NOTIFICATION_DISPATCH_INTERVAL_MS: '250',
    NOTIFICATION_LEASE_SECONDS: '3',
    WEBHOOK_TIMEOUT_MS: '2000',
    NOTIFICATION_RETRY_BASE_MS: '200',
    NOTIFICATION_RETRY_MAX_MS: '2000',
  };
  const services: ServiceProcess[] = [];
  for (let i = 0; i < (options.instances ?? 1); i++) {
    const s = new ServiceProcess(env, logFile.replace(/\.log$/, `-i${i}.log`));
    await s.choosePort(services.map((o) => o.port));
    services.push(s);
  }
  try {
    const world = await seedWorld(t, options.investors ?? Math.max(8, options.clients));
    const hookUrl = await receiver.start();
    for (const founder of world.founders) {
      const registered = await t.http
        .post('/api/v1/me/webhooks')
        .set('authorization', `Bearer ${founder.token}`)
        .send({ url: hookUrl });
      if (registered.status !== 201)
        throw new Error(`webhook registration: ${registered.status} ${registered.text}`);
    }
    await Promise.all(services.map((s) => s.start()));
    const client = new RecordingClient(services);
    const history: History = {
      deposits: new Map(),
      pledges: new Map(),
      cancels: new Map(),
      withdrawals: new Map(),
      notices: new Map(),
      payouts: [],
      inconsistencies: [],
      seedDepositsFen: world.seedDepositsFen,
    };
    const ops: Record<string, number> = {};
    const count = (op: string) => (ops[op] = (ops[op] ?? 0) + 1);
    const sql = await t.db.client();
    const started = Date.now();
    const endAt = started + options.seconds * 1000;
    const { actions, outstanding } = workloadActions(world, client, history, count);

    const clients = Array.from({ length: options.clients }, async () => {
      while (Date.now() < endAt) await pickWeighted(actions)();
    });
    // Deadlines pass under load: the child's sweep closes, settles or fails the campaign.
    const closer = (async () => {
      for (const c of [...world.campaigns].sort((a, b) => (a.closeAt ?? 2) - (b.closeAt ?? 2))) {
        if (c.closeAt === null) continue;
        await sleep(Math.max(0, started + c.closeAt * options.seconds * 1000 - Date.now()));
        await sql.query(`UPDATE campaigns SET deadline = now() WHERE id = $1 AND status = 'LIVE'`, [
          c.id,
        ]);
        count('campaign.deadline-passed');
      }
    })();
    let kills = 0;
    const killer = (async () => {
      const moments = Array.from({ length: options.kills }, () => 0.1 + Math.random() * 0.8).sort();
      for (const m of moments) {
        await sleep(Math.max(0, started + m * options.seconds * 1000 - Date.now()));
        // With several instances the killed one stays down a moment: the others take its load.
        await services[kills % services.length].crashAndRestart(services.length > 1 ? 1000 : 0);
        kills++;
      }
    })();
    await Promise.all([...clients, closer, killer]);

    await outstanding(); // the custodian answers every withdrawal still held
    const campaigns = await quiesce(sql);
    await waitSealed(sql);
    await drainOutbox(sql);
    const verified = await client.call('finance.verify', 'GET', '/api/v1/finance/verify', {
      token: world.finance.token,
    });
    const verify = verified.body as unknown as WorkloadResult['verify'];
    const violations = [...history.inconsistencies];
    if (verified.status !== 200 || verify.ok !== true || verify.problems.length !== 0)
      violations.push(`GET /finance/verify: ${verified.status} ${JSON.stringify(verified.body)}`);
    violations.push(...(await checkInvariants(sql, history)));
    const effects = await checkEffects(sql, mailDir, receiver, kills);
    violations.push(...effects.violations);

    const sabotageCaught = options.checkTheChecks
      ? {
          ...(await sabotageEffects(sql, mailDir, receiver)),
          ...(await sabotage(sql, history)),
        }
      : undefined;
    const statuses: Record<string, number> = {};
    for (const e of client.exchanges) {
      const cls = `${Math.floor(e.status / 100)}xx`;
      statuses[cls] = (statuses[cls] ?? 0) + 1;
      if (e.status >= 500)
        violations.push(
          `${e.op} ${e.method} ${e.path} answered ${e.status}: ${JSON.stringify(e.body)}`,
        );
    }
    if (options.kills === 0 && client.networkErrors > 0)
      violations.push(`${client.networkErrors} network errors without any kill`);
    const opsText = Object.entries(ops)
      .sort()
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const effectsText = Object.entries(effects.counts)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const summary =
      `${options.label}: ${options.clients} clients x ${options.seconds} s on ${services.length} ` +
      `instance(s) (requests answered per instance ${client.perInstance.join('/')}), ` +
      `${client.exchanges.length} requests (${Object.entries(statuses)
        .sort()
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}), kills=${kills}, retried=${client.retriedRequests}, ` +
      `network errors=${client.networkErrors}, transfers verified=${verify.transfersChecked}, ` +
      `campaigns ${Object.values(campaigns).join('/')}, violations=${violations.length}; ` +
      `effects: ${effectsText}; ops: ${opsText}`;
    return {
      ops,
      statuses,
      violations,
      kills,
      retriedRequests: client.retriedRequests,
      networkErrors: client.networkErrors,
      requests: client.exchanges.length,
      perInstance: client.perInstance,
      effects: effects.counts,
      campaigns,
      verify,
      summary,
      logFile: services.map((s) => s.logFile).join(', '),
      sabotageCaught,
    };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await receiver.stop();
    await t.close();
    rmSync(mailDir, { recursive: true, force: true });
  }
}

type Action = { weight: number; run: () => Promise<void> };

function pickWeighted(actions: Action[]): () => Promise<void> {
  const total = actions.reduce((s, a) => s + a.weight, 0);
  let r = Math.random() * total;
  for (const a of actions) {
    r -= a.weight;
    if (r < 0) return a.run;
  }
  return actions[0].run;
}

function workloadActions(
  world: World,
  client: RecordingClient,
  h: History,
  count: (op: string) => void,
): { actions: Action[]; outstanding: () => Promise<void> } {
  const pendingWithdrawals: { id: string; amount: string }[] = [];
  const knownPledges: { id: string; investor: number; createdAt: number }[] = [];
  const payoutRequested = new Set<string>();

  /** Sends once, and sometimes again with the same key: the replay must be the same answer. */
  const resend = (op: string, first: Answer, again: Answer, idField = 'id') => {
    const same =
      first.status === again.status && (!ok(first) || first.body[idField] === again.body[idField]);
    if (!same)
      h.inconsistencies.push(
        `${op}: a re-sent request answered ${again.status} ${JSON.stringify(again.body)} after ${first.status} ${JSON.stringify(first.body)}`,
      );
  };

  const deposit = async () => {
    const investor = pick(world.investors);
    const notice = custodyNotice({
      type: 'DEPOSIT',
      bankReference: `dep-${newKey()}`,
      userId: investor.id,
      amount: amount(10, 800),
    });
    const a = await client.notify('deposit', notice);
    count('deposit');
    h.deposits.set(notice.bankReference, {
      bankReference: notice.bankReference,
      userId: investor.id,
      amount: notice.amount,
      status: a.status,
      transferId: a.body.transferId as string,
    });
    if (chance(0.2)) {
      resend('deposit', a, await client.notify('deposit.bank-retry', notice), 'transferId');
      count('deposit.bank-retry');
    }
  };

  const placePledge = async () => {
    const i = Math.floor(Math.random() * world.investors.length);
    const investor = world.investors[i];
    const campaign = pick(world.campaigns);
    const body: Record<string, string> = {
      amount: campaign.kind === 'DEBT' ? amount(100, 450) : amount(10, 120),
    };
    if (campaign.tierIds.length > 0 && chance(0.5)) {
      body.rewardTierId = pick(campaign.tierIds);
      body.amount = amount(50, 90);
    }
    const key = newKey();
    const send = (op: string, b: object) =>
      client.call(op, 'POST', `/api/v1/campaigns/${campaign.id}/pledges`, {
        token: investor.token,
        key,
        body: b,
      });
    const a = await send('pledge', body);
    count(`pledge.${outcome(a)}`);
    h.pledges.set(key, {
      investorId: investor.id,
      campaignId: campaign.id,
      amount: body.amount,
      status: a.status,
      pledgeId: a.body.id as string | undefined,
    });
    if (ok(a)) knownPledges.push({ id: a.body.id as string, investor: i, createdAt: Date.now() });
    if (chance(0.2)) {
      resend('pledge', a, await send('pledge.same-key', body));
      count('pledge.same-key');
    } else if (chance(0.05)) {
      const other = await send('pledge.key-reused', { ...body, amount: '999.99' });
      count('pledge.key-reused');
      if (other.status !== 409 || other.body.error?.code !== 'IDEMPOTENCY.KEY_REUSED')
        h.inconsistencies.push(`pledge key reused with another body: ${other.status}`);
    }
  };

  const cancel = async () => {
    if (knownPledges.length === 0) return;
    const p = pick(knownPledges);
    const key = newKey();
    const send = (op: string) =>
      client.call(op, 'POST', `/api/v1/pledges/${p.id}/cancel`, {
        token: world.investors[p.investor].token,
        key,
      });
    const a = await send('cancel');
    count(`cancel.${outcome(a)}`);
    h.cancels.set(key, { pledgeId: p.id, status: a.status });
    if (chance(0.2)) {
      resend('cancel', a, await send('cancel.same-key'));
      count('cancel.same-key');
    }
  };

  const withdraw = async () => {
    const investor = pick(world.investors);
    const key = newKey();
    const body = { amount: amount(10, 600) };
    const send = (op: string) =>
      client.call(op, 'POST', '/api/v1/wallet/withdrawals', { token: investor.token, key, body });
    const a = await send('withdrawal');
    count(`withdrawal.${outcome(a)}`);
    h.withdrawals.set(key, {
      userId: investor.id,
      amount: body.amount,
      status: a.status,
      id: a.body.id as string | undefined,
    });
    if (ok(a)) pendingWithdrawals.push({ id: a.body.id as string, amount: body.amount });
    if (chance(0.2)) {
      resend('withdrawal', a, await send('withdrawal.same-key'));
      count('withdrawal.same-key');
    }
  };

  const bankAnswersWithdrawal = async () => {
    const w = pendingWithdrawals.shift();
    if (!w) return;
    const type = chance(0.8) ? 'WITHDRAWAL_SETTLED' : 'WITHDRAWAL_FAILED';
    await sendResolution(client, h, count, type, w.id, w.amount);
  };

  const confirmationCall = async () => {
    const due = knownPledges.filter((p) => Date.now() - p.createdAt > 2000);
    if (due.length === 0) return;
    const p = pick(due);
    const a = await client.call(
      'confirmation-call',
      'POST',
      `/api/v1/admin/pledges/${p.id}/confirmation-call`,
      {
        token: world.admin.token,
        body: { outcome: chance(0.85) ? 'CONFIRMED' : 'RESCINDED', notes: 'called back' },
      },
    );
    count(`confirmation-call.${outcome(a)}`);
  };

  const payout = async () => {
    const c = pick(world.campaigns);
    if (payoutRequested.has(c.id)) return;
    const founder = world.founders[c.founder];
    const seen = await client.call('campaign.read', 'GET', `/api/v1/campaigns/${c.id}`, {
      token: founder.token,
    });
    if (seen.body.status !== 'SETTLED' || payoutRequested.has(c.id)) return;
    payoutRequested.add(c.id);
    const requested = await client.call('payout.request', 'POST', '/api/v1/payouts', {
      token: founder.token,
      key: newKey(),
      body: { campaignId: c.id },
    });
    count(`payout.request.${outcome(requested)}`);
    if (!ok(requested)) return;
    const payoutId = requested.body.id as string;
    let approved = await client.call(
      'payout.approve',
      'POST',
      `/api/v1/finance/payouts/${payoutId}/approve`,
      {
        token: world.finance.token,
      },
    );
    count(`payout.approve.${outcome(approved)}`);
    if (approved.status === 409) {
      // an approval whose answer was lost to a kill: read what was decided
      approved = await client.call('payout.read', 'GET', `/api/v1/payouts/${payoutId}`, {
        token: world.finance.token,
      });
    }
    const hold = approved.body.holdTransferId as string | null;
    if (!ok(approved) || !hold) return;
    h.payouts.push({
      id: payoutId,
      campaignId: c.id,
      amount: approved.body.amount as string,
      holdTransferId: hold,
    });
    const type = chance(0.8) ? 'PAYOUT_SETTLED' : 'PAYOUT_FAILED';
    await sendResolution(client, h, count, type, hold, approved.body.amount as string);
  };

  const readWallet = async () => {
    const investor = pick(world.investors);
    const a = await client.call('wallet.read', 'GET', '/api/v1/wallet', { token: investor.token });
    count('wallet.read');
    if (a.status !== 200 || (a.body.available as string).startsWith('-'))
      h.inconsistencies.push(`GET /wallet: ${a.status} ${JSON.stringify(a.body)}`);
  };

  const outstanding = async () => {
    for (const w of pendingWithdrawals.splice(0))
      await sendResolution(client, h, count, 'WITHDRAWAL_SETTLED', w.id, w.amount);
  };
  const actions = [
    { weight: 12, run: deposit },
    { weight: 30, run: placePledge },
    { weight: 10, run: cancel },
    { weight: 8, run: withdraw },
    { weight: 8, run: bankAnswersWithdrawal },
    { weight: 8, run: confirmationCall },
    { weight: 3, run: payout },
    { weight: 4, run: readWallet },
  ];
  return { actions, outstanding };
}

async function sendResolution(
  client: RecordingClient,
  h: History,
  count: (op: string) => void,
  type: string,
  transferId: string,
  amountText: string,
): Promise<void> {
  const notice = custodyNotice({
    type,
    bankReference: `res-${newKey()}`,
    transferId,
    amount: amountText,
  });
  const a = await client.notify(type.toLowerCase(), notice);
  count(`${type.toLowerCase()}.${outcome(a)}`);
  h.notices.set(notice.bankReference, {
    bankReference: notice.bankReference,
    type,
    transferId,
    amount: amountText,
    status: a.status,
  });
  if (a.status !== 200)
    h.inconsistencies.push(`${type} for ${transferId}: ${a.status} ${JSON.stringify(a.body)}`);
  if (chance(0.2)) {
    const again = await client.notify(`${type.toLowerCase()}.bank-retry`, notice);
    count(`${type.toLowerCase()}.bank-retry`);
    if (again.status !== a.status || again.body.transferId !== a.body.transferId)
      h.inconsistencies.push(`${type} retried: ${again.status} after ${a.status}`);
  }
}
