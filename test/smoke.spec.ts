import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin } from './support/users.js';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('health', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
  });

  it('register, login, me', async () => {
    const u = await registerAndLogin(t);
    const me = await t.http.get('/api/v1/me').set('authorization', `Bearer ${u.token}`);
    expect(me.status).toBe(200);
    expect(me.body.realName.status).toBe('UNVERIFIED');
  });
});
