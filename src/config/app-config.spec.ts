import { describe, expect, it } from '@jest/globals';
import { parseConfig } from './app-config.js';
import { ConfigError } from './env.js';
import { CN_PACK, resolveRulePack } from './rule-packs/rule-pack.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe('configuration is validated at boot and names each bad setting', () => {
  it('development starts with no settings, flagging the insecure fallbacks', () => {
    const config = parseConfig({});
    expect(config.app.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.insecureDefaults).toEqual([
      'JWT_SECRET',
      'PII_ENCRYPTION_KEY',
      'PII_LOOKUP_KEY',
      'CUSTODY_WEBHOOK_SECRET',
      'DOCUMENT_SIGNING_KEY',
    ]);
  });

  it('PLAT-07: PLATFORM_LINES enables campaign kinds; EQUITY and DEBT together separate the wallets', () => {
    expect(parseConfig({}).lines).toEqual({
      enabled: ['EQUITY', 'DEBT', 'REWARD', 'DONATION'],
      separated: true,
    });
    expect(parseConfig({ PLATFORM_LINES: ' DEBT, REWARD ' }).lines).toEqual({
      enabled: ['DEBT', 'REWARD'],
      separated: false,
    });
    expect(parseConfig({ PLATFORM_LINES: 'DONATION,EQUITY,DEBT' }).lines.separated).toBe(true);
    expect(problemsOf({ PLATFORM_LINES: 'EQUITY,P2P' })).toEqual([
      'PLATFORM_LINES must list kinds from EQUITY, DEBT, REWARD, DONATION (got "P2P")',
    ]);
    expect(problemsOf({ PLATFORM_LINES: 'DEBT,DEBT' })).toEqual([
      'PLATFORM_LINES names DEBT twice',
    ]);
    expect(problemsOf({ PLATFORM_LINES: ',' })).toEqual([
      'PLATFORM_LINES must name at least one of EQUITY, DEBT, REWARD, DONATION',
    ]);
  });

  it('mail: .eml files under .data/mail by default; SMTP when SMTP_URL is set (issue 13)', () => {
    expect(parseConfig({}).mail).toEqual({
      smtpUrl: undefined,
      dir: '.data/mail',
      from: 'zhongchou <no-reply@zhongchou.localhost>',
    });
    expect(
      parseConfig({
        SMTP_URL: 'smtps://user:pass@mail.example.com:465',
        MAIL_DIR: '/var/mail/zc',
        MAIL_FROM: '众筹 <no-reply@example.com>',
      }).mail,
    ).toEqual({
      smtpUrl: 'smtps://user:pass@mail.example.com:465',
      dir: '/var/mail/zc',
      from: '众筹 <no-reply@example.com>',
    });
  });

  it('production without SMTP_URL refuses to start unless MAIL_DIR is set on purpose', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join('\n')).toContain('SMTP_URL');
    expect(problemsOf({ NODE_ENV: 'production', MAIL_DIR: '/srv/mail' }).join('\n')).not.toContain(
      'SMTP_URL',
    );
    expect(
      problemsOf({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.com' }).join('\n'),
    ).not.toContain('SMTP_URL');
  });

  it('production refuses to start without its secrets, naming each', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('JWT_SECRET'),
        expect.stringContaining('PII_ENCRYPTION_KEY'),
        expect.stringContaining('PII_LOOKUP_KEY'),
        expect.stringContaining('CUSTODY_WEBHOOK_SECRET'),
        expect.stringContaining('DOCUMENT_SIGNING_KEY'),
      ]),
    );
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ PII_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, 'PII_ENCRYPTION_KEY'],
    [{ RULE_PACK: 'MARS' }, 'RULE_PACK'],
    [{ RULE_PACK_OVERRIDES: '{"coolingOffHourz":1}' }, 'coolingOffHourz'],
    [{ RULE_PACK_OVERRIDES: '{"coolingOffHours":-1}' }, 'coolingOffHours'],
    [{ RULE_PACK_OVERRIDES: 'not json' }, 'RULE_PACK_OVERRIDES'],
    [{ RULE_PACK_OVERRIDES: '{"publicAnnualLimitCap":1e21}' }, 'publicAnnualLimitCap'],
    [{ RULE_PACK_OVERRIDES: '{"usLimitFloor":0.001}' }, 'usLimitFloor'],
    [{ RULE_PACK_OVERRIDES: '{"distributionWithholdingRate":1}' }, 'distributionWithholdingRate'],
    [{ PASSWORD_SCRYPT_COST: '3000' }, 'PASSWORD_SCRYPT_COST'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SMTP_URL: 'http://mail.example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'not a url' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'no address here' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'Eve <eve@example.com>\r\nBcc: x@example.com' }, 'MAIL_FROM'],
  ])('%j is refused with a message naming %s', (env, name) => {
    const problems = problemsOf(env);
    expect(problems.join('\n')).toContain(name);
  });
});

describe('rule packs (DESIGN §8)', () => {
  it('CN is the default, in CNY, with rule IDs for every parameter', () => {
    const pack = resolveRulePack('CN');
    expect(pack.currency).toBe('CNY');
    expect(pack.effectiveId).toBe(`CN@${CN_PACK.version}`);
    for (const name of Object.keys(pack.parameters)) {
      expect(pack.ruleIds[name as keyof typeof pack.ruleIds].length).toBeGreaterThan(0);
    }
    expect(pack.parameters.minimumAgeYears).toBe(18); // PLAT-02
    expect(pack.parameters.coolingOffHours).toBe(24); // CN-PF-06
  });

  it('overrides change the parameters and the effective id (id@version+hash)', () => {
    const pack = resolveRulePack('CN', '{"coolingOffHours":0.01,"minCampaignDurationHours":0}');
    expect(pack.parameters.coolingOffHours).toBe(0.01);
    expect(pack.parameters.minCampaignDurationHours).toBe(0);
    expect(pack.effectiveId).toMatch(/^CN@2026\.1\+[0-9a-f]{12}$/);
    expect(
      resolveRulePack('CN', '{"minCampaignDurationHours":0,"coolingOffHours":0.01}').effectiveId,
    ).toBe(pack.effectiveId);
  });

  it('US_REGCF is in USD', () => {
    expect(resolveRulePack('US_REGCF').currency).toBe('USD');
  });

  it('issue 15: CN withholds 20 % of distributions, US_REGCF none; annual reports 120 days (US-CF-20)', () => {
    expect(resolveRulePack('CN').parameters.distributionWithholdingRate).toBe(0.2);
    expect(resolveRulePack('US_REGCF').parameters.distributionWithholdingRate).toBe(0);
    expect(resolveRulePack('CN').parameters.issuerAnnualReportDueDays).toBe(120);
    expect(resolveRulePack('US_REGCF').parameters.issuerAnnualReportDueDays).toBe(120);
    const flipped = resolveRulePack('CN', '{"distributionWithholdingRate":0}');
    expect(flipped.parameters.distributionWithholdingRate).toBe(0);
  });
});
