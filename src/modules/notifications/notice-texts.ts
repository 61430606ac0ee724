import type { NoticeParams, NoticeType } from '../../common/notices/notices.port.js';
import { formatInstant, formatMoney, type Locale } from './notice-format.js';
import { screenNoticeParams } from './notice-params.js';
import { AFTER_CLOSE_TEMPLATES } from './notice-texts-after-close.js';

export interface RenderedNotice {
  title: string;
  body: string;
}

/** What a template reads from a notice's parameters; a missing value renders as "—". */
export class Fields {
  constructor(
    private readonly params: NoticeParams,
    readonly locale: Locale,
  ) {}

  text(key: string): string {
    const value = this.params[key];
    return value === undefined || value === null || value === '' ? '—' : String(value);
  }

  /** `amount` (decimal string) with `currency`, in the reader's locale. */
  money(key = 'amount'): string {
    const amount = this.params[key];
    const currency = this.params.currency;
    return typeof amount === 'string' && typeof currency === 'string'
      ? formatMoney(amount, currency, this.locale)
      : '—';
  }

  /** An ISO 8601 instant in Beijing time and UTC. */
  time(key: string): string {
    const value = this.params[key];
    return typeof value === 'string' ? formatInstant(value, this.locale) : '—';
  }

  campaign(): string {
    return this.text('campaignTitle');
  }

  /** One word of a closed vocabulary, translated; unknown words are shown as they are. */
  word(key: string, words: Record<string, string>): string {
    const value = this.text(key);
    return words[value] ?? value;
  }
}

export type Template = (f: Fields) => [title: string, body: string];

/**
 * One template per notice type and locale (issue 13). The parameters each type uses are named in
 * its templates; the modules that record notices pass them (amounts as decimal strings with
 * `currency`, instants as ISO 8601 UTC). Keep both languages saying the same thing.
 */
