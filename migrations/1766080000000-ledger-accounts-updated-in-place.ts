import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: every transfer moves two accounts' counters, and settling 100,000 pledges moves an
 * investor account's row per pledge. Two costs of that update were not the update's own:
 *
 * - `ledger_accounts` was full to its pages' end (fillfactor 100), so a counter's new version
 *   rarely fit beside the old one: the update was not HOT, and each took a new entry in the table's
 *   three indexes (and left a dead one, with autovacuum off on this machine). At fillfactor 50 the
 *   new version goes in the same page: 20,000 accounts' counters moved in 68-110 ms against
 *   212-409 ms (2026-12-07 03:50 UTC, this machine in its slow state). New pages are filled to
 *   half; pages written before are as they were until the table is rewritten (`VACUUM FULL`).
 * - `ledger_guard_account` ran once a row, a PL/pgSQL call of 5-10 us, for a check that is the
 *   statement's, not the row's: an UPDATE of this table is refused unless a trigger runs it (INV-3,
 *   the transfers' statement trigger moves the counters). That check is now a statement trigger,
 *   once per UPDATE; a row's identity (id, code, kind, currency) is still checked row by row, by a
 *   trigger that fires only for an UPDATE that sets one of those columns, which the counters'
 *   update never does. Test: test/ledger/ledger-invariants-in-the-database.spec.ts (INV-3).
 */
// The two checks of the guard, as the first migration wrote them (1764400000000): split here, and
// put back together by down().
const COUNTERS_ONLY_FROM_TRIGGERS = `        IF pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION 'ledger account counters change only through transfers'
            USING ERRCODE = 'insufficient_privilege';
        END IF;`;
const IDENTITY_IMMUTABLE = `        IF NEW.id <> OLD.id OR NEW.code <> OLD.code OR NEW.kind <> OLD.kind OR NEW.currency <> OLD.currency THEN
          RAISE EXCEPTION 'ledger account identity is immutable' USING ERRCODE = 'insufficient_privilege';
        END IF;`;

export class LedgerAccountsUpdatedInPlace1766080000000 implements MigrationInterface {
  name = 'LedgerAccountsUpdatedInPlace1766080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ledger_accounts" SET (fillfactor = 50)`);
    await q.query(`DROP TRIGGER "ledger_accounts_guard" ON "ledger_accounts"`);
    await q.query(`DROP FUNCTION "ledger_guard_account"()`);
    await q.query(`
      CREATE FUNCTION "ledger_guard_counters"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
${COUNTERS_ONLY_FROM_TRIGGERS}
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER "ledger_accounts_guard" BEFORE UPDATE ON "ledger_accounts"
      FOR EACH STATEMENT EXECUTE FUNCTION "ledger_guard_counters"()`);
    await q.query(`
      CREATE FUNCTION "ledger_guard_identity"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
${IDENTITY_IMMUTABLE}
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER "ledger_accounts_identity" BEFORE UPDATE OF "id", "code", "kind", "currency"
      ON "ledger_accounts" FOR EACH ROW EXECUTE FUNCTION "ledger_guard_identity"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "ledger_accounts_identity" ON "ledger_accounts"`);
    await q.query(`DROP FUNCTION "ledger_guard_identity"()`);
    await q.query(`DROP TRIGGER "ledger_accounts_guard" ON "ledger_accounts"`);
    await q.query(`DROP FUNCTION "ledger_guard_counters"()`);
    await q.query(`
      CREATE FUNCTION "ledger_guard_account"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
${COUNTERS_ONLY_FROM_TRIGGERS}
${IDENTITY_IMMUTABLE}
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER "ledger_accounts_guard" BEFORE UPDATE ON "ledger_accounts"
      FOR EACH ROW EXECUTE FUNCTION "ledger_guard_account"()`);
    await q.query(`ALTER TABLE "ledger_accounts" RESET (fillfactor)`);
  }
}
