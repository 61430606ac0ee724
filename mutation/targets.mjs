/**
 * What `npm run test:mutation` mutates, and the unit specs that must kill the mutants. Add a rule
 * module here (e.g. the debt schedule) with the spec that covers it: nothing else needs changing.
 * Only pure modules belong here: their specs run without Postgres, in seconds.
 */
export const targets = [
  {
    mutate: 'src/modules/pledge/pledge.state.ts',
    specs: ['src/modules/pledge/pledge.state.spec.ts'],
  },
  {
    mutate: 'src/modules/campaign/campaign.state.ts',
    specs: ['src/modules/campaign/campaign.state.spec.ts'],
  },
  {
    mutate: 'src/modules/pledge/pledge-admission.policy.ts',
    specs: ['src/modules/pledge/pledge-admission.policy.spec.ts'],
  },
  {
    mutate: 'src/modules/investor-classification/suitability.policy.ts',
    specs: ['src/modules/investor-classification/suitability.policy.spec.ts'],
  },
  {
    mutate: 'src/modules/investor-classification/limits.policy.ts',
    specs: ['src/modules/investor-classification/limits.policy.spec.ts'],
  },
  { mutate: 'src/common/money/money.ts', specs: ['src/common/money/money.spec.ts'] },
  // issue 14: the repayment schedules, their lender split and penalty accrual
  {
    mutate: 'src/modules/lending/loan-schedule.ts',
    specs: ['src/modules/lending/loan-schedule.spec.ts'],
  },
];
