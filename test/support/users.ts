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

let ricCounter = Math.floor(Math.random() * 500);

/** A fresh valid resident ID number (adult, unique within the run). */
export async function freshRic(): Promise<string> {
  const { ricCheckCharacter } = await import('../../src/modules/identity/id-numbers.js');
  ricCounter = (ricCounter + 1) % 1000;
  const day = String(1 + (ricCounter % 28)).padStart(2, '0');
  const first17 = `110105${1960 + (ricCounter % 40)}01${day}${String(ricCounter).padStart(3, '0')}`;
  return first17 + ricCheckCharacter(first17);
}

/** A fresh valid unified social credit code. */
export async function freshUscc(): Promise<string> {
  const { usccCheckCharacter } = await import('../../src/modules/identity/id-numbers.js');
  const digits = Array.from({ length: 15 }, () => Math.floor(Math.random() * 10)).join('');
  const first17 = `91${digits}`;
  return first17 + usccCheckCharacter(first17);
}

/** Registers, logs in and completes real-name verification (PLAT-01). */
export async function verifiedUser(
  t: TestApp,
  role: 'INVESTOR' | 'FOUNDER' = 'INVESTOR',
  kind: 'PERSON' | 'ORGANIZATION' = 'PERSON',
): Promise<TestUser> {
  const user = await registerAndLogin(t, role, kind);
  const body =
    kind === 'PERSON'
      ? { name: '测试', idNumber: await freshRic() }
      : {
          name: '测试公司',
          uscc: await freshUscc(),
          legalRepresentative: '法人',
          legalRepresentativeIdNumber: await freshRic(),
        };
  const res = await t.http
    .post('/api/v1/me/real-name')
    .set('authorization', `Bearer ${user.token}`)
    .send(body);
  if (res.status !== 200) throw new Error(`real-name failed: ${res.status} ${res.text}`);
  return user;
}

/** Creates a staff account through the service (as the CLI does) and logs in. */
export async function staffToken(
  t: TestApp,
  role: 'ADMIN' | 'FINANCE',
): Promise<{ id: string; token: string }> {
  const { IdentityService } = await import('../../src/modules/identity/identity.service.js');
  const email = `${role.toLowerCase()}-${randomUUID()}@example.com`;
  const created = await t.app
    .get(IdentityService)
    .createUser({ email, password: PASSWORD, role, kind: 'PERSON' }, 'cli');
  const login = await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
  return { id: created.id, token: login.body.accessToken as string };
}
