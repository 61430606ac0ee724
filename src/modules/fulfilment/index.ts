/**
 * The fulfilment module's public face (DESIGN §2): reward delivery, the holdback and late-delivery
 * refunds (RW-03). FulfilmentRepository stays inside.
 */
export { FulfilmentModule } from './fulfilment.module.js';
export { Deliveries, type TierDeliveryView } from './deliveries.service.js';
export { Shipments, type DeliveryView } from './shipments.service.js';
export { Holdbacks, type HoldbackView, holdbackAccount } from './holdbacks.service.js';
export { LateRefunds, type LateRefundView } from './late-refunds.service.js';
export * from './fulfilment.rules.js';
export * from './fulfilment.errors.js';
