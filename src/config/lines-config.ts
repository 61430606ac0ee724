import type { EnvReader } from './env.js';

/** The campaign kinds a deployment may run (PLAT-07); the same list as the campaign module's. */
export const PLATFORM_LINE_KINDS = ['EQUITY', 'DEBT', 'REWARD', 'DONATION'] as const;
export type PlatformLine = (typeof PLATFORM_LINE_KINDS)[number];

/**
 * PLAT-07 (S-ECF-3, S-P2P-2 第十条(十二)): the business lines a deployment is licensed for.
 * `PLATFORM_LINES` lists the campaign kinds it runs (default all four); a campaign of another kind
 * is refused at creation. When both financial lines (EQUITY and DEBT) are enabled, `separated` is
 * true and each investor's money for each sits in its own wallet (docs/lending.md, "Line
 * separation").
 */
export interface LinesConfig {
  enabled: PlatformLine[];
  separated: boolean;
}

export function parseLinesConfig(r: EnvReader): LinesConfig {
  const named = r.list('PLATFORM_LINES');
  if (named.length === 0 && r.optionalString('PLATFORM_LINES') !== undefined)
    r.fail(`PLATFORM_LINES must name at least one of ${PLATFORM_LINE_KINDS.join(', ')}`);
  const enabled: PlatformLine[] = [];
  for (const name of named) {
    if (!(PLATFORM_LINE_KINDS as readonly string[]).includes(name)) {
      r.fail(
        `PLATFORM_LINES must list kinds from ${PLATFORM_LINE_KINDS.join(', ')} (got "${name}")`,
      );
    } else if (enabled.includes(name as PlatformLine)) {
      r.fail(`PLATFORM_LINES names ${name} twice`);
    } else enabled.push(name as PlatformLine);
  }
  const lines = named.length === 0 ? [...PLATFORM_LINE_KINDS] : enabled;
  return { enabled: lines, separated: lines.includes('EQUITY') && lines.includes('DEBT') };
}
