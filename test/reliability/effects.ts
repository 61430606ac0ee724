import { copyFile, readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type pg from 'pg';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The effects that leave the database (e-mails, webhook calls) and the ones the background jobs
 * write (sweeps, seals), counted after a run so that "nothing done twice" is a number checked, not
 * a hope (issue 19): with two instances both run the sweeps, the sealer and the dispatchers.
 */
export interface EffectCounts {
  emailsSent: number;
  mailFiles: number;
  /**
   * E-mails mailed twice because a dispatcher was killed after the send and before recording it
   * (at-least-once delivery, the same Message-ID). Without a kill, any second copy is a violation.
   */
  emailsResent: number;
  webhooksDelivered: number;
  webhookCalls: number;
  webhooksResent: number;
  sealedBlocks: number;
  sealedTransfers: number;
  campaignTransitions: number;
  settlementTransfers: number;
}

/** A founder's webhook endpoint on this machine that records every call and answers 204. */
export class WebhookReceiver {
  readonly calls: { deliveryId: string; eventId: string }[] = [];
  private readonly server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      this.calls.push({
        deliveryId: String(req.headers['x-zhongchou-delivery-id']),
        eventId: String(req.headers['x-zhongchou-event-id']),
      });
      res.statusCode = 204;
      res.end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Waits until the dispatchers have settled every e-mail and webhook delivery (none PENDING). */
export async function drainOutbox(sql: pg.Client, seconds = 90): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const r = await sql.query<{ pending: string }>(
      `SELECT ((SELECT count(*) FROM notifications WHERE email_status = 'PENDING') +
               (SELECT count(*) FROM webhook_deliveries WHERE status = 'PENDING'))::text AS pending`,
    );
    if (r.rows[0].pending === '0') return;
    if (Date.now() > deadline) throw new Error(`${r.rows[0].pending} notices still unsent`);
    await sleep(250);
  }
}

/** The notification id of every .eml file the instances wrote to the shared MAIL_DIR. */
async function mailedNotificationIds(mailDir: string): Promise<string[]> {
  const ids: string[] = [];
  for (const name of await readdir(mailDir)) {
    if (!name.endsWith('.eml')) continue;
    const text = await readFile(path.join(mailDir, name), 'utf8');
    const id = /^X-Zhongchou-Notification-Id: *(\S+)/im.exec(text)?.[1];
    ids.push(id ?? `(no id in ${name})`);
  }
  return ids;
}

const tally = (xs: string[]) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
};

/**
 * Each effect exactly once. A second copy of an e-mail or webhook call is allowed only where the
 * design says it can happen (at-least-once delivery): in a run with kills, for a row whose first
 * claim was abandoned (attempts > 1), the copy carrying the same Message-ID / delivery id. The
 * background jobs' writes have no such excuse: every campaign transition once, every settlement
 * and fee transfer once per campaign, the sealed blocks one contiguous chain covering every
 * transfer once.
 */
