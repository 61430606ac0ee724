/** Small, strict readers for environment variables. Every problem names the variable. */
export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  /** Required when `required` is true; otherwise the development fallback is used. */
  secret(
    name: string,
    opts: { required: boolean; devFallback: string; minLength: number },
  ): string {
    const value = this.raw(name);
    if (value === undefined) {
      if (opts.required) this.problems.push(`${name} is required in production`);
      return opts.devFallback;
    }
    if (value.length < opts.minLength) {
      this.problems.push(`${name} must be at least ${opts.minLength} characters`);
    }
    return value;
  }

  int(name: string, fallback: number, range: { min: number; max: number }): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) {
      this.problems.push(`${name} must be a whole number (got "${value}")`);
      return fallback;
    }
    const n = Number(value);
    if (n < range.min || n > range.max) {
      this.problems.push(`${name} must be between ${range.min} and ${range.max} (got ${n})`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  list(name: string): string[] {
    const value = this.raw(name);
    return value === undefined
      ? []
      : value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  }

  fail(problem: string): void {
    this.problems.push(problem);
  }
}
