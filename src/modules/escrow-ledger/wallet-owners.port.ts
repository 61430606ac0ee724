import type { Role } from '../../common/auth/auth.decorators.js';

/**
 * What the ledger needs to know about a user to find their wallet account, without importing the
 * identity module (DESIGN §2: escrow-ledger imports no other module). The app wires it.
 */
export interface WalletOwners {
  roleOf(userId: string): Promise<Role | null>;
}

export const WALLET_OWNERS = Symbol('WALLET_OWNERS');
