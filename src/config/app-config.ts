import { createHash } from 'node:crypto';
import { APP_ROLE, DEV_APP_PASSWORD } from '../database/roles.js';
import { ConfigError, type Env, EnvReader } from './env.js';
import { type LinesConfig, parseLinesConfig } from './lines-config.js';
import { type MediaConfig, parseMediaConfig } from './media-config.js';
import { type NotificationsConfig, parseNotificationsConfig } from './notifications-config.js';
import { RULE_PACK_IDS, type RulePackId, resolveRulePack } from './rule-packs/rule-pack.js';

/**
 * The whole configuration, read once from the environment and validated at boot. Nothing outside
 * src/config reads process.env (STYLE §7). In production every secret must be set; in development
 * and test, fixed insecure fallbacks let `npm start` work from a fresh clone (a warning is logged).
 */
export interface AppConfig {
  app: { env: 'development' | 'test' | 'production'; port: number; host: string; logLevel: string };
  database: {
    url?: string;
    /**
     * Issue 19: a privileged connection for migrations and role set-up (default: `url`). When the
     * service's own URL is not the application role's, it connects as `zhongchou_app` with
     * `appPassword` on the same server instead: the service never runs as a superuser.
     */
    migrationUrl?: string;
    appPassword: string;
    /** A streaming replica for the finance office's reads (TypeORM replication), if any. */
    replicaUrl?: string;
    /** How long a finance read waits for the replica to catch up before using the primary (ms). */
    replicaMaxWaitMs: number;
    /** Where pg_dump and pg_restore are, if not on PATH (backup and restore). */
    pgBinDir?: string;
    embeddedDir: string;
    /**
     * Whether EMBEDDED_PG_DIR was set. Only the default directory may move to a traversable
     * fallback when, as root, the checkout lies under a folder the `postgres` user cannot enter.
     */
    embeddedDirExplicit: boolean;
    embeddedPort: number;
    poolSize: number;
    /**
     * How long a pooled connection may sit idle before it is closed. A new one costs Postgres a
     * backend, an authentication and cold caches, and every prepared statement is planned again.
     */
    poolIdleMs: number;
    /**
     * Pledge transactions one instance runs at once on one campaign (DESIGN §10): the rest wait
     * in the process, in arrival order, instead of queueing on the campaign's row lock.
     */
    hotCampaignConcurrency: number;
  };
  auth: {
    jwtSecret: string;
    /** Access-token lifetime (short: a stolen token is useful only briefly; clients refresh). */
    jwtExpiresInSeconds: number;
    passwordScryptCost: number;
    /** Attempts per account (and x10 per address) in each window, on every credential route. */
    loginRateLimit: number;
    loginRateWindowSeconds: number;
    /** A refresh token's lifetime; each use rotates it and starts a new one (issue 13). */
    refreshTokenTtlSeconds: number;
    passwordResetTtlSeconds: number;
    emailVerificationTtlSeconds: number;
    /** How long after a TOTP check a step-up route (payout approval) accepts it without a new code. */
    secondFactorFreshSeconds: number;
    /**
     * How long one instance trusts its cached view of a session while it does not hear session
     * ends (0: ask Postgres every request).
     */
    sessionCacheMs: number;
    /**
     * The same while it listens for them (`zhongchou_sessions`: a session's end reaches every
     * instance as it commits); 0: never listen, keep to `sessionCacheMs`.
     */
    sessionCacheListeningMs: number;
    /** The issuer shown in authenticator apps. */
    totpIssuer: string;
    /** Where links in e-mails point (the service itself by default). */
    publicUrl: string;
    /**
     * Issue 19: rate-limit counters shared by every instance in this Redis (rate-limiter-flexible's
     * Redis store); unset: each instance counts in its own memory. Never required.
     */
    redisUrl?: string;
    /** Prefix of the rate-limit keys in Redis (several deployments or test runs on one Redis). */
    rateLimitKeyPrefix: string;
  };
  pii: { encryptionKey: Buffer; lookupKey: Buffer };
  /**
   * Outgoing e-mail (issue 13): SMTP when `smtpUrl` is set, else every message is written as an
   * RFC 822 `.eml` file under `dir`, so `npm start` works with nothing else.
   */
  mail: { smtpUrl?: string; dir: string; from: string };
  http: { bodyLimitBytes: number; corsOrigins: string[]; trustProxy: boolean };
  rules: { rulePack: RulePackId; overridesJson?: string };
  ledger: {
    /** How often the sealer runs; 0 turns the background sealer off (tests call it directly). */
    sealIntervalMs: number;
    /** Most transfers in one sealed block. */
    sealMaxTransfers: number;
    /** INV-11: a transfer older than this must be sealed, or verify reports it. */
    sealGraceSeconds: number;
    /** Sealed blocks verify recomputes at once, each on its own connection (issue 18). */
    verifyConcurrency: number;
    custodyWebhookSecret: string;
    /** HMAC key the platform signs documents it attests with (holding certificates, issue 15). */
    documentSigningKey: string;
    /** How often the settlement sweeps run (DESIGN §6); 0 turns the background sweeper off. */
    sweepIntervalMs: number;
    /** Pledges posted or voided per settlement transaction. */
    settlementBatchSize: number;
    /** Settlement batches of one campaign in flight at once, each on its own connection (issue 18). */
    settlementWorkers: number;
  };
  notifications: NotificationsConfig;
  media: MediaConfig;
  /** PLAT-07: the campaign kinds this deployment runs and whether line wallets are separate. */
  lines: LinesConfig;
  /** Names of secrets that fell back to development values (logged as a warning at boot). */
  insecureDefaults: string[];
}

