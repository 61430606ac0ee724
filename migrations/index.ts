import type { MigrationInterface } from 'typeorm';
import { Identity1764300000000 } from './1764300000000-identity.js';
import { EscrowLedger1764400000000 } from './1764400000000-escrow-ledger.js';
import { InvestorClassification1764500000000 } from './1764500000000-investor-classification.js';

/** Every migration, in order. Listed explicitly so ESM builds and Jest load the same classes. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Identity1764300000000,
  EscrowLedger1764400000000,
  InvestorClassification1764500000000,
];
