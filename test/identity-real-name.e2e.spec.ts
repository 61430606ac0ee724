import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ricCheckCharacter } from '../src/modules/identity/id-numbers.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, type TestUser } from './support/users.js';

const VALID_RIC = '11010519491231002X'; // rules-spec §14.1
const VALID_USCC = '91110000600037341L';
const REP_RIC = '360426199101010071';
/** A valid resident ID number from its first 17 digits (ID-RIC-04). */
const ric = (first17: string): string => first17 + ricCheckCharacter(first17);

const countRows = async (t: TestApp, table: string): Promise<number> => {
  const c = await t.db.client();
  const r = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(r.rows[0].n);
};

describe('real-name verification (PLAT-01, ID-RIC, ID-USCC, PLAT-02)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const verify = (user: TestUser, body: unknown) =>
    t.http
      .post('/api/v1/me/real-name')
      .set('authorization', `Bearer ${user.token}`)
      .send(body as object);

  it('PLAT-01 / ID-RIC-08: a person verifies; the number is stored encrypted and only ever shown masked', async () => {
    const user = await registerAndLogin(t);
    const res = await verify(user, { name: '李伟', idNumber: VALID_RIC.toLowerCase() });
    expect(res.status).toBe(200);
    expect(res.body.realName).toMatchObject({
      status: 'VERIFIED',
      idKind: 'RIC',
      idNumberMasked: '110105********002X',
      nameMasked: '李*',
    });
    const me = await t.http.get('/api/v1/me').set('authorization', `Bearer ${user.token}`);
    expect(me.body.realName.idNumberMasked).toBe('110105********002X');
    expect(JSON.stringify(me.body)).not.toContain(VALID_RIC);
    expect(JSON.stringify(res.body)).not.toContain(VALID_RIC);

    const c = await t.db.client();
    const row = await c.query('SELECT * FROM real_name_identities WHERE user_id = $1', [user.id]);
    const stored = JSON.stringify(row.rows[0]);
    expect(stored).not.toContain(VALID_RIC);
    expect(stored).not.toContain('李伟');
    expect(row.rows[0].birth_date).toBeTruthy();
  });

  it('ID-RIC-04: a wrong check character is 422 IDENTITY.INVALID_ID_NUMBER and writes nothing', async () => {
    const user = await registerAndLogin(t);
    const before = await countRows(t, 'real_name_identities');
    const res = await verify(user, { name: '王芳', idNumber: '110105194912310021' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'IDENTITY.INVALID_ID_NUMBER',
      details: { field: 'idNumber', problem: 'CHECKSUM' },
    });
    expect(JSON.stringify(res.body)).not.toContain('110105194912310021');
    expect(await countRows(t, 'real_name_identities')).toBe(before);
  });

  it.each([
    ['110105194902300020', 'DATE'], // ID-RIC-03: 1949-02-30
    ['440524188001010014', 'BIRTH_YEAR_TOO_EARLY'], // ID-RIC-03 platform policy
    ['11010519491231002', 'FORMAT'], // ID-RIC-01: 17 characters
  ])('ID-RIC-01/03: %s is rejected (%s)', async (idNumber, problem) => {
    const user = await registerAndLogin(t);
    const res = await verify(user, { name: '张三', idNumber });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IDENTITY.INVALID_ID_NUMBER');
    expect(res.body.error.details.problem).toBe(problem);
  });

  it('PLAT-02: a 17-year-old is 422 IDENTITY.UNDERAGE; the same person is accepted on the 18th birthday', async () => {
    // Clock: 2026-11-28 (Shanghai). Born 2008-11-29 -> 17 today, 18 tomorrow.
    const idNumber = ric('11010520081129003');
    const user = await registerAndLogin(t);
    const res = await verify(user, { name: '小明', idNumber });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IDENTITY.UNDERAGE');

    t.clock.set('2026-11-28T16:00:00.000Z'); // 2026-11-29 00:00 in Shanghai (CONV-03)
    try {
      const ok = await verify(user, { name: '小明', idNumber });
      expect(ok.status).toBe(200);
    } finally {
      t.clock.set('2026-11-28T02:00:00.000Z');
    }
  });

  it('one ID number per account: a second account with the same number is 409 IDENTITY.ID_NUMBER_IN_USE', async () => {
    const idNumber = ric('11010519800101001');
    const a = await registerAndLogin(t);
    const b = await registerAndLogin(t);
    expect((await verify(a, { name: '甲', idNumber })).status).toBe(200);
    const res = await verify(b, { name: '乙', idNumber: ` ${idNumber.toLowerCase()} ` });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IDENTITY.ID_NUMBER_IN_USE');
  });

  it('one ID number per account holds under concurrency: of 8 simultaneous claims exactly one wins', async () => {
    const idNumber = ric('11010519850505002');
    const users = await Promise.all(Array.from({ length: 8 }, () => registerAndLogin(t)));
    const results = await Promise.all(users.map((u) => verify(u, { name: '丙', idNumber })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(
      Array(7).fill('IDENTITY.ID_NUMBER_IN_USE'),
    );
  });

  it('a verified account cannot verify again (409 IDENTITY.ALREADY_VERIFIED)', async () => {
    const user = await registerAndLogin(t);
    const idNumber = ric('11010519900303004');
    expect((await verify(user, { name: '丁', idNumber })).status).toBe(200);
    const again = await verify(user, { name: '丁', idNumber: VALID_RIC });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('IDENTITY.ALREADY_VERIFIED');
  });

  it('ID-USCC-01..03: an organisation verifies with its USCC and legal representative', async () => {
    const org = await registerAndLogin(t, 'FOUNDER', 'ORGANIZATION');
    const res = await verify(org, {
      name: '北京某某科技有限公司',
      uscc: VALID_USCC,
      legalRepresentative: '赵六',
      legalRepresentativeIdNumber: REP_RIC,
    });
    expect(res.status).toBe(200);
    expect(res.body.realName).toMatchObject({
      status: 'VERIFIED',
      idKind: 'USCC',
      idNumberMasked: '911100********341L',
      legalRepresentativeIdNumberMasked: '360426********0071',
    });
    expect(JSON.stringify(res.body)).not.toContain(REP_RIC);
  });

  it.each([
    ['9111000060003734IL', 'CHARSET'],
    ['91110000600037341M', 'CHECKSUM'],
    ['91110000600037341', 'LENGTH'],
    ['A1110000600037341L', 'CHECKSUM'],
  ])('ID-USCC: %s is 422 IDENTITY.INVALID_USCC (%s)', async (uscc, problem) => {
    const org = await registerAndLogin(t, 'INVESTOR', 'ORGANIZATION');
    const res = await verify(org, {
      name: '某公司',
      uscc,
      legalRepresentative: '赵六',
      legalRepresentativeIdNumber: REP_RIC,
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'IDENTITY.INVALID_USCC', details: { problem } });
  });

  it("the legal representative's ID number is checked like a person's", async () => {
    const org = await registerAndLogin(t, 'FOUNDER', 'ORGANIZATION');
    const res = await verify(org, {
      name: '某公司',
      uscc: '91110108306541619G',
      legalRepresentative: '赵六',
      legalRepresentativeIdNumber: '110105194912310021',
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toMatchObject({
      field: 'legalRepresentativeIdNumber',
      problem: 'CHECKSUM',
    });
  });

  it("a body of the other kind's shape is 400 VALIDATION_FAILED naming the fields", async () => {
    const person = await registerAndLogin(t);
    const res = await verify(person, { name: '某公司', uscc: VALID_USCC });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const fields = (res.body.error.details.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['uscc', 'idNumber']));
  });

  it('no ID number, password or token ever appears in a log line', async () => {
    const user = await registerAndLogin(t);
    const idNumber = ric('11010519770707005');
    await verify(user, { name: '戊', idNumber });
    await verify(user, { name: '戊', idNumber: '110105194912310021' });
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'wrong-password-123' });
    const logs = t.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [
      idNumber,
      '110105194912310021',
      VALID_RIC,
      REP_RIC,
      user.token,
      'correct horse battery',
    ]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('CONV-05: verification writes an audit event, and audit events cannot be altered', async () => {
    const user = await registerAndLogin(t);
    await verify(user, { name: '己', idNumber: ric('11010519660606006') });
    const c = await t.db.client();
    const events = await c.query(
      `SELECT action, details FROM audit_events WHERE subject_id = $1 ORDER BY id`,
      [user.id],
    );
    expect(events.rows.map((e: { action: string }) => e.action)).toEqual([
      'user.created',
      'auth.email_verification_sent', // issue 13: registration, e-mail link, sign-in
      'auth.email_verified',
      'auth.login',
      'identity.real_name_verified',
    ]);
    await expect(
      c.query(`UPDATE audit_events SET action = 'x' WHERE subject_id = $1`, [user.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      c.query(`DELETE FROM audit_events WHERE subject_id = $1`, [user.id]),
    ).rejects.toThrow(/append-only/);
  });
});
