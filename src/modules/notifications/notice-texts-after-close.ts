import type { NoticeType } from '../../common/notices/notices.port.js';
import type { Locale } from './notice-format.js';
import type { Template } from './notice-texts.js';

/** The notices of what happens after the money moves: delivery, holdings, charity, loans. */
type AfterCloseNotice = Extract<
  NoticeType,
  | 'delivery.late_refund_paid'
  | 'delivery.claim_paid'
  | 'holdings.distribution_paid'
  | 'holdings.report_filed'
  | 'holdings.annual_report_overdue'
  | 'charity.report_overdue'
  | 'loan.created'
  | 'loan.repayment_received'
  | 'loan.instalment_overdue'
  | 'loan.defaulted'
>;

/** Their texts in both languages (part of notice-texts.ts's TEMPLATES, kept apart by area). */
export const AFTER_CLOSE_TEMPLATES: Record<AfterCloseNotice, Record<Locale, Template>> = {
  'delivery.late_refund_paid': {
    'zh-CN': (f) => [
      '逾期发货退款',
      `「${f.campaign()}」未按承诺时间发货，已退还 ${f.money()} 至您的账户；未能退还部分 ${f.money('shortfall')} 已登记为对发起人的债权。`,
    ],
    en: (f) => [
      'Late delivery refunded',
      `“${f.campaign()}” did not deliver on time: ${f.money()} was returned to your wallet; ${f.money('shortfall')} the founder could not cover is recorded as a claim.`,
    ],
  },
  // RW-03: a backer's claim (what a late refund could not cover) paid from the founder's payable.
  'delivery.claim_paid': {
    'zh-CN': (f) => [
      '债权已偿付',
      `「${f.campaign()}」逾期发货退款中未退还的部分，现已从发起人的应付款中向您支付 ${f.money()}；尚欠 ${f.money('remaining')}。`,
    ],
    en: (f) => [
      'Claim paid',
      `Toward your claim on “${f.campaign()}” (the part of a late-delivery refund the founder could not cover), ${f.money()} was paid to your wallet from the founder’s payable; ${f.money('remaining')} is still owed.`,
    ],
  },
  // PLAT-08: the charity has not reported how donations were used in time.
  'holdings.distribution_paid': {
    'zh-CN': (f) => [
      '分配已到账',
      `「${f.campaign()}」向持有人分配收益：您持有 ${f.text('units')} 份，到账 ${f.money()}（已代扣税款 ${f.text('tax')}）。`,
    ],
    en: (f) => [
      'Distribution received',
      `“${f.campaign()}” paid its holders: for your ${f.text('units')} units you received ${f.money()} (tax withheld ${f.text('tax')}).`,
    ],
  },
  'holdings.report_filed': {
    'zh-CN': (f) => [
      '发行人报告',
      `「${f.campaign()}」的发行人向持有人提交了报告：${f.text('title')}。`,
    ],
    en: (f) => [
      'Issuer report',
      `The issuer of “${f.campaign()}” filed a report to its holders: ${f.text('title')}.`,
    ],
  },
  'holdings.annual_report_overdue': {
    'zh-CN': (f) => [
      '年度报告逾期',
      `「${f.campaign()}」的发行人未在 ${f.time('dueAt')} 前提交 ${f.text('fiscalYear')} 年度报告，平台已登记信用警示。`,
    ],
    en: (f) => [
      'Annual report overdue',
      `The issuer of “${f.campaign()}” has not filed its ${f.text('fiscalYear')} annual report, due ${f.time('dueAt')}; the platform recorded a credit warning.`,
    ],
  },
  'charity.report_overdue': {
    'zh-CN': (f) => [
      '善款使用报告逾期',
      `「${f.campaign()}」的公益组织未在 ${f.time('reportDueAt')} 前提交善款使用报告，平台已登记信用警示。`,
    ],
    en: (f) => [
      'Fund-use report overdue',
      `The charity behind “${f.campaign()}” has not filed its fund-use report, due ${f.time('reportDueAt')}; the platform recorded a credit warning.`,
    ],
  },
  'loan.created': {
    'zh-CN': (f) => [
      '借款已成立',
      `您的借款 ${f.money()} 已成立，首期还款日为 ${f.text('firstDueDate')}。`,
    ],
    en: (f) => [
      'Loan made',
      `Your loan of ${f.money()} is made; the first instalment is due on ${f.text('firstDueDate')}.`,
    ],
  },
  'loan.repayment_received': {
    'zh-CN': (f) => [
      '还款已到账',
      `借款的一笔还款 ${f.money()} 已入账（第 ${f.text('instalment')} 期）。`,
    ],
    en: (f) => [
      'Repayment received',
      `A repayment of ${f.money()} was applied to the loan (instalment ${f.text('instalment')}).`,
    ],
  },
  'loan.instalment_overdue': {
    'zh-CN': (f) => [
      '借款逾期',
      `借款第 ${f.text('instalment')} 期（应还日 ${f.text('dueDate')}）已逾期，未还 ${f.money()}，罚息按日计收。`,
    ],
    en: (f) => [
      'Instalment overdue',
      `Instalment ${f.text('instalment')} of the loan (due ${f.text('dueDate')}) is overdue with ${f.money()} unpaid; penalty interest accrues daily.`,
    ],
  },
  'loan.defaulted': {
    'zh-CN': (f) => ['借款违约', `借款已逾期超过 ${f.text('days')} 天，被认定为违约。`],
    en: (f) => [
      'Loan in default',
      `The loan has been overdue for more than ${f.text('days')} days and is now in default.`,
    ],
  },
};
