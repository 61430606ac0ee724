import type { EnvReader } from './env.js';

/**
 * Campaign pages (issue 16): where uploaded images are kept and what an upload may be, and how
 * often a user may ask questions.
 */
export interface MediaConfig {
  /** `disk` (default; files under `dir`) or `s3` (an S3-compatible bucket). */
  store: 'disk' | 's3';
  dir: string;
  s3?: {
    endpoint: string;
    region: string;
    bucket: string;
    accessKeyId: string;
    secretAccessKey: string;
  };
  /** Largest upload in bytes (413 MEDIA.TOO_LARGE beyond). */
  maxBytes: number;
  /** Most pixels (width x height) an image may declare: a decompression bomb is refused unread. */
  maxPixels: number;
  /** Questions one user may ask per hour, across campaigns (429 RATE_LIMITED beyond). */
  questionsPerHour: number;
}

export function parseMediaConfig(r: EnvReader): MediaConfig {
  const store = r.oneOf('MEDIA_STORE', ['disk', 's3'] as const, 'disk');
  const config: MediaConfig = {
    store,
    dir: r.string('MEDIA_DIR', '.data/media'),
    maxBytes: r.int('MEDIA_MAX_BYTES', 8 * 1024 * 1024, { min: 1024, max: 100 * 1024 * 1024 }),
    maxPixels: r.int('MEDIA_MAX_PIXELS', 40_000_000, { min: 1, max: 500_000_000 }),
    questionsPerHour: r.int('QUESTIONS_PER_HOUR', 10, { min: 1, max: 100_000 }),
  };
  if (store === 's3') {
    const need = (name: string): string => {
      const value = r.optionalString(name);
      if (value === undefined) r.fail(`${name} is required when MEDIA_STORE=s3`);
      return value ?? '';
    };
    const endpoint = need('MEDIA_S3_ENDPOINT');
    if (endpoint !== '' && !/^https?:\/\/[^\s/]+/.test(endpoint))
      r.fail('MEDIA_S3_ENDPOINT must be an http(s):// URL');
    config.s3 = {
      endpoint: endpoint.replace(/\/+$/, ''),
      region: r.string('MEDIA_S3_REGION', 'us-east-1'),
      bucket: need('MEDIA_S3_BUCKET'),
      accessKeyId: need('MEDIA_S3_ACCESS_KEY_ID'),
      secretAccessKey: need('MEDIA_S3_SECRET_ACCESS_KEY'),
    };
  }
  return config;
}
