import { CreditRecordEntity } from './credit-record.entity.js';

/** Every TypeORM entity of the credit module (registered in src/database/entities.ts). */
export const CREDIT_ENTITIES: (new () => object)[] = [CreditRecordEntity];
