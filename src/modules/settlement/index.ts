/** The settlement module's public face (DESIGN §2): its services, types and the module class. */
export { SettlementModule } from './settlement.module.js';
export { SettlementService, type SweepReport } from './settlement.service.js';
export { PayoutsService, type PayoutView } from './payouts.service.js';
export {
  type FounderClaims,
  lockFounderPayable,
  tryLockFounderPayable,
  type PayoutRetention,
  type SettledCampaign,
  type SettlementHandover,
  SettlementHandovers,
} from './settlement-handovers.js';
