import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Passwords hashed with scrypt (memory-hard, in node:crypto, no native add-on). The stored form
 * carries its parameters (`scrypt$N$r$p$salt$hash`) so the cost can be raised later.
 */
@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  constructor(@Inject(authConfig.KEY) private readonly config: AuthConfig) {}

  async hash(password: string): Promise<string> {
    const N = this.config.passwordScryptCost;
    const r = 8;
    const p = 1;
    const salt = randomBytes(16);
    const key = await scryptAsync(password, salt, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
    return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const N = Number(n);
    const expected = Buffer.from(hash, 'base64');
    const key = await scryptAsync(password, Buffer.from(salt, 'base64'), {
      N,
      r: Number(r),
      p: Number(p),
      maxmem: 256 * N * Number(r) + 1024 * 1024,
    });
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /** Burns the same time as a real check, so unknown e-mails cannot be told apart by latency. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('not-a-real-password');
    await this.verify(password, await this.dummyHash);
    return false;
  }
}
