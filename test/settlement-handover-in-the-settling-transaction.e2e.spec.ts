import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import {
  type SettledCampaign,
  SettlementHandovers,
} from '../src/modules/settlement/settlement-handovers.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import {
  acknowledgeCampaign,
  inDays,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { TEST_START, startTestApp, type TestApp } from './support/test-app.js';
import { staffToken, verifiedUser } from './support/users.js';

/**
 * DESIGN §2: settlement hands a settled campaign over to the modules above it (lending, holdings,
 * fulfilment) in the transaction that settles it: the hand-over commits with the settlement or not
 * at all, and a failed hand-over leaves the campaign CLOSING for the next sweep.
 */
describe('settlement hands over in its own transaction (DESIGN §2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a failing hand-over rolls the settlement back; the next sweep settles and hands over once', async () => {
    const admin = await staffToken(t, 'ADMIN');
    const founder = await verifiedUser(t, 'FOUNDER');
    const id = await liveCampaign(t, founder, admin.token, rewardTerms({ targetAmount: '100.00' }));
    const investor = await readyInvestor(t, { deposit: '500.00' });
    await acknowledgeCampaign(t, investor, id);
    await pledge(t, investor, id, { amount: '200.00' });

    const seen: SettledCampaign[] = [];
    let failNext = true;
    t.app.get(SettlementHandovers).register('REWARD', async (campaign) => {
      if (campaign.id !== id) return;
      if (failNext) {
        failNext = false;
        throw new Error('the hand-over failed');
      }
      seen.push(campaign);
    });
    const status = async () =>
      (
        await (
          await t.db.client()
        ).query<{ status: string }>(`SELECT status FROM campaigns WHERE id = $1`, [id])
      ).rows[0].status;
    const payable = async () =>
      (await t.app.get(LedgerService).findAccount(AccountCodes.founderPayable(founder.id)))
        ?.creditsPosted ?? '0.00';

    t.clock.set(inDays(10.01));
    try {
      const sweeps = t.app.get(SettlementService);
      await expect(sweeps.runOnce()).rejects.toThrow('the hand-over failed');
      expect(await status()).toBe('CLOSING');
      expect(await payable()).toBe('0.00'); // the net went back with the failed transaction
      await sweeps.runOnce();
      expect(await status()).toBe('SETTLED');
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ id, founderId: founder.id, kind: 'REWARD' });
      expect([seen[0].gross.toString(), seen[0].fee.toString(), seen[0].net.toString()]).toEqual([
        '200.00',
        '10.00',
        '190.00',
      ]);
      expect(await payable()).toBe('190.00');
      await sweeps.runOnce();
      expect(seen).toHaveLength(1);
    } finally {
      t.clock.set(TEST_START);
    }
  });
});
