import type { PledgeEntity } from './pledge.entity.js';

export interface PledgeView {
  id: string;
  campaignId: string;
  status: PledgeEntity['status'];
  amount: string;
  currency: string;
  rewardTierId: string | null;
  holdTransferId: string;
  coolingOffEndsAt: string | null;
  confirmationRequired: boolean;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}

export function toPledgeView(p: PledgeEntity): PledgeView {
  return {
    id: p.id,
    campaignId: p.campaignId,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    rewardTierId: p.rewardTierId,
    holdTransferId: p.holdTransferId,
    coolingOffEndsAt: p.coolingOffEndsAt?.toISOString() ?? null,
    confirmationRequired: p.confirmationRequired,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    endedAt: p.endedAt?.toISOString() ?? null,
  };
}
