import { randomUUID } from 'node:crypto';
import { generate } from 'otplib';
import { type ParsedMail, tokenIn, waitForMail } from './mailbox.js';
import type { TestApp } from './test-app.js';

export const PASSWORD = 'correct horse battery';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  refreshToken?: string;
  /** The verified USCC of an organisation (verifiedUser). */
  uscc?: string;
}

/** The TOTP code of `secret` at the wall clock, `stepsAhead` 30-second steps from now. */
export function totpCode(secret: string, stepsAhead = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });
}

/**
 * The e-mail verification of a just-registered user (issue 13), as a person does it: the token
 * from the mail in the app's MAIL_DIR, sent to POST /auth/verify-email.
 */
export async function verifyEmail(
  t: TestApp,
  email: string,
  /** Where mail arrives when the app sends by SMTP (SMTP_URL) instead of to MAIL_DIR. */
  inbox?: () => readonly ParsedMail[],
): Promise<void> {
  const source = inbox ?? t.inbox;
  const mail = source
    ? await waitFor(() =>
        source().find(
          (m) => m.headers.to === email && m.headers['x-zhongchou-mail'] === 'email-verification',
        ),
      )
    : await waitForMail(t.config.mail.dir, email, 'email-verification');
  const res = await t.http.post('/api/v1/auth/verify-email').send({ token: tokenIn(mail) });
  if (res.status !== 200) throw new Error(`verify-email failed: ${res.status} ${res.text}`);
}

async function waitFor<T>(find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('no such mail arrived');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Registers a user over HTTP, verifies the e-mail from the mail it got, and logs in. */
export async function registerAndLogin(
  t: TestApp,
  role: 'INVESTOR' | 'FOUNDER' = 'INVESTOR',
  kind: 'PERSON' | 'ORGANIZATION' = 'PERSON',
  inbox?: () => readonly ParsedMail[],
): Promise<TestUser> {
  const email = `${role.toLowerCase()}-${randomUUID()}@example.com`;
  const registered = await t.http
    .post('/api/v1/auth/register')
    .send({ email, password: PASSWORD, role, kind });
  if (registered.status !== 201)
    throw new Error(`register failed: ${registered.status} ${registered.text}`);
  await verifyEmail(t, email, inbox);
  const login = await t.http.post('/api/v1/auth/login').send({ email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return {
    id: registered.body.id as string,
    email,
    token: login.body.accessToken as string,
    refreshToken: login.body.refreshToken as string,
  };
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
  const uscc = kind === 'ORGANIZATION' ? await freshUscc() : undefined;
  const body =
    kind === 'PERSON'
      ? { name: '测试', idNumber: await freshRic() }
      : {
          name: '测试公司',
          uscc,
          legalRepresentative: '法人',
          legalRepresentativeIdNumber: await freshRic(),
        };
  const res = await t.http
    .post('/api/v1/me/real-name')
    .set('authorization', `Bearer ${user.token}`)
    .send(body);
  if (res.status !== 200) throw new Error(`real-name failed: ${res.status} ${res.text}`);
  return uscc ? { ...user, uscc } : user;
}

export interface StaffUser {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
  totpSecret: string;
  recoveryCodes: string[];
}

/**
 * Creates a staff account through the service (as the CLI does), then does what a new staff
 * member does (issue 13): signs in (a session that may only enrol), enrols TOTP, confirms it with
 * a code, and signs in again through the TOTP challenge with the next code.
 */
export async function staffToken(t: TestApp, role: 'ADMIN' | 'FINANCE'): Promise<StaffUser> {
  const { IdentityService } = await import('../../src/modules/identity/identity.service.js');
  const email = `${role.toLowerCase()}-${randomUUID()}@example.com`;
  const created = await t.app
    .get(IdentityService)
    .createUser({ email, password: PASSWORD, role, kind: 'PERSON' }, 'cli');
  return { id: created.id, ...(await enrolStaff(t, email)) };
}

/** Sign-in, TOTP enrolment and the challenge, for an existing staff account without TOTP. */
export async function enrolStaff(t: TestApp, email: string): Promise<Omit<StaffUser, 'id'>> {
  const call = async (path: string, body: object, token?: string) => {
    const req = t.http.post(`/api/v1${path}`);
    const res = await (token ? req.set('authorization', `Bearer ${token}`) : req).send(body);
    if (res.status !== 200) throw new Error(`${path} failed: ${res.status} ${res.text}`);
    return res.body as Record<string, unknown>;
  };
  const first = await call('/auth/login', { email, password: PASSWORD });
  const enrolment = await call('/me/totp/enrol', {}, first.accessToken as string);
  const totpSecret = enrolment.secret as string;
  const confirmed = await call(
    '/me/totp/confirm',
    { code: await totpCode(totpSecret) },
    first.accessToken as string,
  );
  const challenge = await call('/auth/login', { email, password: PASSWORD });
  // The confirmation spent this step's code (RFC 6238 §5.2): the next step's is accepted early.
  const tokens = await call('/auth/login/totp', {
    challengeToken: challenge.challengeToken,
    code: await totpCode(totpSecret, 1),
  });
  return {
    email,
    token: tokens.accessToken as string,
    refreshToken: tokens.refreshToken as string,
    totpSecret,
    recoveryCodes: confirmed.recoveryCodes as string[],
  };
}
