import pg from 'pg';

/** Drops the template and anything this run left behind, then stops an embedded server. */
export default async function globalTeardown() {
  const adminUrl = process.env.ZC_TEST_ADMIN_URL;
  const template = process.env.ZC_TEST_TEMPLATE_DB;
  if (adminUrl && template) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const leftovers = await admin.query(
        `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
        [template, `zc_test_${process.env.ZC_TEST_RUN_ID}_%`],
      );
      for (const { datname } of leftovers.rows) {
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
      }
    } finally {
      await admin.end();
    }
  }
  await globalThis.__scratchServer?.stop();
}
