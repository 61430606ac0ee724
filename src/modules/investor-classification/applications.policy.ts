import { Money } from '../../common/money/money.js';
import type { RulePack } from '../../config/rule-packs/rule-pack.js';
import type { UserKind } from '../identity/identity.types.js';

export interface DeclaredFigures {
  annualIncome: Money;
  financialAssets: Money;
  netWorth: Money;
  investmentExperienceYears: number;
}

export interface ApplicationEvaluation {
  met: boolean;
  /** Human-readable conditions that failed, e.g. "financialAssets >= 3000000.00 or annualIncome >= 300000.00". */
  unmet: string[];
  ruleIds: string[];
  thresholds: Record<string, string | number>;
}

/**
 * Whether declared figures meet the thresholds for an opt-up (CN-SUIT-04) or qualified status
 * (CN-ECF-03(4)/(5), CN-PF-01). Pure: the admin's approval records its inputs and outcome.
 */
export function evaluateApplication(
  pack: Pick<RulePack, 'currency' | 'parameters'>,
  type: 'QUALIFIED' | 'PROFESSIONAL',
  kind: UserKind,
  f: DeclaredFigures,
): ApplicationEvaluation {
  const p = pack.parameters;
  const m = (n: number) => Money.fromDecimalString(String(n), pack.currency);
  const atLeast = (value: Money, n: number) => !value.lessThan(m(n));
  const unmet: string[] = [];
  const require = (ok: boolean, text: string) => {
    if (!ok) unmet.push(text);
  };
  let ruleIds: string[];
  let thresholds: Record<string, string | number>;
  if (type === 'PROFESSIONAL' && kind === 'PERSON') {
    ruleIds = ['CN-SUIT-04(b)', 'CN-SUIT-05'];
    thresholds = {
      financialAssets: m(p.professionalPersonFinancialAssets).toString(),
      annualIncome: m(p.professionalPersonAnnualIncome).toString(),
      investmentExperienceYears: p.professionalPersonExperienceYears,
    };
    require(atLeast(f.financialAssets, p.professionalPersonFinancialAssets) ||
      atLeast(
        f.annualIncome,
        p.professionalPersonAnnualIncome,
      ), `financialAssets >= ${thresholds.financialAssets} or annualIncome >= ${thresholds.annualIncome}`);
    require(f.investmentExperienceYears >=
      p.professionalPersonExperienceYears, `investmentExperienceYears >= ${p.professionalPersonExperienceYears}`);
  } else if (type === 'PROFESSIONAL') {
    ruleIds = ['CN-SUIT-04(a)', 'CN-SUIT-05'];
    thresholds = {
      netWorth: m(p.professionalOrganizationNetAssets).toString(),
      financialAssets: m(p.professionalOrganizationFinancialAssets).toString(),
      investmentExperienceYears: p.professionalOrganizationExperienceYears,
    };
    require(atLeast(
      f.netWorth,
      p.professionalOrganizationNetAssets,
    ), `netWorth >= ${thresholds.netWorth}`);
    require(atLeast(
      f.financialAssets,
      p.professionalOrganizationFinancialAssets,
    ), `financialAssets >= ${thresholds.financialAssets}`);
    require(f.investmentExperienceYears >=
      p.professionalOrganizationExperienceYears, `investmentExperienceYears >= ${p.professionalOrganizationExperienceYears}`);
  } else if (kind === 'PERSON') {
    ruleIds = ['CN-ECF-03(5)', 'CN-PF-01'];
    thresholds = {
      financialAssets: m(p.qualifiedPersonFinancialAssets).toString(),
      annualIncome: m(p.qualifiedPersonAnnualIncome).toString(),
    };
    require(atLeast(f.financialAssets, p.qualifiedPersonFinancialAssets) ||
      atLeast(
        f.annualIncome,
        p.qualifiedPersonAnnualIncome,
      ), `financialAssets >= ${thresholds.financialAssets} or annualIncome >= ${thresholds.annualIncome}`);
  } else {
    ruleIds = ['CN-ECF-03(4)', 'CN-PF-01'];
    thresholds = { netWorth: m(p.qualifiedOrganizationNetAssets).toString() };
    require(atLeast(
      f.netWorth,
      p.qualifiedOrganizationNetAssets,
    ), `netWorth >= ${thresholds.netWorth}`);
  }
  return { met: unmet.length === 0, unmet, ruleIds, thresholds };
}
