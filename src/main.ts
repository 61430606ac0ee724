import 'reflect-metadata';
import { createApp } from './app-factory.js';
import { fingerprint, loadConfig } from './config/app-config.js';
import { createLifecycleLogger } from './common/logging/logger.js';
import { ConfigError } from './config/env.js';
import { basePack, type ParameterName, resolveRulePack } from './config/rule-packs/rule-pack.js';
import { prepareDatabase } from './database/database-bootstrap.js';

/** Boot and shutdown lines: the same JSON lines as the request logs (logging/logger.ts). */
const log = createLifecycleLogger();
const say = (message: string): void => log.info(message);

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  for (const name of config.insecureDefaults) {
    log.warn(`${name} is not set; using a development-only value (never do this in production)`);
  }
  const database = await prepareDatabase(config, say);
  const app = await createApp({
    config,
    databaseUrl: database.url,
    replicaUrl: database.replicaUrl,
  }).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  // DESIGN §8: the effective pack and every operator override are logged at boot.
  const pack = resolveRulePack(config.rules.rulePack, config.rules.overridesJson);
  say(
    `rule pack ${pack.effectiveId} (${pack.currency}); JWT key fingerprint ${fingerprint(config.auth.jwtSecret)}`,
  );
  for (const [name, value] of Object.entries(pack.overrides)) {
    const published = basePack(pack.id).parameters[name as ParameterName];
    say(`rule pack override: ${name} = ${String(value)} (published value ${published})`);
  }

  // Shutdown order: stop taking requests, finish those in flight, close the pool, then the database.
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received: shutting down`);
    const force = setTimeout(() => {
      log.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    try {
      await app.close();
      await database.stop();
      say('shut down cleanly');
    } finally {
      process.exit(0);
    }
  };
  // A background job (sweep, seal, outbox) caught mid-query by the shutdown rejects once the pool
  // is closed: expected then, logged, and the shutdown goes on; at any other time it is a crash.
  process.on('unhandledRejection', (reason: unknown) => {
    if (stopping) {
      log.warn({ err: reason }, 'a background job was cut short by the shutdown');
      return;
    }
    log.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
  process.on('uncaughtException', (error: Error) => {
    if (stopping) {
      log.warn({ err: error }, 'an error while shutting down (a pool or socket already closed)');
      return;
    }
    log.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.app.port, host: config.app.host });
  say(`zhongchou listening on http://${config.app.host}:${config.app.port} (docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    log.fatal({ problems: error.problems }, error.message);
  } else {
    log.fatal({ err: error }, 'zhongchou failed to start');
  }
  process.exit(1);
});
