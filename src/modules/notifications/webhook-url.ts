import { isIP } from 'node:net';

/**
 * Which webhook URLs a founder may register (issue 13): HTTPS; plain HTTP only to this machine
 * (loopback) outside production, for development and tests. In production an endpoint on a
 * loopback, private or link-local address literal is refused too: the platform must not be made
 * to call into its own network. Credentials in the URL are refused (they would be stored in clear).
 * Returns the problem, or undefined when the URL is acceptable.
 */
export function webhookUrlProblem(text: string, production: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not have a fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local = isLoopback(host);
  if (url.protocol === 'http:') {
    if (production || !local)
      return 'must use https (http only to a loopback address in development)';
    return undefined;
  }
  if (url.protocol !== 'https:') return 'must use https';
  if (production && (local || isPrivateAddress(host)))
    return 'must not point into a private network';
  return undefined;
}

function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host)
  );
}

function isPrivateAddress(host: string): boolean {
  if (isIP(host) === 4) {
    const [a, b] = host.split('.').map(Number);
    return (
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(host) === 6) return /^(fc|fd|fe8|fe9|fea|feb)/.test(host) || host.startsWith('::ffff:');
  return false;
}