const DEV_JWT_SECRET = 'development-only-jwt-secret-do-not-use-in-production';
const DEV_PII_KEY = Buffer.alloc(32, 7).toString('base64');
const DEV_LOOKUP_KEY = 'development-only-pii-lookup-key-do-not-use';
const DEV_CUSTODY_SECRET = 'development-only-custody-webhook-secret-do-not-use';
const DEV_DOCUMENT_KEY = 'development-only-document-signing-key-do-not-use-it';

export function parseConfig(env: Env): AppConfig {
  const r = new EnvReader(env);
  const appEnv = r.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const production = appEnv === 'production';
  const insecureDefaults = [
    'JWT_SECRET',
    'PII_ENCRYPTION_KEY',
    'PII_LOOKUP_KEY',
    'CUSTODY_WEBHOOK_SECRET',
    'DOCUMENT_SIGNING_KEY',
  ].filter((name) => env[name] === undefined || env[name]?.trim() === '');

  const piiKeyText = r.secret('PII_ENCRYPTION_KEY', {
    required: production,
    devFallback: DEV_PII_KEY,
    minLength: 1,
  });
  const encryptionKey = Buffer.from(piiKeyText, 'base64');
  if (encryptionKey.length !== 32)
    r.fail('PII_ENCRYPTION_KEY must be 32 bytes encoded in base64 (AES-256-GCM)');

  const smtpUrl = r.optionalString('SMTP_URL');
  if (smtpUrl !== undefined && !isSmtpUrl(smtpUrl)) {
    r.fail(
      'SMTP_URL must be an smtp:// or smtps:// URL (e.g. smtp://user:pass@mail.example.com:587)',
    );
  }
  // Mail written to files in production would silently never reach anyone: SMTP is required there,
  // unless the operator names MAIL_DIR on purpose.
  if (production && smtpUrl === undefined && r.optionalString('MAIL_DIR') === undefined) {
    r.fail(
      'SMTP_URL is required in production (or set MAIL_DIR to keep mail as .eml files on purpose)',
    );
  }
  const mailFrom = r.string('MAIL_FROM', 'zhongchou <no-reply@zhongchou.localhost>');
  if (!MAIL_FROM.test(mailFrom)) {
    r.fail('MAIL_FROM must be an address, optionally with a name: "Name <no-reply@example.com>"');
  }

  const port = r.int('PORT', 3000, { min: 0, max: 65535 });
  const publicUrl = r.string('APP_PUBLIC_URL', `http://localhost:${port}`);
  if (!/^https?:\/\/[^\s/]+/.test(publicUrl)) r.fail('APP_PUBLIC_URL must be an http(s):// URL');

  const redisUrl = r.optionalString('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    r.fail('REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379)');
  }

  const databaseUrl = r.optionalString('DATABASE_URL');
  const migrationUrl = r.optionalString('DATABASE_MIGRATION_URL');
  const replicaUrl = r.optionalString('DATABASE_REPLICA_URL');
  for (const [name, value] of Object.entries({
    DATABASE_URL: databaseUrl,
    DATABASE_MIGRATION_URL: migrationUrl,
    DATABASE_REPLICA_URL: replicaUrl,
  })) {
    if (value !== undefined && !/^postgres(ql)?:\/\//.test(value)) {
      r.fail(`${name} must be a postgres:// URL`);
    }
  }
  const appPassword = r.secret('DATABASE_APP_PASSWORD', {
    required: false,
    devFallback: DEV_APP_PASSWORD,
    minLength: 12,
  });
  if (production && databaseUrl !== undefined && env.DATABASE_APP_PASSWORD === undefined) {
    if (!databaseUrl.includes(`//${APP_ROLE}`))
      r.fail(
        `DATABASE_APP_PASSWORD is required in production unless DATABASE_URL connects as ${APP_ROLE}`,
      );
  }

  const config: AppConfig = {
    app: {
      env: appEnv,
      port,
      host: r.string('HOST', '0.0.0.0'),
      logLevel: r.oneOf(
        'LOG_LEVEL',
        ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
        'info',
      ),
    },
    database: {
      url: databaseUrl,
      migrationUrl,
      appPassword,
      replicaUrl,
      replicaMaxWaitMs: r.int('DATABASE_REPLICA_MAX_WAIT_MS', 250, { min: 0, max: 10_000 }),
      pgBinDir: r.optionalString('PG_BIN_DIR'),
      embeddedDir: r.string('EMBEDDED_PG_DIR', '.data/pg'),
      embeddedDirExplicit: r.optionalString('EMBEDDED_PG_DIR') !== undefined,
      embeddedPort: r.int('EMBEDDED_PG_PORT', 54329, { min: 1024, max: 65535 }),
      poolSize: r.int('DATABASE_POOL_SIZE', 20, { min: 1, max: 500 }),
      poolIdleMs: r.int('DATABASE_POOL_IDLE_MS', 60_000, { min: 1000, max: 3_600_000 }),
      hotCampaignConcurrency: r.int('PLEDGE_HOT_CAMPAIGN_CONCURRENCY', 4, { min: 1, max: 500 }),
    },
    auth: {
      jwtSecret: r.secret('JWT_SECRET', {
        required: production,
        devFallback: DEV_JWT_SECRET,
        minLength: 32,
      }),
      jwtExpiresInSeconds: r.int('JWT_EXPIRES_IN_SECONDS', 900, { min: 60, max: 24 * 3600 }),
      passwordScryptCost: r.int('PASSWORD_SCRYPT_COST', 16384, { min: 1024, max: 1048576 }),
      loginRateLimit: r.int('LOGIN_RATE_LIMIT', 5, { min: 1, max: 10000 }),
      loginRateWindowSeconds: r.int('LOGIN_RATE_WINDOW_SECONDS', 60, { min: 1, max: 86400 }),
      refreshTokenTtlSeconds: r.int('REFRESH_TOKEN_TTL_SECONDS', 14 * 86400, {
        min: 300,
        max: 90 * 86400,
      }),
      passwordResetTtlSeconds: r.int('PASSWORD_RESET_TTL_SECONDS', 3600, { min: 300, max: 86400 }),
      emailVerificationTtlSeconds: r.int('EMAIL_VERIFICATION_TTL_SECONDS', 48 * 3600, {
        min: 600,
        max: 30 * 86400,
      }),
      secondFactorFreshSeconds: r.int('SECOND_FACTOR_FRESH_SECONDS', 600, { min: 30, max: 86400 }),
      sessionCacheMs: r.int('SESSION_CACHE_MS', 1000, { min: 0, max: 60_000 }),
      sessionCacheListeningMs: r.int('SESSION_CACHE_LISTENING_MS', 60_000, {
        min: 0,
        max: 3_600_000,
      }),
      totpIssuer: r.string('TOTP_ISSUER', 'zhongchou'),
      publicUrl: publicUrl.replace(/\/+$/, ''),
      redisUrl,
      rateLimitKeyPrefix: r.string('RATE_LIMIT_KEY_PREFIX', 'zc:rl'),
    },
    pii: {
      encryptionKey,
      lookupKey: Buffer.from(
        r.secret('PII_LOOKUP_KEY', {
          required: production,
          devFallback: DEV_LOOKUP_KEY,
          minLength: 32,
        }),
        'utf8',
      ),
    },
    mail: { smtpUrl, dir: r.string('MAIL_DIR', '.data/mail'), from: mailFrom },
    http: {
      bodyLimitBytes: r.int('BODY_LIMIT_BYTES', 100 * 1024, { min: 1024, max: 50 * 1024 * 1024 }),
      corsOrigins: r.list('CORS_ORIGINS'),
      trustProxy: r.oneOf('TRUST_PROXY', ['true', 'false'] as const, 'false') === 'true',
    },
    rules: {
      rulePack: r.oneOf('RULE_PACK', RULE_PACK_IDS, 'CN'),
      overridesJson: r.optionalString('RULE_PACK_OVERRIDES'),
    },
    ledger: {
      sealIntervalMs: r.int('SEAL_INTERVAL_MS', 5000, { min: 0, max: 3_600_000 }),
      sealMaxTransfers: r.int('SEAL_MAX_TRANSFERS', 10000, { min: 1, max: 1_000_000 }),
      sealGraceSeconds: r.int('SEAL_GRACE_SECONDS', 300, { min: 1, max: 86_400 }),
      verifyConcurrency: r.int('LEDGER_VERIFY_CONCURRENCY', 4, { min: 1, max: 64 }),
      sweepIntervalMs: r.int('SWEEP_INTERVAL_MS', 30_000, { min: 0, max: 3_600_000 }),
      settlementBatchSize: r.int('SETTLEMENT_BATCH_SIZE', 2000, { min: 1, max: 50_000 }),
      settlementWorkers: r.int('SETTLEMENT_WORKERS', 2, { min: 1, max: 16 }),
      custodyWebhookSecret: r.secret('CUSTODY_WEBHOOK_SECRET', {
        required: production,
        devFallback: DEV_CUSTODY_SECRET,
        minLength: 32,
      }),
      documentSigningKey: r.secret('DOCUMENT_SIGNING_KEY', {
        required: production,
        devFallback: DEV_DOCUMENT_KEY,
        minLength: 32,
      }),
    },
    notifications: parseNotificationsConfig(r),
    media: parseMediaConfig(r),
    lines: parseLinesConfig(r),
    insecureDefaults: production ? [] : insecureDefaults,
  };
  if ((config.auth.passwordScryptCost & (config.auth.passwordScryptCost - 1)) !== 0) {
    r.fail('PASSWORD_SCRYPT_COST must be a power of two');
  }
  try {
    resolveRulePack(config.rules.rulePack, config.rules.overridesJson);
  } catch (e) {
    r.fail((e as Error).message);
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

const MAIL_FROM = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

let cached: AppConfig | undefined;

/** The process's configuration, parsed once. */
export function loadConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

/**
 * NODE_ENV alone, for a tool that must refuse production before anything else is read (in
 * production a missing secret would stop loadConfig() first): `custody:simulate`.
 */
export function appEnvironment(env: Env = process.env): AppConfig['app']['env'] {
  const environments = ['development', 'test', 'production'] as const;
  return new EnvReader(env).oneOf('NODE_ENV', environments, 'development');
}

/** A short fingerprint, never the value, for logging which secret is in force. */
export function fingerprint(secret: string | Buffer): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}
