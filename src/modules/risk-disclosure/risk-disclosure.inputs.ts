import { type FieldProblem, ValidationFailedError } from '../../common/errors/domain-error.js';
import {
  type ClientInfo,
  DISCLOSURE_CAMPAIGN_KINDS,
  type DisclosureCampaignKind,
  type DisclosureInput,
  INVESTOR_RISK_LEVELS,
  type InvestorRiskLevel,
  PRODUCT_RISK_LEVELS,
  type ProductRiskLevel,
  USER_AGENT_MAX_LENGTH,
} from './risk-disclosure.types.js';

/** Checks on what other modules pass to RiskDisclosureService (the HTTP DTOs check it first). */
const TITLE_MAX_LENGTH = 200;
const BODY_MAX_LENGTH = 100_000;
const CLIENT_IP_MAX_LENGTH = 64;

export function validateDisclosureInput(
  kind: DisclosureCampaignKind,
  input: DisclosureInput,
): void {
  const problems: FieldProblem[] = [];
  if (!(DISCLOSURE_CAMPAIGN_KINDS as readonly string[]).includes(kind))
    problems.push({ field: 'campaignKind', problems: ['unknown campaign kind'] });
  const text = (field: 'title' | 'body', max: number) => {
    const value = input[field];
    if (value.trim().length === 0 || value.length > max)
      problems.push({ field, problems: [`must be 1 to ${max} characters`] });
    else if (value.includes('\u0000'))
      problems.push({ field, problems: ['must not contain NUL characters'] });
  };
  text('title', TITLE_MAX_LENGTH);
  text('body', BODY_MAX_LENGTH);
  if (problems.length > 0) throw new ValidationFailedError(problems);
}

export function validateLevels(investorLevel: string, productLevel: string): void {
  const problems: FieldProblem[] = [];
  if (!(INVESTOR_RISK_LEVELS as readonly string[]).includes(investorLevel))
    problems.push({ field: 'investorLevel', problems: ['must be one of C1..C5'] });
  if (!(PRODUCT_RISK_LEVELS as readonly string[]).includes(productLevel))
    problems.push({ field: 'productLevel', problems: ['must be one of R1..R5'] });
  if (problems.length > 0) throw new ValidationFailedError(problems);
}

/** 'C3' -> 3, 'R5' -> 5. */
export function levelNumber(level: InvestorRiskLevel | ProductRiskLevel): number {
  return Number(level.slice(1));
}

/** Truncated by code point, so a cut never splits a character (the CHECK counts characters). */
function truncate(value: string | undefined, max: number): string | null {
  return value ? [...value].slice(0, max).join('') : null;
}

export function clientTraces(client: ClientInfo): {
  clientIp: string | null;
  userAgent: string | null;
} {
  return {
    clientIp: truncate(client.ip, CLIENT_IP_MAX_LENGTH),
    userAgent: truncate(client.userAgent, USER_AGENT_MAX_LENGTH),
  };
}
