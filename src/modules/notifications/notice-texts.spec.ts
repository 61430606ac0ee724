import { describe, expect, it } from '@jest/globals';
import { NOTICE_TYPES } from '../../common/notices/notices.port.js';
import { afterFailure, retryDelayMs } from './delivery-policy.js';
import { formatInstant, formatMoney, LOCALES } from './notice-format.js';
import { screenNoticeParams } from './notice-params.js';
import { renderNotice } from './notice-texts.js';
import { signWebhook, verifyWebhook } from './webhook-signature.js';
import { webhookUrlProblem } from './webhook-url.js';

const RIC = '11010519491231002X'; // rules-spec §14 sample (valid checksum)
const USCC = '91110000600037341L'; // rules-spec §14 sample (valid checksum)
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';

describe('notice texts (issue 13)', () => {
  it.each(NOTICE_TYPES.flatMap((type) => LOCALES.map((locale) => [type, locale] as const)))(
    '%s has a %s text',
    (type, locale) => {
      const text = renderNotice(type, { amount: '1.00', currency: 'CNY' }, locale);
      expect(text.title.length).toBeGreaterThan(1);
      expect(text.body.length).toBeGreaterThan(5);
      expect(text.title).not.toContain('undefined');
      expect(text.body).not.toContain('undefined');
    },
  );

  it('Chinese and English texts differ (the locale chooses the language)', () => {
    const params = { campaignTitle: '社区书店', amount: '1500.00', currency: 'CNY' };
    const zh = renderNotice('pledge.refunded', params, 'zh-CN');
    const en = renderNotice('pledge.refunded', params, 'en');
    expect(zh.title).toBe('认购款已退回');
    expect(en.title).toBe('Pledge refunded');
  });

  it("amounts in the reader's locale with the currency, exactly as the decimal string says", () => {
    expect(formatMoney('1500.00', 'CNY', 'zh-CN')).toBe('¥1,500.00');
    expect(formatMoney('1500.00', 'CNY', 'en')).toBe('CN¥1,500.00');
    expect(formatMoney('12345678901234.05', 'CNY', 'zh-CN')).toBe('¥12,345,678,901,234.05');
    expect(formatMoney('20.10', 'USD', 'en')).toBe('$20.10');
    expect(formatMoney('not money', 'CNY', 'en')).toBe('—');
  });

  it('deadlines in Asia/Shanghai and in UTC (US-CF-11: the time until which one may cancel)', () => {
    expect(formatInstant('2026-11-30T16:30:00.000Z', 'zh-CN')).toBe(
      '2026年12月1日 00:30（北京时间）/ 2026-11-30 16:30 UTC',
    );
    expect(formatInstant('2026-11-30T16:30:00.000Z', 'en')).toBe(
      'Dec 1, 2026, 00:30 (Beijing time) / 2026-11-30 16:30 UTC',
    );
    const placed = renderNotice(
      'pledge.placed',
      {
        amount: '1500.00',
        currency: 'CNY',
        campaignTitle: '社区书店',
        coolingOffEndsAt: '2026-11-30T16:30:00.000Z',
      },
      'zh-CN',
    );
    expect(placed.body).toBe(
      '您已认购「社区书店」¥1,500.00。冷静期内可无条件撤销，截止时间：2026年12月1日 00:30（北京时间）/ 2026-11-30 16:30 UTC。',
    );
  });
});

describe('a notice never carries an ID number, a password or a token (issue 13)', () => {
  const hostile = {
    amount: '10.00',
    currency: 'CNY',
    password: 'hunter2hunter2',
    idNumber: RIC,
    legalRepresentativeIdNumber: RIC,
    accessToken: 'abc',
    resetToken: 'abc',
    secret: 'abc',
    reason: `owner id ${RIC}`,
    note: `company ${USCC}`,
    campaignTitle: `bearer ${JWT}`,
  };

  it('screening leaves such parameters out and names them (never their values)', () => {
    const { params, dropped } = screenNoticeParams(hostile);
    expect(params).toEqual({ amount: '10.00', currency: 'CNY' });
    expect(dropped.sort()).toEqual(
      [
        'password',
        'idNumber',
        'legalRepresentativeIdNumber',
        'accessToken',
        'resetToken',
        'secret',
        'reason',
        'note',
        'campaignTitle',
      ].sort(),
    );
  });

  it('keeps what is harmless: ids, references, an 18-digit string that is not an ID checksum-wise for USCC', () => {
    const safe = {
      campaignId: '6f1c1d4e-0000-4000-8000-000000000000',
      bankReference: 'BANK-2026-000123',
      reason: 'Evidence missing',
      riskLevel: 'C3',
    };
    expect(screenNoticeParams(safe)).toEqual({ params: safe, dropped: [] });
  });

  it.each(LOCALES)('rendering omits them even when handed them directly (%s)', (locale) => {
    for (const type of NOTICE_TYPES) {
      const text = renderNotice(type, hostile, locale);
      const all = `${text.title} ${text.body}`;
      for (const secret of [RIC, USCC, JWT, 'hunter2hunter2']) expect(all).not.toContain(secret);
    }
  });

  it('the screen can fail: a harmless key keeps its value', () => {
    expect(screenNoticeParams({ reason: 'ok' }).params.reason).toBe('ok');
  });
});

describe('retries: exponential backoff, then give up (issue 13)', () => {
  const policy = { maxAttempts: 4, retryBaseMs: 1000, retryMaxMs: 5000 };
  const now = new Date('2026-12-01T00:00:00Z');

  it('waits base, 2 x base, 4 x base ... capped at the maximum', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
  });

  it('gives up once the last allowed try failed', () => {
    expect(afterFailure(3, policy, now)).toEqual({
      giveUp: false,
      nextAttemptAt: new Date(now.getTime() + 4000),
    });
    expect(afterFailure(4, policy, now)).toEqual({ giveUp: true });
  });
});

describe('webhook signatures and URLs (issue 13)', () => {
  const secret = 'whsec_test';
  const body = '{"id":"1","type":"campaign.failed"}';
  const now = new Date('2026-12-01T00:00:00Z');
  const ts = Math.floor(now.getTime() / 1000);

  it('sha256=<hex HMAC-SHA256(timestamp + "." + body)>, verified in constant time', () => {
    const signature = signWebhook(secret, ts, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    const check = (over: Partial<Parameters<typeof verifyWebhook>[0]>) =>
      verifyWebhook({ secret, body, signature, timestamp: String(ts), now, ...over });
    expect(check({})).toBe(true);
    expect(check({ body: body.replace('failed', 'settled') })).toBe(false);
    expect(check({ secret: 'whsec_other' })).toBe(false);
    expect(check({ timestamp: String(ts + 1) })).toBe(false); // the timestamp is signed
    // A replay: the right signature, presented ten minutes later.
    expect(check({ now: new Date(now.getTime() + 600_000) })).toBe(false);
  });

  it.each([
    ['https://hooks.example.com/x', false, undefined],
    ['http://127.0.0.1:8080/x', false, undefined],
    ['http://localhost/x', false, undefined],
    ['http://127.0.0.1:8080/x', true, 'must use https'],
    ['http://hooks.example.com/x', false, 'must use https'],
    ['https://10.0.0.5/x', true, 'must not point into a private network'],
    ['https://user:pw@hooks.example.com/x', false, 'must not carry a user name or password'],
    ['ftp://hooks.example.com/x', false, 'must use https'],
    ['not a url', false, 'must be an absolute URL'],
  ])('%s (production: %s) -> %s', (url, production, problem) => {
    const found = webhookUrlProblem(url, production);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
