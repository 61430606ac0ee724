import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { Money } from '../../src/common/money/money.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  findChromium,
  nextCode,
  type BrowserStaff,
  type Scenario,
  seedScenario,
  serve,
  type Served,
} from './console-scenario.js';

/**
 * The staff console in a real browser (issue 17): Debian's Chromium driven by playwright-core.
 * The data is scripted through the API on an in-process app, then the compiled service (as
 * `npm start` runs it) serves that database and the built console to the browser.
 * Without Chromium this prints why and skips; with CI=true a missing Chromium fails.
 */
const chromiumPath = findChromium();
const ARTEFACTS = path.resolve('test-artifacts/console');
const DOCS = path.resolve('docs/console');
const docsShots = process.env.UPDATE_DOCS_SCREENSHOTS === '1';

if (!chromiumPath) {
  const why =
    'console browser tests: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)';
  if (process.env.CI === 'true') {
    it('needs Chromium in CI', () => {
      throw new Error(`${why}; CI must run them (.ci/run installs it)`);
    });
  } else {
    process.stderr.write(`\n[skip] ${why}\n`);
  }
}

(chromiumPath ? describe : describe.skip)('the staff console in Chromium (issue 17)', () => {
  let t: TestApp;
  let scenario: Scenario;
  let served: Served;
  let browser: Browser;
  const consoleErrors: string[] = [];

  const shoot = async (page: Page, name: string, forDocs = false) => {
    await page.screenshot({ path: path.join(ARTEFACTS, `${name}.png`), fullPage: true });
    if (forDocs && docsShots)
      await page.screenshot({ path: path.join(DOCS, `${name}.png`), fullPage: true });
  };

  const newPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Europe/London', // the console shows Shanghai time whatever the desk's zone
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    return { context, page };
  };

  const signIn = async (page: Page, staff: BrowserStaff) => {
    await page.goto(`${served.url}/console/`);
    await page.getByLabel('电子邮箱').fill(staff.email);
    await page.getByLabel('密码').fill(staff.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByLabel('动态验证码（6 位）').fill(await nextCode(staff));
    await page.getByRole('button', { name: '验证' }).click();
    await page.getByRole('navigation').waitFor();
  };

  /** Waits until the element shows `text` (textContent() alone does not wait for it). */
  const showing = async (locator: Locator, text: string) => {
    await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
    return (await locator.first().textContent()) ?? '';
  };

  const sql = async (text: string, values: unknown[] = []) =>
    (await (await t.db.client()).query(text, values)).rows;

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    if (docsShots) mkdirSync(DOCS, { recursive: true });
    const { SEEDING_RULE_PACK, SHARED_ENV } = await import('./console-scenario.js');
    t = await startTestApp({ ...SHARED_ENV, ...SEEDING_RULE_PACK });
    scenario = await seedScenario(t);
    await t.app.close(); // the database stays; the compiled service takes over
    served = await serve(t.db.url);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await t?.db.drop();
  });

  it('serves /console with a strict CSP, immutable hashed assets, and the API keeps its own policy', async () => {
    const page = await fetch(`${served.url}/console/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const assets = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const res = await fetch(`${served.url}${asset}`);
      expect([asset, res.status, res.headers.get('cache-control')]).toEqual([
        asset,
        200,
        'public, max-age=31536000, immutable',
      ]);
    }
    const redirect = await fetch(`${served.url}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    const health = await fetch(`${served.url}/health`);
    expect(health.headers.get('content-security-policy')).toContain(
      "script-src 'self' 'unsafe-inline'", // helmet's, unchanged (Swagger UI needs it)
    );
  });

  let finance: { context: BrowserContext; page: Page };

  it('FINANCE signs in with TOTP; the refresh token is an HttpOnly SameSite=Strict cookie, no token in storage', async () => {
    finance = await newPage();
    const { page, context } = finance;
    await signIn(page, scenario.finance);
    const cookies = await context.cookies();
    const refresh = cookies.find((c) => c.name === 'zc_console_refresh');
    expect(refresh).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/v1/auth/console',
    });
    // Browser-side code is passed as source text: the test's TypeScript has no DOM types.
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage, ...sessionStorage })',
    );
    expect(stored).not.toMatch(/eyJ|[A-Za-z0-9_-]{43}/); // no JWT, no refresh token
    await expect(page.evaluate<string>('document.cookie')).resolves.not.toContain(
      'zc_console_refresh',
    );
  });

  it('shows a balanced trial balance after the scripted deposits and pledges (INV-4)', async () => {
    const { page } = finance;
    await page.getByRole('link', { name: '试算平衡表' }).click();
    await showing(page.getByTestId('balance-state'), '借贷平衡');
    const totals = page.getByTestId('trial-balance').locator('tfoot');
    const debits = await totals.getByTestId('total-debitsPosted').textContent();
    const credits = await totals.getByTestId('total-creditsPosted').textContent();
    expect(debits).toBe(credits);
    // Posted: deposits 1000 + 2500 + 730.50, the two settled campaigns' holds posted (200 + 150.50
    // + 300) and the same 650.50 moved out of escrow to the founder and the fee account.
    // Plus 20% of each reward campaign's net moved from the founder's payable into its holdback
    // (RW-03, issue 16): 123.59. And the loan settled earlier: its lender's deposit of 600.00,
    // the hold posted, and the 600.00 moved out of escrow to the borrower and the fee account.
    expect(debits).toBe('¥7,455.09');
    const row = page.getByRole('row', { name: /custody:cash/ });
    await expect(row.locator('time').count()).resolves.toBe(0);
    await shoot(page, 'trial-balance', true);
  });

  it('uploads the bank statement (dropped as a CSV) and sees the one unmatched line and the difference', async () => {
    const { page } = finance;
    await page.getByRole('link', { name: '对账' }).click();
    const lines = scenario.deposits.map(
      (d) => `${scenario.depositDay},${d.bankReference},CREDIT,${d.amount}`,
    );
    const csv = [
      'date,bankReference,direction,amount',
      ...lines,
      `${scenario.depositDay},BANK-INTEREST-1,CREDIT,88.00`,
    ].join('\n');
    // A drop, as a person drags the file onto the page.
    const dataTransfer = await page.evaluateHandle(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([${JSON.stringify(csv)}], 'statement.csv', { type: 'text/csv' }));
      return dt;
    })()`);
    await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
    await page.getByLabel('起始日期').fill(scenario.depositDay);
    await page.getByLabel('截止日期').fill(scenario.depositDay);
    // The bank holds the day's deposits, the interest line, and what came in before (the loan's).
    const closing = Money.fromDecimalString(scenario.custodyBefore, 'CNY').plus(
      Money.fromDecimalString('4318.50', 'CNY'),
    );
    await page.getByLabel('银行期末余额').fill(closing.toString());
    await page.getByRole('button', { name: '对账', exact: true }).click();
    await page.getByTestId('reconciliation-result').waitFor();
    expect(await showing(page.getByTestId('count-unmatched-statement'), '1')).toBe('1');
    await expect(page.getByTestId('count-unmatched-ledger').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('unmatched-statement').textContent()).resolves.toContain(
      'BANK-INTEREST-1',
    );
    await expect(page.getByTestId('difference').textContent()).resolves.toContain('-¥88.00');
    await shoot(page, 'reconciliation', true);
  });

  it('approves a payout the founder requested (maker-checker: another person decides)', async () => {
    const { page } = finance;
    await page.getByRole('link', { name: '待审批付款' }).click();
    await page.getByTestId('payout-card').nth(1).waitFor();
    await expect(page.getByTestId('payout-card').count()).resolves.toBe(2);
    await shoot(page, 'payouts', true);
    const card = page.getByTestId('payout-card').filter({ hasText: scenario.payoutIds[0] });
    await card.getByRole('button', { name: '批准' }).click();
    expect(await showing(page.getByTestId('payout-outcome'), '已批准')).toContain(
      scenario.payoutIds[0],
    );
    await page.getByTestId('payout-card').nth(1).waitFor({ state: 'detached' });
    await expect(page.getByTestId('payout-card').count()).resolves.toBe(1);
    const decided = await sql(`SELECT status, decided_by FROM payouts WHERE status = 'APPROVED'`);
    expect(decided).toEqual([{ status: 'APPROVED', decided_by: scenario.finance.id }]);
    expect(decided[0].decided_by).not.toBe(scenario.founderId);
  });

  it('keyboard only: from the trial balance to an approved payout without the mouse', async () => {
    const { page } = finance;
    await page.goto(`${served.url}/console/#/trial-balance`);
    await page.getByRole('navigation').waitFor();
    const focused = () =>
      page.evaluate<string>(
        `(() => { const el = document.activeElement; return (el ? el.tagName : '') + ':' + (el && el.textContent ? el.textContent.trim() : ''); })()`,
      );
    const tabTo = async (target: string, limit = 40) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        if ((await focused()) === target) return;
      }
      throw new Error(`Tab never reached ${target} (last: ${await focused()})`);
    };
    await tabTo('A:待审批付款');
    await page.keyboard.press('Enter');
    // The page heading takes focus on navigation, so the next Tabs walk the page itself.
    // A function, not source text: Playwright would eval() text in the page, which the CSP forbids.
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { activeElement: { tagName: string } | null } })
          .document.activeElement?.tagName === 'H1',
    );
    await expect(focused()).resolves.toBe('H1:待审批付款');
    await tabTo('BUTTON:批准');
    await page.keyboard.press('Enter');
    expect(await showing(page.getByTestId('payout-outcome'), '已批准')).toContain(
      scenario.payoutIds[1],
    );
    const rows = await sql(`SELECT count(*)::int AS n FROM payouts WHERE status = 'APPROVED'`);
    expect(rows[0].n).toBe(2);
    await shoot(page, 'payouts-keyboard');
  });

  it('shows the other finance pages (chart, statement, verify, seals) in both languages', async () => {
    const { page } = finance;
    await page.getByRole('link', { name: '每日资金流' }).click();
    await page.locator('.chart canvas').waitFor();
    await shoot(page, 'daily-flows', true);
    await page.getByRole('link', { name: '账户明细' }).click();
    await page.getByTestId('statement').locator('tbody tr').nth(2).waitFor();
    const hover = await page.getByTestId('statement').locator('time').first().getAttribute('title');
    expect(hover).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    await shoot(page, 'statement', true);
    // The service seals every SEAL_INTERVAL_MS; verify reports a transfer older than the grace
    // period that is not sealed yet, so wait for the seeded transfers' first seal.
    for (let i = 0; i < 100; i++) {
      const [{ unsealed }] = await sql(
        `SELECT count(*)::int AS unsealed FROM ledger_transfers WHERE created_at < now() - interval '300 seconds'
           AND tx_id >= coalesce((SELECT max(to_tx_id) FROM ledger_blocks), '1'::xid8)`,
      );
      if (unsealed === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.getByRole('link', { name: '账本校验' }).click();
    await page.getByRole('button', { name: '开始校验' }).click();
    // The job's progress bar runs to 100 % (POST /finance/verifications, then its GET polled).
    const bar = page.getByRole('progressbar', { name: '校验进度' });
    await page.locator('[role=progressbar][aria-valuenow="100"]').waitFor({ timeout: 30_000 });
    await expect(bar.getAttribute('aria-valuemin')).resolves.toBe('0');
    await expect(bar.getAttribute('aria-valuemax')).resolves.toBe('100');
    await page.getByText('校验通过').waitFor();
    await expect(page.getByTestId('verify-problems').locator('li').count()).resolves.toBe(0);
    const jobs = await sql(
      `SELECT state, blocks_done, blocks_total, started_by FROM verification_jobs`,
    );
    expect(jobs).toEqual([
      expect.objectContaining({ state: 'DONE', started_by: scenario.finance.id }),
    ]);
    expect(jobs[0].blocks_done).toBe(jobs[0].blocks_total);
    await shoot(page, 'verify', true);
    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('link', { name: 'Trial balance' }).click();
    await showing(page.getByTestId('balance-state'), 'Balanced');
    const total = await page.getByTestId('total-debitsPosted').textContent();
    expect(total).toBe('CN¥7,455.09');
    await shoot(page, 'trial-balance-en');
    await page.getByLabel('Language').selectOption('zh-CN');
    // A reload keeps the session through the cookie (the access token was only in memory).
    await page.reload();
    await showing(page.getByTestId('balance-state'), '借贷平衡');
  });

  it('shows the loan book: outstanding, the overdue buckets, a status filter and the CSV', async () => {
    const { page } = finance;
    await page.getByRole('link', { name: '贷款' }).click();
    const row = page.getByTestId('loans').getByRole('row', { name: /还款中/ });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(scenario.loan.id.slice(0, 8));
    await expect(page.getByTestId('loans-outstanding').textContent()).resolves.toBe('¥600.00');
    // Settled ~48 days ago: the first instalment is 2-3 weeks past due.
    await expect(page.getByTestId('bucket-M1').textContent()).resolves.toMatch(
      /^¥[1-9][\d,]*\.\d{2} · 1 笔$/,
    );
    await expect(page.getByTestId('bucket-M2').textContent()).resolves.toBe('¥0.00 · 0 笔');
    await shoot(page, 'loans', true);
    await page.getByLabel('状态').selectOption('REPAID');
    await page.getByTestId('loans').getByText('无').waitFor();
    await expect(page.getByTestId('loans-outstanding').textContent()).resolves.toBe('¥0.00');
    await page.getByLabel('状态').selectOption('');
    await row.waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载 CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('loans.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^id,campaignId,borrowerId,status,/);
    expect(csv).toContain(`${scenario.loan.id},`);
  });

  it('ADMIN approves the debt campaign under review with the platform rating (CN-SUIT-08/20)', async () => {
    const { page, context } = await newPage();
    await signIn(page, scenario.admin);
    await page.getByRole('link', { name: '项目审核' }).click();
    const card = page
      .getByTestId('review-card')
      .filter({ hasText: scenario.pendingCampaign.title });
    await card.waitFor();
    // The founder's real-name state (GET /admin/campaigns/:id/founder): verified, the masked name.
    const realName = card.getByTestId('founder-real-name');
    expect(await showing(realName, '已实名认证')).toContain('测*');
    await expect(realName.textContent()).resolves.toContain('居民身份证');
    await expect(realName.locator('.state.ok').count()).resolves.toBe(1);
    await expect(card.getByTestId('founder-email').textContent()).resolves.toBe('是');
    expect(await card.textContent()).not.toMatch(/\d{17}[\dX]/); // no ID number anywhere
    await shoot(page, 'campaign-review', true);
    await card.getByLabel('风险评级').selectOption('R4');
    await card.getByLabel('评级理由').fill('Thin collateral; a first-time borrower.');
    await card.getByRole('button', { name: '批准' }).click();
    await showing(page.getByTestId('review-outcome'), '已批准');
    const rows = await sql(`SELECT status, risk_rating FROM campaigns WHERE id = $1`, [
      scenario.pendingCampaign.id,
    ]);
    expect(rows).toEqual([{ status: 'LIVE', risk_rating: 'R4' }]);
    await page.getByRole('link', { name: '回访队列' }).click();
    await page.getByRole('heading', { name: '回访队列' }).waitFor();
    await context.close();
  });

  it('logged no console error and no page error in any of the above', async () => {
    await finance?.context.close();
    expect(consoleErrors).toEqual([]);
  });
});
