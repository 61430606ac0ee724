/** PLAT-07 line separation's public face: the migration the CLI runs, and the module class. */
export { LinesModule } from './lines.module.js';
export {
  LineMigration,
  type LineMigrationReport,
  MIGRATION_REFERENCE,
} from './line-migration.service.js';
export { LineTransfers, type LineTransferView } from './line-transfers.service.js';
