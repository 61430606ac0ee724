/**
 * `npm run test:reliability`: the replica and the backup/restore tests of `npm test`
 * (test/replica-finance-reads.e2e.spec.ts, test/backup-and-restore.e2e.spec.ts) at a larger size,
 * and failing, not skipping, where the PostgreSQL client tools are missing.
 */
process.env.ZC_REQUIRE_PG_TOOLS = '1';
process.env.ZC_REPLICA_WRITES ??= '5000';
process.env.ZC_BACKUP_TRANSFERS ??= '200000';

await import('../replica-finance-reads.e2e.spec.js');
await import('../backup-and-restore.e2e.spec.js');
