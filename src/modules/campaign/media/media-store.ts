import { createHash, createHmac } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import type { MediaConfig } from '../../../config/namespaces.js';

/** Where image bytes live, by the SHA-256 of their content (the name is the content's hash). */
export interface MediaStore {
  /** Stores the bytes under their hash; storing the same bytes again does nothing. */
  put(sha256: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The bytes, or null if nothing is stored under that hash. */
  get(sha256: string): Promise<Buffer | null>;
}

export const MEDIA_STORE = Symbol('MEDIA_STORE');

/** The default: files under MEDIA_DIR, two levels of fan-out (`ab/cd/abcd…`). */
export class DiskMediaStore implements MediaStore {
  constructor(private readonly dir: string) {}

  private pathOf(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, bytes: Buffer): Promise<void> {
    const target = this.pathOf(sha256);
    if (
      await stat(target).then(
        () => true,
        () => false,
      )
    )
      return;
    await mkdir(path.dirname(target), { recursive: true });
    // Written aside and renamed: a reader never sees half a file, a crash leaves only a temp file.
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, target);
  }

  async get(sha256: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}

/**
 * An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Alibaba OSS in S3 mode), by path-style PUT
 * and GET signed with AWS Signature V4. Small on purpose: two requests need no SDK.
 */
export class S3MediaStore implements MediaStore {
  private readonly logger = new Logger('MediaStore');

  constructor(private readonly s3: NonNullable<MediaConfig['s3']>) {}

  async put(sha256: string, bytes: Buffer, contentType: string): Promise<void> {
    const res = await this.send('PUT', sha256, bytes, { 'content-type': contentType });
    if (!res.ok) throw await this.refused('PUT', sha256, res);
  }

  async get(sha256: string): Promise<Buffer | null> {
    const res = await this.send('GET', sha256, Buffer.alloc(0), {});
    if (res.status === 404) return null;
    if (!res.ok) throw await this.refused('GET', sha256, res);
    return Buffer.from(await res.arrayBuffer());
  }

  private async send(
    method: 'GET' | 'PUT',
    key: string,
    body: Buffer,
    extra: Record<string, string>,
  ): Promise<Response> {
    const url = new URL(`${this.s3.endpoint}/${this.s3.bucket}/media/${key}`);
    const headers = signV4(this.s3, method, url, body, extra, new Date());
    try {
      return await fetch(url, {
        method,
        headers,
        body: method === 'PUT' ? new Uint8Array(body) : undefined,
      });
    } catch (error) {
      this.logger.warn(`S3 ${method} media/${key}: ${(error as Error).message}`);
      throw new MediaStoreUnavailableError();
    }
  }

  /** The bucket said no (a wrong key, a missing bucket, a full disk): logged with S3's code. */
  private async refused(method: string, key: string, res: Response): Promise<Error> {
    const text = await res.text().catch(() => '');
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1] ?? 'no error code';
    this.logger.warn(`S3 ${method} media/${key}: HTTP ${res.status} ${code}`);
    return new MediaStoreUnavailableError();
  }
}

/**
 * The media store cannot be reached or refused the request: answered as `503
 * SERVICE_UNAVAILABLE` (a dependency, like the database), never with the store's own words.
 */
export class MediaStoreUnavailableError extends Error {
  readonly statusCode = 503;
  constructor() {
    super('The media store did not accept the request.');
    this.name = 'MediaStoreUnavailableError';
  }
}

const sha256hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();

/** Each path segment URI-encoded as SigV4 wants it (RFC 3986 unreserved kept, `/` kept). */
const canonicalUri = (url: URL): string =>
  url.pathname
    .split('/')
    .map((segment) =>
      encodeURIComponent(decodeURIComponent(segment)).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');

/** AWS Signature Version 4 headers for one request (service `s3`, payload hashed). */
export function signV4(
  s3: { region: string; accessKeyId: string; secretAccessKey: string },
  method: string,
  url: URL,
  body: Buffer,
  extra: Record<string, string>,
  now: Date,
): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...extra,
    host: url.host,
    'x-amz-content-sha256': sha256hex(body),
    'x-amz-date': amzDate,
  };
  const names = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonical = [
    method,
    canonicalUri(url),
    '',
    ...names.map((h) => `${h}:${String(lower[h]).trim().replace(/\s+/g, ' ')}`),
    '',
    names.join(';'),
    headers['x-amz-content-sha256'],
  ].join('\n');
  const scope = `${day}/${s3.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonical)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${s3.secretAccessKey}`, day), s3.region), 's3'),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${s3.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

export function createMediaStore(config: MediaConfig): MediaStore {
  if (config.store === 's3' && config.s3) return new S3MediaStore(config.s3);
  return new DiskMediaStore(config.dir);
}
