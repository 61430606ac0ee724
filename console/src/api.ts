import { signal } from './signal';

/**
 * The console's only door to the API. The access token lives in this module's memory, never in
 * localStorage; the refresh token is an HttpOnly cookie the script cannot read (issue 17), sent
 * by the browser only to /api/v1/auth/console/*. A page reload asks that route for a new access
 * token. `zc.signedIn` in sessionStorage is a hint (no secret) so a fresh visitor's first load
 * does not make a refresh call that is bound to fail.
 */
export interface Me {
  id: string;
  email: string;
  role: 'INVESTOR' | 'FOUNDER' | 'ADMIN' | 'FINANCE';
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const BASE = '/api/v1';
let accessToken: string | null = null;
export const me = signal<Me | null>(null);
const HINT = 'zc.signedIn';

interface Options {
  body?: unknown;
  raw?: BodyInit;
  contentType?: string;
  headers?: Record<string, string>;
}

async function send(method: string, path: string, options: Options): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  let body: BodyInit | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  return fetch(`${BASE}${path}`, { method, headers, body, credentials: 'same-origin' });
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const parsed = JSON.parse(text) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> };
    };
    const e = parsed.error ?? {};
    return new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? text, e.details);
  } catch {
    return new ApiError(res.status, `HTTP_${res.status}`, text);
  }
}

/** A JSON call; an expired access token is refreshed once through the cookie, then retried. */
export async function api<T>(method: string, path: string, options: Options = {}): Promise<T> {
  let res = await send(method, path, options);
  if (res.status === 401 && accessToken) {
    const error = await errorOf(res);
    if (error.code !== 'AUTH.TOKEN_EXPIRED' || !(await refresh())) {
      signedOut();
      throw error;
    }
    res = await send(method, path, options);
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A file from the API (the journal CSV), with the bearer token. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await send('GET', path, {});
  if (!res.ok) throw await errorOf(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

interface ConsoleTokens {
  accessToken: string;
  expiresIn: number;
}

async function adopt(tokens: ConsoleTokens): Promise<void> {
  accessToken = tokens.accessToken;
  sessionStorage.setItem(HINT, '1');
  me.set(await api<Me>('GET', '/me'));
}

async function refresh(): Promise<boolean> {
  const res = await fetch(`${BASE}/auth/console/refresh`, {
    method: 'POST',
    credentials: 'same-origin',
  });
  if (!res.ok) return false;
  accessToken = ((await res.json()) as ConsoleTokens).accessToken;
  return true;
}

/** On load: a session survives a reload through the cookie. */
export async function restore(): Promise<void> {
  if (sessionStorage.getItem(HINT) !== '1') return;
  if (await refresh()) me.set(await api<Me>('GET', '/me'));
  else sessionStorage.removeItem(HINT);
}

export type LoginStep = { challengeToken: string } | { done: true };

export async function login(email: string, password: string): Promise<LoginStep> {
  const res = await api<{ secondFactorRequired: boolean; challengeToken?: string } & ConsoleTokens>(
    'POST',
    '/auth/console/login',
    { body: { email, password } },
  );
  if (res.secondFactorRequired && res.challengeToken) return { challengeToken: res.challengeToken };
  await adopt(res);
  return { done: true };
}

export async function loginTotp(challengeToken: string, code: string): Promise<void> {
  await adopt(
    await api<ConsoleTokens>('POST', '/auth/console/login/totp', {
      body: { challengeToken, code },
    }),
  );
}

function signedOut(): void {
  accessToken = null;
  sessionStorage.removeItem(HINT);
  me.set(null);
}

export async function logout(): Promise<void> {
  try {
    await fetch(`${BASE}/auth/console/logout`, { method: 'POST', credentials: 'same-origin' });
  } finally {
    signedOut();
  }
}
