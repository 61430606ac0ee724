import {
  acknowledgeCampaign,
  debtTerms,
  liveCampaign,
  readyInvestor,
  rewardTerms,
} from '../support/pledging.js';
import type { TestApp } from '../support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from '../support/users.js';
import { fen } from './http-client.js';

/**
 * Windows shortened so that, in seconds of wall time, pledges leave cooling-off, wait for and
 * miss confirmation calls, and reward cancel cut-offs pass (DESIGN §8 overrides, no test-only
 * endpoint). The in-process seeding app and the child service run with the same pack.
 */
export const RULE_PACK_OVERRIDES = JSON.stringify({
  coolingOffHours: 0.0005, // 1.8 s
  confirmationCallTimeoutHours: 0.002, // 7.2 s
  reconfirmationWindowHours: 0.002,
  rewardCancelCutoffHours: 0.0001,
});

export interface SeededCampaign {
  id: string;
  founder: number;
  kind: 'REWARD' | 'DEBT';
  minPledge: string;
  tierIds: string[];
  /** When in the load window (fraction of it) the deadline is moved to now; null: stays LIVE. */
  closeAt: number | null;
}

export interface World {
  admin: { id: string; token: string };
  finance: { id: string; token: string };
  founders: TestUser[];
  investors: TestUser[];
  campaigns: SeededCampaign[];
  /** Deposits credited while seeding (not through the custodian), part of custody cash. */
  seedDepositsFen: bigint;
}

const SEED_DEPOSIT = '3000.00';
const farDeadline = () => new Date(Date.now() + 20 * 86_400_000).toISOString();

/**
 * Founders with LIVE campaigns of several kinds and outcomes, and verified, assessed investors
 * who acknowledged every disclosure, built through the in-process app on the run's database.
 */
export async function seedWorld(t: TestApp, investorCount: number): Promise<World> {
  t.clock.set(new Date()); // the child service runs on the wall clock
  const admin = await staffToken(t, 'ADMIN');
  const finance = await staffToken(t, 'FINANCE');
  const founders = [
    await verifiedUser(t, 'FOUNDER'),
    await verifiedUser(t, 'FOUNDER', 'ORGANIZATION'),
    await verifiedUser(t, 'FOUNDER'),
  ];
  const plans: { founder: number; closeAt: number | null; terms: Record<string, unknown> }[] = [
    // small all-or-nothing reward with scarce tiers: succeeds, tier stock runs out
    {
      founder: 0,
      closeAt: 0.35,
      terms: rewardTerms({
        targetAmount: '300.00',
        maxAmount: '3000.00',
        minPledge: '10.00',
        deadline: farDeadline(),
        rewardTiers: [
          { title: 'Mug', amount: '50.00', stock: 4 },
          { title: 'Sticker', amount: '10.00', stock: 30 },
        ],
      }),
    },
    // flexible reward: settles with whatever was raised
    {
      founder: 1,
      closeAt: 0.6,
      terms: rewardTerms({
        fundingModel: 'FLEXIBLE',
        targetAmount: '50000.00',
        maxAmount: '60000.00',
        deadline: farDeadline(),
      }),
    },
    // small debt: confirmation calls decide whether it reaches its target
    {
      founder: 2,
      closeAt: 0.5,
      terms: debtTerms({
        targetAmount: '500.00',
        maxAmount: '4000.00',
        minPledge: '100.00',
        deadline: farDeadline(),
      }),
    },
    // debt out of reach: fails and refunds
    {
      founder: 0,
      closeAt: 0.45,
      terms: debtTerms({
        targetAmount: '100000.00',
        maxAmount: '200000.00',
        minPledge: '100.00',
        deadline: farDeadline(),
      }),
    },
    // still LIVE at the end: holds stay pending, hard cap within reach
    {
      founder: 1,
      closeAt: null,
      terms: rewardTerms({
        targetAmount: '100.00',
        maxAmount: '1500.00',
        deadline: farDeadline(),
        rewardTiers: [{ title: 'Pin', amount: '20.00', stock: 10 }],
      }),
    },
    {
      founder: 2,
      closeAt: null,
      terms: debtTerms({
        targetAmount: '300.00',
        maxAmount: '2000.00',
        minPledge: '100.00',
        deadline: farDeadline(),
      }),
    },
  ];
  const sql = await t.db.client();
  const campaigns: SeededCampaign[] = [];
  for (const plan of plans) {
    const id = await liveCampaign(t, founders[plan.founder], admin.token, plan.terms);
    const tiers = await sql.query<{ id: string }>(
      `SELECT id FROM reward_tiers WHERE campaign_id = $1 ORDER BY position`,
      [id],
    );
    campaigns.push({
      id,
      founder: plan.founder,
      kind: plan.terms.kind as 'REWARD' | 'DEBT',
      minPledge: plan.terms.minPledge as string,
      tierIds: tiers.rows.map((r) => r.id),
      closeAt: plan.closeAt,
    });
  }
  const investors: TestUser[] = [];
  for (let i = 0; i < investorCount; i++) {
    const investor = await readyInvestor(t, { deposit: SEED_DEPOSIT });
    for (const c of campaigns) await acknowledgeCampaign(t, investor, c.id);
    investors.push(investor);
  }
  return {
    admin,
    finance,
    founders,
    investors,
    campaigns,
    seedDepositsFen: fen(SEED_DEPOSIT) * BigInt(investorCount),
  };
}
