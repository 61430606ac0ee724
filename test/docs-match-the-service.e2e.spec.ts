import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The README and docs/ tell a newcomer which paths to call (issue 12: the README's health paths
 * did not match the service, and it linked outside the repository). Every route they name, in a
 * route table or in a curl command, must be a route of the running service's OpenAPI document,
 * and docs/ must name every route there is. Lines marked for the lead (behaviour that the
 * issue-12 changes bring) may name routes that do not exist yet: they count as naming a route,
 * but are not checked for existence until the lead removes the mark.
 */
const ROOT = path.resolve('.');
const FILES = [
  'README.md',
  'docs/api.md',
  'docs/campaigns.md',
  'docs/ledger.md',
  'docs/finance.md',
  'docs/operations.md',
  'docs/benchmarks.md',
  'docs/reliability.md',
];
const LEAD_MARK = 'lead: check after issue-12 merge';
const API_PREFIX = '/api/v1';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Mention {
  file: string;
  line: string;
  route: string;
}

/** `:id`, `{id}`, `<uuid>` and `$CAMPAIGN` segments all become `{}`; the query string goes. */
function normalise(method: string, rawPath: string): string {
  const bare = rawPath.split('?')[0].replace(/\/+$/, '') || '/';
  const segments = bare
    .split('/')
    .map((s) => (/^(:\w+|\{\w+\}|<[^>]*>|\$\w+)$/.test(s) ? '{}' : s));
  const joined = segments.join('/');
  const full =
    joined.startsWith('/health') || joined.startsWith(API_PREFIX) ? joined : API_PREFIX + joined;
  return `${method.toUpperCase()} ${full}`;
}

/**
 * `METHOD /path` written in backticks (route tables and prose). Lead-marked lines name routes
 * that may not exist yet: skipped when checking that a route exists, counted when checking that
 * every route is named.
 */
function tableMentions(file: string, withLeadMarked = false): Mention[] {
  const mentions: Mention[] = [];
  for (const line of read(file).split('\n')) {
    if (line.includes(LEAD_MARK) && !withLeadMarked) continue;
    for (const m of line.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)/g)) {
      mentions.push({ file, line, route: normalise(m[1], m[2]) });
    }
  }
  return mentions;
}

/** Every curl command in a code block, with continuation lines joined. */
function curlMentions(file: string): Mention[] {
  const mentions: Mention[] = [];
  const blocks = read(file).match(/```sh\n[\s\S]*?```/g) ?? [];
  for (const block of blocks) {
    const logical = block.replace(/\\\n/g, ' ').split('\n');
    for (const line of logical) {
      if (!line.includes('curl ')) continue;
      for (const m of line.matchAll(/(?:\$API|http:\/\/localhost:\$PORT)(\/[^\s"')]*)?/g)) {
        const url = m[0].startsWith('$API') ? `${API_PREFIX}${m[1] ?? ''}` : (m[1] ?? '/');
        const explicit = /-X (\w+)/.exec(line)?.[1];
        const method = explicit ?? (/ (-d|--data) /.test(line) ? 'POST' : 'GET');
        mentions.push({ file, line, route: normalise(method, url) });
      }
    }
  }
  return mentions;
}

describe('README and docs/ match the service (issue 12)', () => {
  let t: TestApp;
  let routes: Set<string>;
  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.http.get('/docs-json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => normalise(m, p))),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('every route a curl command of the README calls exists, health outside /api/v1 included', async () => {
    const mentions = curlMentions('README.md');
    expect(mentions.length).toBeGreaterThanOrEqual(25);
    const unknown = mentions.filter((m) => !routes.has(m.route));
    expect(unknown).toEqual([]);
    const health = mentions.filter((m) => m.route.includes('/health'));
    expect(health.map((m) => m.route)).toEqual(['GET /health']);
    expect((await t.http.get('/health')).status).toBe(200);
    expect((await t.http.get('/api/v1/health')).status).toBe(404);
  });

  it('every METHOD /path the README and docs/ name is a route of the service', () => {
    const mentions = FILES.flatMap((f) => [...tableMentions(f), ...curlMentions(f)]);
    const unknown = mentions.filter((m) => !routes.has(m.route));
    expect(unknown).toEqual([]);
  });

  it('every route of the OpenAPI document is named in docs/ (api.md, or a module page)', () => {
    const everyDoc = readdirSync(path.join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`);
    const named = new Set(everyDoc.flatMap((f) => tableMentions(f, true)).map((m) => m.route));
    const inApiMd = new Set(tableMentions('docs/api.md', true).map((m) => m.route));
    expect(inApiMd.size).toBeGreaterThanOrEqual(60);
    expect(routes.size).toBeGreaterThanOrEqual(60);
    expect([...routes].filter((r) => !named.has(r))).toEqual([]);
  });

  it('the README is a newcomer page: under 250 lines, the two commands, no link outside the repository', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThan(250);
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
    for (const file of FILES) {
      const text = read(file);
      expect({ file, outside: /\.\.\/shared|\/work\//.test(text) }).toEqual({
        file,
        outside: false,
      });
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const resolved = path.resolve(path.dirname(path.join(ROOT, file)), target.split('#')[0]);
        expect({ file, target, external: /^[a-z]+:|^\/\//i.test(target) }).toEqual({
          file,
          target,
          external: false,
        });
        expect({ file, target, inRepo: resolved.startsWith(ROOT + path.sep) }).toEqual({
          file,
          target,
          inRepo: true,
        });
        expect({ file, target, exists: existsSync(resolved) }).toEqual({
          file,
          target,
          exists: true,
        });
      }
    }
  });

  it('docs/operations.md lists every setting the configuration reads', () => {
    const config = readdirSync(path.join(ROOT, 'src/config'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => read(`src/config/${f}`))
      .join('\n');
    const names = [
      ...new Set([...config.matchAll(/\br\.\w+\(\s*'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1])),
    ];
    expect(names.length).toBeGreaterThanOrEqual(25);
    const table = read('docs/operations.md')
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .join('\n');
    expect(names.filter((n) => !table.includes(`\`${n}\``))).toEqual([]);
  });
});
