import { type ConfigFactory, type ConfigType, registerAs } from '@nestjs/config';
import type { AppConfig } from './app-config.js';
import { resolveRulePack } from './rule-packs/rule-pack.js';

/**
 * One @nestjs/config namespace per concern. Services inject exactly the part they need:
 * `@Inject(authConfig.KEY) private readonly auth: ConfigType<typeof authConfig>`.
 * The factories below only fix the keys and types; `configNamespaces` binds them to a parsed config.
 */
const unbound = (name: string): never => {
  throw new Error(`config namespace ${name} used before the config was loaded`);
};
export const appConfig = registerAs('app', (): AppConfig['app'] => unbound('app'));
export const databaseConfig = registerAs('database', (): AppConfig['database'] =>
  unbound('database'),
);
export const authConfig = registerAs('auth', (): AppConfig['auth'] => unbound('auth'));
export const piiConfig = registerAs('pii', (): AppConfig['pii'] => unbound('pii'));
export const mailConfig = registerAs('mail', (): AppConfig['mail'] => unbound('mail'));
export const httpConfig = registerAs('http', (): AppConfig['http'] => unbound('http'));
export const ledgerConfig = registerAs('ledger', (): AppConfig['ledger'] => unbound('ledger'));
export const notificationsConfig = registerAs('notifications', (): AppConfig['notifications'] =>
  unbound('notifications'),
);
export const mediaConfig = registerAs('media', (): AppConfig['media'] => unbound('media'));
export const linesConfig = registerAs('lines', (): AppConfig['lines'] => unbound('lines'));
export const rulePackConfig = registerAs('rulePack', () => resolveRulePack('CN'));

export type AuthConfig = ConfigType<typeof authConfig>;
export type PiiConfig = ConfigType<typeof piiConfig>;
export type HttpConfig = ConfigType<typeof httpConfig>;
export type MailConfig = ConfigType<typeof mailConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type RulePackConfig = ConfigType<typeof rulePackConfig>;
export type LedgerConfig = ConfigType<typeof ledgerConfig>;
export type NotificationsConfig = ConfigType<typeof notificationsConfig>;
export type MediaConfig = ConfigType<typeof mediaConfig>;
export type LinesConfig = ConfigType<typeof linesConfig>;

/** Namespaces bound to one parsed configuration (the same keys as the exports above). */
export function configNamespaces(config: AppConfig): ConfigFactory[] {
  const rulePack = resolveRulePack(config.rules.rulePack, config.rules.overridesJson);
  return [
    registerAs('app', () => config.app),
    registerAs('database', () => config.database),
    registerAs('auth', () => config.auth),
    registerAs('pii', () => config.pii),
    registerAs('http', () => config.http),
    registerAs('mail', () => config.mail),
    registerAs('ledger', () => config.ledger),
    registerAs('notifications', () => config.notifications),
    registerAs('media', () => config.media),
    registerAs('lines', () => config.lines),
    registerAs('rulePack', () => rulePack),
  ];
}
