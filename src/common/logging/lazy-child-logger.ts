import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

const LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

type Method = (this: Logger, ...args: unknown[]) => void;

/**
 * Fastify's per-request logger, made lazily (issue 18: logging off the hot path). Fastify made a
 * pino child for every request, its bindings (the request id) serialised and passed through the
 * redaction at once: 1.9 % of the service's CPU in the pledge bench's profile, where at
 * `LOG_LEVEL=warn` almost no request logs a line. This logger is the parent's level and methods;
 * the child is made on the first line at an enabled level, or when asked for its own child or
 * bindings, and every line after that goes through it, so each line still carries `reqId`.
 */
export function lazyChildLogger(
  parent: Logger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): Logger {
  // A route with its own level: its lines are decided by the child's level, not the parent's.
  if (options.level !== undefined) return parent.child(bindings, options);
  let child: Logger | undefined;
  const real = (): Logger => (child ??= parent.child(bindings, options));
  const lazy = Object.create(parent) as Logger;
  for (const level of LEVELS) {
    const write: Method = (...args) => {
      const target = child ?? (parent.isLevelEnabled(level) ? real() : undefined);
      if (target) Reflect.apply(target[level], target, args);
    };
    Object.defineProperty(lazy, level, { value: write, writable: true, configurable: true });
  }
  Object.defineProperties(lazy, {
    child: {
      value: (more: Bindings, moreOptions?: ChildLoggerOptions) => real().child(more, moreOptions),
    },
    bindings: { value: () => real().bindings() },
    isLevelEnabled: { value: (level: string) => (child ?? parent).isLevelEnabled(level) },
    level: {
      get: () => (child ?? parent).level,
      set: (level: string) => {
        real().level = level;
      },
    },
  });
  return lazy;
}
