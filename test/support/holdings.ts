import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

/**
 * A one-holding register as the settlement hand-over writes it (issue 15), for tests that need a
 * holding without settling an equity campaign: counter at 1, certificate 1, `units` at 50.00.
 */
export async function seedHolding(
  t: TestApp,
  h: { campaignId: string; investorId: string; units?: number },
): Promise<string> {
  const id = randomUUID();
  const units = h.units ?? 3;
  const sql = await t.db.client();
  await sql.query(
    `INSERT INTO holding_certificate_counters (campaign_id, last_number) VALUES ($1, 1)`,
    [h.campaignId],
  );
  await sql.query(
    `INSERT INTO holdings (id, campaign_id, certificate_no, investor_id, units, unit_price, cost,
       currency, share_class, vehicle, legal_holder, entry, issued_at)
     VALUES ($1, $2, 1, $3, $4::bigint, 50.00, $4::bigint * 50.00, 'CNY', 'ORDINARY', 'DIRECT', NULL, 'ISSUE', $5)`,
    [id, h.campaignId, h.investorId, units, t.clock.now()],
  );
  return id;
}
