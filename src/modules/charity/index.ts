/**
 * The charity module's public face (DESIGN §2): donation plans, receipts, fund-use reports
 * (PLAT-08). CharityRepository stays inside.
 */
export { CharityModule } from './charity.module.js';
export { CharityPlans, type CharityPlanView } from './charity-plans.service.js';
export {
  Receipts,
  type ReceiptView,
  receiptDocument,
  receiptNo,
  receiptYear,
} from './receipts.service.js';
export { FundUse, type FundUseView } from './fund-use.service.js';
export * from './charity.errors.js';
