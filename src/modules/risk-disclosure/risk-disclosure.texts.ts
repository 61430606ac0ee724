import { createHash } from 'node:crypto';
import type {
  DisclosureCampaignKind,
  InvestorRiskLevel,
  ProductRiskLevel,
} from './risk-disclosure.types.js';

/** Lower-case hex SHA-256 of the exact UTF-8 bytes of `text` (what the database CHECK recomputes). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface StandardWarning {
  version: string;
  text: string;
}

/**
 * The platform's standard risk warning appended to every campaign disclosure, per campaign kind
 * (CN-ECF-07, CN-ECF-10, CN-SUIT-15). Versioned and frozen: a changed wording is a new version, so
 * every stored disclosure still names the wording it carried.
 */
export const STANDARD_CAMPAIGN_WARNINGS: Readonly<
  Record<DisclosureCampaignKind, Readonly<StandardWarning>>
> = Object.freeze({
  EQUITY: Object.freeze({
    version: 'RW-EQUITY-2026.1',
    text: [
      '【平台标准风险提示 / Platform standard risk warning — equity (RW-EQUITY-2026.1)】',
      '本项目为股权融资：您可能损失全部投资本金；股权无法在本平台转让，流动性极低；后续融资可能稀释您的持股；平台及融资方均不承诺任何收益。融资方须真实、准确、完整地披露商业模式、管理团队、财务状况及资金用途，并在融资后向投资者报告影响其权益的重大信息（CN-ECF-07）。',
      'This is an equity raise: you may lose all the money you invest; the shares cannot be transferred on this platform and are highly illiquid; later funding rounds may dilute your holding; neither the platform nor the fundraiser promises any return. The fundraiser must disclose its business model, management, financial position and use of funds truly, accurately and completely, and must report to investors after the raise any material information affecting their rights (CN-ECF-07).',
    ].join('\n'),
  }),
  DEBT: Object.freeze({
    version: 'RW-DEBT-2026.1',
    text: [
      '【平台标准风险提示 / Platform standard risk warning — debt (RW-DEBT-2026.1)】',
      '本项目为债权融资：借款人可能逾期或无法偿还本息，您可能损失部分或全部本金；债权无法在本平台转让，流动性极低；平台不提供担保，亦不承诺保本或最低收益。融资方须真实、准确、完整地披露经营情况、管理团队、财务状况、资金用途及还款来源，并在融资后向投资者报告影响其权益的重大信息（CN-ECF-07）。',
      'This is a debt raise: the borrower may pay late or fail to repay principal and interest, and you may lose part or all of your principal; the claim cannot be transferred on this platform and is highly illiquid; the platform gives no guarantee and promises neither principal protection nor a minimum return. The fundraiser must disclose its business, management, financial position, use of funds and source of repayment truly, accurately and completely, and must report to investors after the raise any material information affecting their rights (CN-ECF-07).',
    ].join('\n'),
  }),
  REWARD: Object.freeze({
    version: 'RW-REWARD-2026.1',
    text: [
      '【平台标准风险提示 / Platform standard risk warning — reward (RW-REWARD-2026.1)】',
      '回报类项目不是投资产品：回报可能延迟交付、无法交付，或与描述不符；融资方失败时您的支持款可能无法全部收回。平台不为交付提供担保。',
      'A reward campaign is not an investment: the reward may be delivered late, not at all, or differ from its description, and if the fundraiser fails you may not get all of your pledge back. The platform does not guarantee delivery.',
    ].join('\n'),
  }),
  DONATION: Object.freeze({
    version: 'RW-DONATION-2026.1',
    text: [
      '【平台标准风险提示 / Platform standard risk warning — donation (RW-DONATION-2026.1)】',
      '捐赠不产生任何经济回报，项目成功后款项不予退还；请核实受捐方资质及资金用途。',
      'A donation brings no financial return of any kind and is not refunded once the campaign succeeds; check the recipient’s standing and the use of the funds.',
    ].join('\n'),
  }),
});

/** The stored body: the founder's text, then the platform's standard warning for the kind. */
export function composeCampaignDisclosureBody(
  founderBody: string,
  kind: DisclosureCampaignKind,
): string {
  return `${founderBody.trimEnd()}\n\n${STANDARD_CAMPAIGN_WARNINGS[kind].text}`;
}

/** The version of the CN-SUIT-11 special written risk warning new records are signed against. */
export const CURRENT_SPECIAL_WARNING_VERSION = 'SW-2026.1';

/**
 * The CN-SUIT-11 special written risk warning (《普通投资者购买高于自身风险承受能力产品或者服务的特别风险
 * 警示书》), by version. Rendering is deterministic, so a stored record (version + levels + hash)
 * proves exactly which words the investor confirmed.
 */
const SPECIAL_WARNING_TEMPLATES: Readonly<
  Record<string, (investorLevel: InvestorRiskLevel, productLevel: ProductRiskLevel) => string>
> = Object.freeze({
  'SW-2026.1': (c: InvestorRiskLevel, r: ProductRiskLevel) =>
    [
      `普通投资者购买高于自身风险承受能力产品的特别风险警示书（SW-2026.1）`,
      `Special written risk warning: an ordinary investor buying a product above their risk tolerance (SW-2026.1)`,
      '',
      `您的风险承受能力等级为 ${c}，本项目的风险等级为 ${r}，高于您的风险承受能力。平台已告知您本项目与您不匹配，且未向您推荐本项目。`,
      `Your risk tolerance level is ${c}. This campaign's risk rating is ${r}, which is above your tolerance. The platform has told you that the campaign does not suit you and has not recommended it to you.`,
      '',
      `参与本项目可能使您遭受超出您承受能力的损失，包括全部本金损失；份额难以转让；收益无任何保证。`,
      `Taking part may cause you losses beyond what you can bear, including the loss of all your principal; your holding will be hard to transfer; no return is guaranteed.`,
      '',
      `本人坚持参与本项目，已充分知悉上述风险，自愿承担由此产生的一切后果。`,
      `I insist on taking part in this campaign, fully understand the risks above, and accept all of their consequences.`,
    ].join('\n'),
});

export function isKnownSpecialWarningVersion(version: string): boolean {
  return Object.hasOwn(SPECIAL_WARNING_TEMPLATES, version);
}

/** The exact text of the special warning `version` for these levels. */
export function specialWarningText(
  version: string,
  investorLevel: InvestorRiskLevel,
  productLevel: ProductRiskLevel,
): string {
  const template = SPECIAL_WARNING_TEMPLATES[version];
  if (template === undefined) throw new RangeError(`unknown special warning version ${version}`);
  return template(investorLevel, productLevel);
}
