import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

type HelmetOptions = Parameters<typeof helmet>[0];

/** A header helmet sets (a value) or removes (null). */
export type HeaderChange = readonly [
  name: string,
  value: string | number | readonly string[] | null,
];

/**
 * Helmet's response headers, worked out once (issue 18): its middleware ran its dozen
 * sub-middlewares again on every request (1-3 % of the service's CPU on the pledge path), each
 * setting a header whose value never changes. Every directive here is static (no nonce, no
 * function of the request), so the headers are recorded once from a stand-in response and the
 * service sets the same list on every reply. A helmet option that depended on the request would
 * be frozen here: such an option must not be added without going back to the middleware.
 */
export function securityHeaderChanges(options: HelmetOptions): HeaderChange[] {
  const changes: HeaderChange[] = [];
  const recorder = {
    // In lower case, as Node keys them: setHeader lower-cases every name it is given, and a name
    // already in lower case is not copied again.
    setHeader(name: string, value: string | number | readonly string[]) {
      changes.push([name.toLowerCase(), value]);
      return recorder;
    },
    removeHeader(name: string) {
      changes.push([name.toLowerCase(), null]);
    },
    getHeader: () => undefined,
  };
  let failed: unknown;
  let done = false;
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      failed = error;
      done = true;
    },
  );
  if (!done) throw new Error('helmet did not finish synchronously');
  if (failed) throw failed instanceof Error ? failed : new Error('helmet refused its options');
  return changes;
}

/** Applies the recorded changes to a response. */
export function applyHeaderChanges(res: ServerResponse, changes: readonly HeaderChange[]): void {
  for (const [name, value] of changes) {
    if (value === null) res.removeHeader(name);
    else res.setHeader(name, value);
  }
}