export async function checkEffects(
  sql: pg.Client,
  mailDir: string,
  receiver: WebhookReceiver,
  kills: number,
): Promise<{ violations: string[]; counts: EffectCounts }> {
  const violations: string[] = [];
  const rows = async (label: string, text: string) => {
    const r = await sql.query(text);
    for (const row of r.rows) violations.push(`${label}: ${JSON.stringify(row)}`);
    return r.rows.length;
  };

  // E-mails: every SENT notice mailed, none mailed that is not SENT, copies only after a kill.
  const emails = await sql.query<{ id: string; status: string; attempts: number }>(
    `SELECT id, email_status AS status, email_attempts AS attempts FROM notifications`,
  );
  const mailed = tally(await mailedNotificationIds(mailDir));
  let emailsSent = 0;
  let emailsResent = 0;
  const known = new Set<string>();
  for (const n of emails.rows) {
    known.add(n.id);
    const copies = mailed.get(n.id) ?? 0;
    if (n.status === 'SENT') emailsSent++;
    if (n.status === 'SENT' && copies === 0)
      violations.push(`e-mail ${n.id} SENT but never mailed`);
    if (n.status !== 'SENT' && copies > 0)
      violations.push(`e-mail ${n.id} is ${n.status} but was mailed ${copies}x`);
    if (copies > 1) {
      if (kills > 0 && n.attempts > 1 && copies <= n.attempts) emailsResent += copies - 1;
      else violations.push(`e-mail ${n.id} mailed ${copies}x in ${n.attempts} claim(s)`);
    }
  }
  for (const id of mailed.keys())
    if (!known.has(id)) violations.push(`a mail for no notification: ${id}`);
  await rows(
    'e-mail not settled',
    `SELECT id, email_status FROM notifications WHERE email_status NOT IN ('SENT', 'SKIPPED')`,
  );

  // Webhooks: the same rules, by delivery id.
  const deliveries = await sql.query<{ id: string; status: string; attempts: number }>(
    `SELECT id, status, attempts FROM webhook_deliveries`,
  );
  const called = tally(receiver.calls.map((c) => c.deliveryId));
  let webhooksDelivered = 0;
  let webhooksResent = 0;
  for (const d of deliveries.rows) {
    const copies = called.get(d.id) ?? 0;
    if (d.status === 'DELIVERED') webhooksDelivered++;
    else violations.push(`webhook delivery ${d.id} is ${d.status}`);
    if (d.status === 'DELIVERED' && copies === 0)
      violations.push(`webhook delivery ${d.id} DELIVERED but never received`);
    if (copies > 1) {
      if (kills > 0 && d.attempts > 1 && copies <= d.attempts) webhooksResent += copies - 1;
      else
        violations.push(`webhook delivery ${d.id} received ${copies}x in ${d.attempts} claim(s)`);
    }
  }
  const deliveryIds = new Set(deliveries.rows.map((d) => d.id));
  for (const id of called.keys())
    if (!deliveryIds.has(id)) violations.push(`a webhook call for no delivery: ${id}`);
  await rows(
    'one delivery per endpoint and notice',
    `SELECT endpoint_id, notification_id, count(*)::int AS n FROM webhook_deliveries
      GROUP BY 1, 2 HAVING count(*) > 1`,
  );

  // Sweeps: each campaign transition once, each campaign's settlement and fee transfers once.
  await rows(
    'campaign transition recorded more than once',
    `SELECT campaign_id, from_status, to_status, count(*)::int AS n FROM campaign_transitions
      GROUP BY 1, 2, 3 HAVING count(*) > 1`,
  );
  await rows(
    'settlement or fee transfer made more than once',
    `SELECT reference, kind, count(*)::int AS n FROM ledger_transfers
      WHERE kind IN ('SETTLEMENT', 'FEE') GROUP BY 1, 2 HAVING count(*) > 1`,
  );
  await rows(
    'pledge hold resolved more than once',
    `SELECT pending_id, count(*)::int AS n FROM ledger_transfers WHERE pending_id IS NOT NULL
      GROUP BY 1 HAVING count(*) > 1`,
  );

  // Seals (INV-11): heights 1..n, each block starting where the one before ended and chained to
  // its hash, and every transfer in exactly one block.
  await rows(
    'sealed blocks not contiguous',
    `SELECT b.height, b.from_tx_id::text, p.to_tx_id::text AS prev_to, b.prev_hash = p.hash AS chained
       FROM ledger_blocks b LEFT JOIN ledger_blocks p ON p.height = b.height - 1
      WHERE (b.height > 1 AND (p.height IS NULL OR b.from_tx_id <> p.to_tx_id OR b.prev_hash <> p.hash))
         OR b.height < 1 OR b.height > (SELECT count(*) FROM ledger_blocks)`,
  );
  await rows(
    'transfer in no block or in two',
    `SELECT t.seq, count(b.height)::int AS blocks FROM ledger_transfers t
       LEFT JOIN ledger_blocks b ON t.tx_id >= b.from_tx_id AND t.tx_id < b.to_tx_id
      GROUP BY t.seq HAVING count(b.height) <> 1`,
  );
  await rows(
    'block transfer count differs from its range',
    `SELECT b.height, b.transfer_count, count(t.seq)::int AS actual FROM ledger_blocks b
       LEFT JOIN ledger_transfers t ON t.tx_id >= b.from_tx_id AND t.tx_id < b.to_tx_id
      GROUP BY b.height, b.transfer_count HAVING count(t.seq) <> b.transfer_count`,
  );

  const n = async (text: string) => Number((await sql.query<{ n: string }>(text)).rows[0].n);
  return {
    violations,
    counts: {
      emailsSent,
      mailFiles: [...mailed.values()].reduce((s, c) => s + c, 0),
      emailsResent,
      webhooksDelivered,
      webhookCalls: receiver.calls.length,
      webhooksResent,
      sealedBlocks: await n(`SELECT count(*)::text AS n FROM ledger_blocks`),
      sealedTransfers: await n(
        `SELECT coalesce(sum(transfer_count), 0)::text AS n FROM ledger_blocks`,
      ),
      campaignTransitions: await n(`SELECT count(*)::text AS n FROM campaign_transitions`),
      settlementTransfers: await n(
        `SELECT count(*)::text AS n FROM ledger_transfers WHERE kind IN ('SETTLEMENT', 'FEE')`,
      ),
    },
  };
}

/**
 * The checks must be able to fail: a copy of a sent e-mail left in the mail directory and a
 * webhook call recorded twice without any abandoned claim are reported.
 */
export async function sabotageEffects(
  sql: pg.Client,
  mailDir: string,
  receiver: WebhookReceiver,
): Promise<{ duplicateMail: boolean; duplicateWebhook: boolean }> {
  // a notice mailed in its first claim: a second copy of it has no excuse
  const once = await sql.query<{ id: string }>(
    `SELECT id FROM notifications WHERE email_status = 'SENT' AND email_attempts = 1 LIMIT 1`,
  );
  let duplicateMail = false;
  let eml: string | undefined;
  for (const name of once.rows.length > 0 ? await readdir(mailDir) : []) {
    if (!eml && (await readFile(path.join(mailDir, name), 'utf8')).includes(once.rows[0].id))
      eml = name;
  }
  if (eml) {
    await copyFile(path.join(mailDir, eml), path.join(mailDir, `copy-${eml}`));
    duplicateMail = (await checkEffects(sql, mailDir, receiver, 1)).violations.some((v) =>
      v.includes('mailed'),
    );
  }
  let duplicateWebhook = false;
  const first = await sql.query<{ id: string }>(
    `SELECT id FROM webhook_deliveries WHERE status = 'DELIVERED' AND attempts = 1 LIMIT 1`,
  );
  const call = receiver.calls.find((c) => c.deliveryId === first.rows[0]?.id);
  if (call) {
    receiver.calls.push({ ...call });
    duplicateWebhook = (await checkEffects(sql, mailDir, receiver, 1)).violations.some((v) =>
      v.includes('received'),
    );
    receiver.calls.pop();
  }
  return { duplicateMail, duplicateWebhook };
}