const TEMPLATES: Record<NoticeType, Record<Locale, Template>> = {
  // US-CF-11: amount, campaign and the time until which the investor may cancel.
  'pledge.placed': {
    'zh-CN': (f) => [
      '认购已提交',
      `您已认购「${f.campaign()}」${f.money()}。冷静期内可无条件撤销，截止时间：${f.time('coolingOffEndsAt')}。`,
    ],
    en: (f) => [
      'Pledge placed',
      `You pledged ${f.money()} to "${f.campaign()}". You may cancel it free of charge until ${f.time('coolingOffEndsAt')}.`,
    ],
  },
  'pledge.cooling_off_ended': {
    'zh-CN': (f) => ['冷静期已结束', `您对「${f.campaign()}」的认购 ${f.money()} 冷静期已结束。`],
    en: (f) => [
      'Cooling-off period ended',
      `The cooling-off period of your pledge of ${f.money()} to "${f.campaign()}" has ended.`,
    ],
  },
  'pledge.confirmation_call_due': {
    'zh-CN': (f) => [
      '平台将进行回访',
      `平台将就您对「${f.campaign()}」的认购 ${f.money()} 进行回访确认，请保持电话畅通。回访截止：${f.time('deadline')}。`,
    ],
    en: (f) => [
      'Confirmation call due',
      `The platform will call you to confirm your pledge of ${f.money()} to "${f.campaign()}". Deadline: ${f.time('deadline')}.`,
    ],
  },
  'pledge.confirmation_call_recorded': {
    'zh-CN': (f) => [
      '回访结果已记录',
      `您对「${f.campaign()}」的认购回访结果：${f.word('outcome', { CONFIRMED: '已确认', RESCINDED: '已撤销', UNREACHABLE: '未能联系' })}。`,
    ],
    en: (f) => [
      'Confirmation call recorded',
      `The confirmation call about your pledge to "${f.campaign()}" was recorded: ${f.word('outcome', { CONFIRMED: 'confirmed', RESCINDED: 'rescinded', UNREACHABLE: 'unreachable' })}.`,
    ],
  },
  // CN-SUIT-14 / US-CF-14: silence cancels, so the deadline is in both zones.
  'pledge.reconfirmation_required': {
    'zh-CN': (f) => [
      '请重新确认认购',
      `「${f.campaign()}」发布了重大变更（信息披露第 ${f.text('disclosureVersion')} 版）。请在 ${f.time('deadline')} 前阅读并重新确认您的认购 ${f.money()}，逾期未确认将自动撤销。`,
    ],
    en: (f) => [
      'Reconfirm your pledge',
      `"${f.campaign()}" published a material change (disclosure version ${f.text('disclosureVersion')}). Read it and reconfirm your pledge of ${f.money()} by ${f.time('deadline')}, or it will be cancelled.`,
    ],
  },
  'pledge.cancelled': {
    'zh-CN': (f) => [
      '认购已撤销',
      `您对「${f.campaign()}」的认购 ${f.money()} 已撤销，冻结资金已释放。`,
    ],
    en: (f) => [
      'Pledge cancelled',
      `Your pledge of ${f.money()} to "${f.campaign()}" was cancelled and the held funds released.`,
    ],
  },
  'pledge.cancelled_by_timeout': {
    'zh-CN': (f) => [
      '认购因逾期已自动撤销',
      `您对「${f.campaign()}」的认购 ${f.money()} 因${f.word('event', { RECONFIRMATION_EXPIRED: '未在期限内重新确认', CALL_TIMED_OUT: '未在期限内完成回访确认' })}已自动撤销，冻结资金已释放。`,
    ],
    en: (f) => [
      'Pledge cancelled: a deadline passed',
      `Your pledge of ${f.money()} to "${f.campaign()}" was cancelled because ${f.word('event', { RECONFIRMATION_EXPIRED: 'it was not reconfirmed in time', CALL_TIMED_OUT: 'no confirmation call was completed in time' })}; the held funds were released.`,
    ],
  },
  'pledge.refunded': {
    'zh-CN': (f) => ['认购款已退回', `「${f.campaign()}」的认购款 ${f.money()} 已退回您的账户。`],
    en: (f) => [
      'Pledge refunded',
      `Your pledge of ${f.money()} to "${f.campaign()}" was refunded to your wallet.`,
    ],
  },
  // One per investor and campaign (issue 18): how many of their pledges settled, and the sum.
  'pledge.settled': {
    'zh-CN': (f) => [
      '认购已结算',
      `您对「${f.campaign()}」的 ${f.text('pledges')} 笔认购（合计 ${f.money()}）已完成结算。`,
    ],
    en: (f) => [
      'Pledges settled',
      `Your pledges to "${f.campaign()}" (${f.text('pledges')}, ${f.money()} in all) were settled.`,
    ],
  },
  'campaign.succeeded': {
    'zh-CN': (f) => ['项目募集成功', `「${f.campaign()}」已达到募集目标。`],
    en: (f) => ['Campaign succeeded', `"${f.campaign()}" reached its target.`],
  },
  // US-CF-15: investors are told the offering failed and that their holds come back.
  'campaign.failed': {
    'zh-CN': (f) => ['项目募集失败', `「${f.campaign()}」未达到募集目标，冻结资金将全部退回。`],
    en: (f) => [
      'Campaign failed',
      `"${f.campaign()}" did not reach its target; every held pledge will be refunded.`,
    ],
  },
  'campaign.suspended': {
    'zh-CN': (f) => ['项目已暂停', `「${f.campaign()}」已被平台暂停，暂停期间不接受认购。`],
    en: (f) => [
      'Campaign suspended',
      `"${f.campaign()}" was suspended by the platform; it takes no pledges while suspended.`,
    ],
  },
  'campaign.resumed': {
    'zh-CN': (f) => ['项目已恢复', `「${f.campaign()}」已恢复募集。`],
    en: (f) => ['Campaign resumed', `"${f.campaign()}" is open again.`],
  },
  'campaign.cancelled': {
    'zh-CN': (f) => ['项目已取消', `「${f.campaign()}」已取消，冻结资金将全部退回。`],
    en: (f) => [
      'Campaign cancelled',
      `"${f.campaign()}" was cancelled; every held pledge will be refunded.`,
    ],
  },
  'campaign.settled': {
    'zh-CN': (f) => ['项目已结算', `「${f.campaign()}」已完成结算，募集总额 ${f.money()}。`],
    en: (f) => ['Campaign settled', `"${f.campaign()}" was settled; ${f.money()} raised in total.`],
  },
  'payout.requested': {
    'zh-CN': (f) => [
      '提款申请已提交',
      `「${f.campaign()}」的提款申请 ${f.money()} 已提交，等待财务审核。`,
    ],
    en: (f) => [
      'Payout requested',
      `Your payout request of ${f.money()} for "${f.campaign()}" awaits the finance office's approval.`,
    ],
  },
  'payout.approved': {
    'zh-CN': (f) => [
      '提款申请已批准',
      `「${f.campaign()}」的提款 ${f.money()} 已批准，正由托管银行划付。`,
    ],
    en: (f) => [
      'Payout approved',
      `Your payout of ${f.money()} for "${f.campaign()}" was approved and is with the custodian bank.`,
    ],
  },
  'payout.rejected': {
    'zh-CN': (f) => [
      '提款申请被拒绝',
      `「${f.campaign()}」的提款申请 ${f.money()} 被拒绝。原因：${f.text('reason')}`,
    ],
    en: (f) => [
      'Payout rejected',
      `Your payout request of ${f.money()} for "${f.campaign()}" was rejected. Reason: ${f.text('reason')}`,
    ],
  },
  'payout.paid': {
    'zh-CN': (f) => ['提款已到账', `提款 ${f.money()} 已由托管银行支付。`],
    en: (f) => ['Payout paid', `The custodian bank paid out ${f.money()}.`],
  },
  'payout.failed': {
    'zh-CN': (f) => ['提款失败', `提款 ${f.money()} 未能支付，款项已退回您的待付余额。`],
    en: (f) => [
      'Payout failed',
      `The payout of ${f.money()} failed; the amount is back in your payable balance.`,
    ],
  },
  'withdrawal.settled': {
    'zh-CN': (f) => ['提现已到账', `提现 ${f.money()} 已由托管银行支付。`],
    en: (f) => ['Withdrawal paid', `The custodian bank paid out your withdrawal of ${f.money()}.`],
  },
  'withdrawal.failed': {
    'zh-CN': (f) => ['提现失败', `提现 ${f.money()} 未能完成，款项已退回您的可用余额。`],
    en: (f) => [
      'Withdrawal failed',
      `Your withdrawal of ${f.money()} failed; the amount is back in your available balance.`,
    ],
  },
  'deposit.received': {
    'zh-CN': (f) => ['充值已到账', `托管银行已确认您的充值 ${f.money()}。`],
    en: (f) => ['Deposit received', `The custodian bank confirmed your deposit of ${f.money()}.`],
  },
  'qualification.decided': {
    'zh-CN': (f) => {
      const kind = f.word('applicationType', {
        QUALIFIED: '合格投资者',
        PROFESSIONAL: '专业投资者',
      });
      return f.text('outcome') === 'APPROVED'
        ? [
            '资格认定已通过',
            `您的${kind}认定申请已通过。${f.text('qualifiedUntil') === '—' ? '' : `有效期至 ${f.time('qualifiedUntil')}。`}`,
          ]
        : ['资格认定未通过', `您的${kind}认定申请未通过。原因：${f.text('reason')}`];
    },
    en: (f) => {
      const kind = f.word('applicationType', {
        QUALIFIED: 'qualified investor',
        PROFESSIONAL: 'professional investor',
      });
      return f.text('outcome') === 'APPROVED'
        ? [
            'Qualification approved',
            `Your application as a ${kind} was approved.${f.text('qualifiedUntil') === '—' ? '' : ` Valid until ${f.time('qualifiedUntil')}.`}`,
          ]
        : [
            'Qualification rejected',
            `Your application as a ${kind} was rejected. Reason: ${f.text('reason')}`,
          ];
    },
  },
  // CN-SUIT-18: an expired assessment blocks pledging until the investor is assessed again.
  'assessment.expiring': {
    'zh-CN': (f) => [
      '风险测评即将过期',
      `您的风险测评（${f.text('riskLevel')}）将于 ${f.time('validUntil')} 过期，过期后无法认购，请及时重新测评。`,
    ],
    en: (f) => [
      'Risk assessment expiring',
      `Your risk assessment (${f.text('riskLevel')}) expires on ${f.time('validUntil')}; after that you cannot pledge until you take it again.`,
    ],
  },
  'credit.recorded': {
    'zh-CN': (f) => [
      '信用记录已登记',
      `平台登记了一条关于您的信用记录（${f.word('severity', { BLOCKING: '限制市场准入', WARNING: '警示' })}），自 ${f.time('effectiveFrom')} 起生效。如有异议请联系平台。`,
    ],
    en: (f) => [
      'Credit record recorded',
      `The platform recorded a credit record about you (${f.word('severity', { BLOCKING: 'blocks market access', WARNING: 'warning' })}), in force from ${f.time('effectiveFrom')}. Contact the platform if you disagree.`,
    ],
  },
  // RW-03: a late delivery refunded (from the holdback, then the founder's payable).
  'credit.lifted': {
    'zh-CN': () => ['信用记录已解除', '平台已解除一条关于您的信用记录。'],
    en: () => ['Credit record lifted', 'The platform lifted a credit record about you.'],
  },
  'account.email_verification': {
    'zh-CN': () => ['请验证电子邮箱', '请使用单独发送的验证邮件中的链接验证您的电子邮箱。'],
    en: () => [
      'Verify your e-mail address',
      'Please verify your e-mail address with the link in the separate verification e-mail.',
    ],
  },
  'account.password_reset': {
    'zh-CN': (f) => [
      '密码重置',
      `您的账户于 ${f.time('requestedAt')} 申请了密码重置。如非本人操作，请立即联系平台。`,
    ],
    en: (f) => [
      'Password reset',
      `A password reset was requested for your account at ${f.time('requestedAt')}. If it was not you, contact the platform at once.`,
    ],
  },
  'account.password_changed': {
    'zh-CN': (f) => [
      '密码已修改',
      `您的密码已于 ${f.time('changedAt')} 修改，所有登录会话已失效。如非本人操作，请立即联系平台。`,
    ],
    en: (f) => [
      'Password changed',
      `Your password was changed at ${f.time('changedAt')} and every session signed out. If it was not you, contact the platform at once.`,
    ],
  },
  ...AFTER_CLOSE_TEMPLATES,
};

/**
 * The notice's text in the reader's locale. Parameters are screened again here: whatever a caller
 * passed, an ID number, a password or a token is never rendered.
 */
export function renderNotice(type: string, params: NoticeParams, locale: Locale): RenderedNotice {
  const template = (TEMPLATES as Record<string, Record<Locale, Template> | undefined>)[type];
  const fields = new Fields(screenNoticeParams(params).params, locale);
  if (!template) {
    return locale === 'zh-CN'
      ? { title: '平台通知', body: '您有一条新的平台通知。' }
      : { title: 'Platform notice', body: 'You have a new notice from the platform.' };
  }
  const [title, body] = template[locale](fields);
  return { title, body };
}
