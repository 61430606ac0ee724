import 'reflect-metadata';
import { createApp } from './app-factory.js';
import { fingerprint, loadConfig } from './config/app-config.js';
import { ConfigError } from './config/env.js';
import { basePack, type ParameterName, resolveRulePack } from './config/rule-packs/rule-pack.js';
import { prepareDatabase } from './database/database-bootstrap.js';

const say = (message: string): void => {
  process.stderr.write(
    `${JSON.stringify({ level: 'info', time: new Date().toISOString(), msg: message })}\n`,
  );
};

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  for (const name of config.insecureDefaults) {
    say(
      `WARNING: ${name} is not set; using a development-only value (never do this in production)`,
    );
  }
  const database = await prepareDatabase(config, say);
  const app = await createApp({ config, databaseUrl: database.url }).catch(
    async (error: unknown) => {
      await database.stop();
      throw error;
    },
  );
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
      say('shutdown took longer than 20 s; exiting');
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
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.app.port, host: config.app.host });
  say(`zhongchou listening on http://${config.app.host}:${config.app.port} (docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `zhongchou failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
