import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

export const PASSWORD = 'correct horse battery';

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

/** Registers a user over HTTP and logs in. */
export async function registerAndLogin(
  t: TestApp,
  role: 'INVESTOR' | 'FOUNDER' = 'INVESTOR',
  kind: 'PERSON' | 'ORGANIZATION' = 'PERSON',
): Promise<TestUser> {
  const email = `${role.toLowerCase()}-${randomUUID()}@example.com`;
  const registered = await t.http
    .post('/api/v1/auth/register')
    .send({ email, password: PASSWORD, role, kind });
  if (registered.status !== 201)
    throw new Error(`register failed: ${registered.status} ${registered.text}`);
  const login = await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return { id: registered.body.id as string, email, token: login.body.accessToken as string };
}
