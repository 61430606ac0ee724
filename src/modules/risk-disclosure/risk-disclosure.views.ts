import type {
  DisclosureAcknowledgementEntity,
  DisclosureVersionEntity,
  SpecialWarningEntity,
} from './risk-disclosure.entities.js';
import { specialWarningText } from './risk-disclosure.texts.js';
import type {
  AcknowledgementReceipt,
  CampaignDisclosureView,
  SpecialWarningView,
} from './risk-disclosure.types.js';

/** Entities never leave the module: one mapping per aggregate (STYLE §4). */
export function toCampaignView(v: DisclosureVersionEntity): CampaignDisclosureView {
  return {
    version: v.version,
    title: v.title,
    sha256: v.sha256,
    body: v.body,
    material: v.material,
    publishedAt: v.publishedAt.toISOString(),
  };
}

export function toReceipt(a: DisclosureAcknowledgementEntity): AcknowledgementReceipt {
  return {
    id: a.id,
    version: a.version,
    documentSha256: a.sha256,
    acknowledgedAt: a.acknowledgedAt.toISOString(),
  };
}

export function toSpecialWarningView(w: SpecialWarningEntity): SpecialWarningView {
  return {
    id: w.id,
    userId: w.userId,
    campaignId: w.campaignId,
    investorLevel: w.investorLevel,
    productLevel: w.productLevel,
    textVersion: w.textVersion,
    textSha256: w.textSha256,
    text: specialWarningText(w.textVersion, w.investorLevel, w.productLevel),
    acceptedAt: w.acceptedAt.toISOString(),
  };
}
