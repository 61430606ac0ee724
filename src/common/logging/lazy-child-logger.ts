import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

const LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** What one request's lazy logger carries: the child's makings, and the child once made. */
interface LazyState {
  bindings: Bindings;
  options: ChildLoggerOptions;
  child: Logger | undefined;
}

const STATE = Symbol('lazyChildLogger');

type LazyLogger = Logger & { [STATE]: LazyState };

function real(lazy: LazyLogger, parent: Logger): Logger {
  const state = lazy[STATE];
  return (state.child ??= parent.child(state.bindings, state.options));
}

/** One prototype per parent logger: the methods are made once, not on every request. */
const prototypes = new WeakMap<Logger, Logger>();

function prototypeFor(parent: Logger): Logger {
  const known = prototypes.get(parent);
  if (known) return known;
  const proto = Object.create(parent) as Logger;
  for (const level of LEVELS) {
    Object.defineProperty(proto, level, {
      value: function (this: LazyLogger, ...args: unknown[]) {
        const { child } = this[STATE];
        const target = child ?? (parent.isLevelEnabled(level) ? real(this, parent) : undefined);
        if (target) Reflect.apply(target[level], target, args);
      },
      writable: true,
      configurable: true,
    });
  }
  Object.defineProperties(proto, {
    child: {
      value: function (this: LazyLogger, more: Bindings, moreOptions?: ChildLoggerOptions) {
        return real(this, parent).child(more, moreOptions);
      },
    },
    bindings: {
      value: function (this: LazyLogger) {
        return real(this, parent).bindings();
      },
    },
    isLevelEnabled: {
      value: function (this: LazyLogger, level: string) {
        return (this[STATE].child ?? parent).isLevelEnabled(level);
      },
    },
    level: {
      get(this: LazyLogger) {
        return (this[STATE].child ?? parent).level;
      },
      set(this: LazyLogger, level: string) {
        real(this, parent).level = level;
      },
    },
  });
  prototypes.set(parent, proto);
  return proto;
}

/**
 * Fastify's per-request logger, made lazily (issue 18: logging off the hot path). Fastify made a
 * pino child for every request, its bindings (the request id) serialised and passed through the
 * redaction at once: 1.9 % of the service's CPU in the pledge bench's profile, where at
 * `LOG_LEVEL=warn` almost no request logs a line. This logger is the parent's level and methods;
 * the child is made on the first line at an enabled level, or when asked for its own child or
 * bindings, and every line after that goes through it, so each line still carries `reqId`. The
 * methods live on one prototype per parent; a request makes one object with its bindings (defining
 * them per request was 1.3 % of the service's CPU in the next profile).
 */
export function lazyChildLogger(
  parent: Logger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): Logger {
  // A route with its own level: its lines are decided by the child's level, not the parent's.
  if (options.level !== undefined) return parent.child(bindings, options);
  const lazy = Object.create(prototypeFor(parent)) as LazyLogger;
  lazy[STATE] = { bindings, options, child: undefined };
  return lazy;
}
