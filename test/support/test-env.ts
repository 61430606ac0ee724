/** Environment variables the global setup hands to every test worker. */
export const TEST_ENV = {
  adminUrl: 'ZC_TEST_ADMIN_URL',
  template: 'ZC_TEST_TEMPLATE_DB',
  runId: 'ZC_TEST_RUN_ID',
} as const;

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function adminUrlFor(url: string): string {
  return databaseUrl(url, 'postgres');
}
