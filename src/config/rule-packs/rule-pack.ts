import { createHash } from 'node:crypto';

/**
 * Rule packs (DESIGN §8, CONV-06): every number a rule uses, versioned, with the rule IDs each
 * parameter implements. Issues that add rules add their parameters here, never literals in services.
 */
export const RULE_PACK_IDS = ['CN', 'US_REGCF'] as const;
export type RulePackId = (typeof RULE_PACK_IDS)[number];

export interface RulePackParameters {
  /** PLAT-02 / US-CF-27: minimum age of a natural person on the transaction date. */
  minimumAgeYears: number;
  /** ID-RIC-03 platform policy: birth years before this are rejected. */
  minimumBirthYear: number;
  /** CN-PF-06: cooling-off period after a pledge's money is held. */
  coolingOffHours: number;
  /** CN-PF-07: how long after cooling-off a confirmation call may take before the pledge lapses (D). */
  confirmationCallTimeoutHours: number;
  /** US-CF-14 / CN-SUIT-14: window to reconfirm after a material change. */
  reconfirmationWindowHours: number;
  /** US-CF-12 / RW: no cancellation inside this many hours before the deadline. */
  rewardCancelCutoffHours: number;
  /** CN-SUIT-18 / CN-PF-05: validity of a risk assessment. */
  assessmentValidityDays: number;
  /** US-CF-10 / RW-04: campaign length bounds. */
  minCampaignDurationHours: number;
  maxCampaignDurationDays: number;
}

export type ParameterName = keyof RulePackParameters;

export interface RulePack {
  id: RulePackId;
  version: string;
  effectiveFrom: string;
  /** Platform currency (ISO 4217); no code hard-codes one. */
  currency: string;
  parameters: RulePackParameters;
  /** Which rule IDs each parameter implements (for evidence and review). */
  ruleIds: Record<ParameterName, readonly string[]>;
}

const RULE_IDS: Record<ParameterName, readonly string[]> = {
  minimumAgeYears: ['PLAT-02', 'US-CF-27'],
  minimumBirthYear: ['ID-RIC-03'],
  coolingOffHours: ['CN-PF-06', 'CN-SUIT-13'],
  confirmationCallTimeoutHours: ['CN-PF-07', 'CN-PF-08'],
  reconfirmationWindowHours: ['CN-SUIT-14', 'US-CF-14'],
  rewardCancelCutoffHours: ['US-CF-12', 'RW-01'],
  assessmentValidityDays: ['CN-SUIT-18', 'CN-PF-05'],
  minCampaignDurationHours: ['US-CF-10', 'RW-04'],
  maxCampaignDurationDays: ['RW-04'],
};

export const CN_PACK: RulePack = {
  id: 'CN',
  version: '2026.1',
  effectiveFrom: '2026-01-01T00:00:00Z',
  currency: 'CNY',
  parameters: {
    minimumAgeYears: 18,
    minimumBirthYear: 1900,
    coolingOffHours: 24,
    confirmationCallTimeoutHours: 72,
    reconfirmationWindowHours: 120,
    rewardCancelCutoffHours: 48,
    assessmentValidityDays: 1095,
    minCampaignDurationHours: 24,
    maxCampaignDurationDays: 60,
  },
  ruleIds: RULE_IDS,
};

export const US_REGCF_PACK: RulePack = {
  id: 'US_REGCF',
  version: '2022.9',
  effectiveFrom: '2022-09-18T00:00:00Z',
  currency: 'USD',
  parameters: {
    minimumAgeYears: 18,
    minimumBirthYear: 1900,
    coolingOffHours: 0,
    confirmationCallTimeoutHours: 0,
    reconfirmationWindowHours: 120,
    rewardCancelCutoffHours: 48,
    assessmentValidityDays: 730,
    minCampaignDurationHours: 21 * 24,
    maxCampaignDurationDays: 365,
  },
  ruleIds: RULE_IDS,
};

const PACKS: Record<RulePackId, RulePack> = { CN: CN_PACK, US_REGCF: US_REGCF_PACK };

/** The pack in force: the base pack plus operator overrides, named `id@version+<hash>`. */
export interface EffectiveRulePack extends RulePack {
  effectiveId: string;
  overrides: Partial<RulePackParameters>;
}

export class RulePackOverrideError extends Error {}

/** Parses RULE_PACK_OVERRIDES; unknown names or bad values are errors that stop the service. */
export function parseOverrides(json: string | undefined): Partial<RulePackParameters> {
  if (json === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new RulePackOverrideError('RULE_PACK_OVERRIDES is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RulePackOverrideError(
      'RULE_PACK_OVERRIDES must be a JSON object of parameter name to value',
    );
  }
  const known = new Set<string>(Object.keys(RULE_IDS));
  const overrides: Partial<RulePackParameters> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!known.has(name))
      throw new RulePackOverrideError(`RULE_PACK_OVERRIDES: unknown parameter "${name}"`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RulePackOverrideError(
        `RULE_PACK_OVERRIDES: "${name}" must be a non-negative number`,
      );
    }
    overrides[name as ParameterName] = value;
  }
  return overrides;
}

export function resolveRulePack(id: RulePackId, overridesJson?: string): EffectiveRulePack {
  const base = PACKS[id];
  const overrides = parseOverrides(overridesJson);
  const names = Object.keys(overrides).sort();
  const suffix =
    names.length === 0
      ? ''
      : '+' +
        createHash('sha256')
          .update(JSON.stringify(names.map((n) => [n, overrides[n as ParameterName]])))
          .digest('hex')
          .slice(0, 12);
  return {
    ...base,
    parameters: { ...base.parameters, ...overrides },
    overrides,
    effectiveId: `${base.id}@${base.version}${suffix}`,
  };
}
