import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { piiConfig, type PiiConfig } from '../../config/namespaces.js';

/**
 * ID-RIC-08 / PLAT-06: identity numbers and names are stored encrypted (AES-256-GCM) and looked up
 * by a keyed hash (HMAC-SHA-256), never in clear. The ciphertext is bound to its row and field by
 * the additional authenticated data, so it cannot be moved to another user.
 */
@Injectable()
export class PiiVault {
  private static readonly VERSION = 'v1';

  constructor(@Inject(piiConfig.KEY) private readonly config: PiiConfig) {}

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.config.encryptionKey, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [PiiVault.VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(sealed: string, context: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== PiiVault.VERSION || !iv || !tag || ciphertext === undefined) {
      throw new Error('unrecognised PII ciphertext format');
    }
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.config.encryptionKey,
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Deterministic keyed digest for uniqueness look-ups; `kind` separates number spaces. */
  lookupDigest(kind: string, normalized: string): string {
    return createHmac('sha256', this.config.lookupKey)
      .update(`${kind}:${normalized}`)
      .digest('hex');
  }
}
