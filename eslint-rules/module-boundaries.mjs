/**
 * DESIGN §2 ("Modules and their direction", "One owner per table") as one ESLint rule, so that
 * `npm run lint` (and so `npm test`) fails on an import that breaks it:
 *
 *   1. no file imports another module's `*.repository.js` (a module's public face is its
 *      services and types from its index.ts; repositories stay inside);
 *   2. the lower modules (campaign, investor-classification, risk-disclosure, credit) never
 *      import pledge or settlement;
 *   3. escrow-ledger imports no other module;
 *   4. no import cycle between modules (module A imports B while B, directly or not, imports A);
 *   5. `typeorm` and `@nestjs/typeorm` only in repositories, entities, migrations and
 *      src/database/ (STYLE §3).
 *
 * Why a rule of our own rather than `no-restricted-imports` patterns: it resolves each relative
 * import to the file it names, so "another module's repository" is exact (own-module imports and
 * nested folders need no pattern tricks); the allowlist names single imports of single files
 * without restating every other restriction; and rule 4 needs the whole module graph, which
 * neither `no-restricted-imports` nor a file-level cycle check gives.
 *
 * Options (from eslint.config.js): `{ root, lowerModules, orchestrators, isolatedModules,
 * allowlist }`; `allowlist` maps a file (relative to root) to the import specifiers it may still
 * use against these rules. An entry that no longer suppresses anything is itself reported, so
 * the list always holds exactly the remaining violations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TYPEORM = /^(typeorm|@nestjs\/typeorm)(\/.*)?$/;
const TYPEORM_ALLOWED = [
  /\.repository\.ts$/,
  /\.entity\.ts$/,
  /\.entities\.ts$/,
  /^src\/database\//,
  /^migrations\//,
];
const REPOSITORY = /\.repository(\.js|\.ts)?$/;
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

const posix = (p) => p.split(path.sep).join('/');

/** `src/modules/<name>/...` -> name; anything else -> null. */
function moduleOf(relative) {
  const match = /^src\/modules\/([^/]+)\//.exec(relative);
  return match ? match[1] : null;
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

const graphs = new Map();

/** Module -> modules it imports, from the files on disk (unit specs left out), once per run. */
function moduleGraph(root) {
  let graph = graphs.get(root);
  if (graph) return graph;
  graph = new Map();
  const modulesDir = path.join(root, 'src/modules');
  for (const file of sourceFiles(modulesDir)) {
    const from = moduleOf(posix(path.relative(root, file)));
    for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIERS)) {
      const to = moduleOf(posix(path.relative(root, path.resolve(path.dirname(file), match[1]))));
      if (!from || !to || from === to) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from).add(to);
    }
  }
  graphs.set(root, graph);
  return graph;
}

/** A path of modules from `start` to `goal` in the graph, or null. */
function pathBetween(graph, start, goal) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === goal) {
      const route = [];
      for (let at = goal; at !== null; at = previous.get(at)) route.unshift(at);
      return route;
    }
    for (const next of graph.get(current) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  return null;
}

export const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'DESIGN §2: module direction, one owner per table, TypeORM placement' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          lowerModules: { type: 'array', items: { type: 'string' } },
          orchestrators: { type: 'array', items: { type: 'string' } },
          isolatedModules: { type: 'array', items: { type: 'string' } },
          allowlist: {
            type: 'object',
            additionalProperties: { type: 'array', items: { type: 'string' } },
          },
        },
        required: ['root'],
        additionalProperties: false,
      },
    ],
    messages: {
      repository:
        "'{{specifier}}' is a repository of module '{{target}}': use the services its index.ts exports (DESIGN §2, repositories stay inside their module).",
      direction:
        "Module '{{source}}' must not import module '{{target}}' (DESIGN §2: campaign, investor-classification, risk-disclosure and credit never import pledge or settlement).",
      isolated:
        "Module '{{source}}' imports no other module (DESIGN §2), but '{{specifier}}' is in module '{{target}}'.",
      cycle:
        "Importing module '{{target}}' from '{{source}}' closes an import cycle between modules: {{cycle}} (DESIGN §2: no cycles).",
      typeorm:
        "'{{specifier}}' may be imported only by repositories, entities, migrations and src/database/ (DESIGN §2, STYLE §3).",
      staleAllowlist:
        "The allowlist in eslint.config.js lets {{file}} import '{{specifier}}', which no longer breaks a rule here: delete the entry.",
    },
  },

  create(context) {
    const options = context.options[0];
    const root = options.root;
    const lower = new Set(options.lowerModules ?? []);
    const orchestrators = new Set(options.orchestrators ?? []);
    const isolated = new Set(options.isolatedModules ?? []);
    const file = posix(path.relative(root, context.filename));
    if (file.startsWith('..')) return {};
    const allowed = new Set(options.allowlist?.[file] ?? []);
    const used = new Set();
    const source = moduleOf(file);

    /** Problems of one import specifier: [messageId, data][]. */
    function problems(specifier) {
      const found = [];
      if (TYPEORM.test(specifier)) {
        if (!TYPEORM_ALLOWED.some((pattern) => pattern.test(file)))
          found.push(['typeorm', { specifier }]);
        return found;
      }
      if (!specifier.startsWith('.')) return found;
      const resolved = posix(
        path.relative(root, path.resolve(path.dirname(context.filename), specifier)),
      );
      const target = moduleOf(resolved);
      if (!target || target === source) return found;
      const data = { specifier, source, target };
      if (REPOSITORY.test(resolved)) found.push(['repository', data]);
      if (source && lower.has(source) && orchestrators.has(target)) found.push(['direction', data]);
      if (source && isolated.has(source)) found.push(['isolated', data]);
      if (source && !file.endsWith('.spec.ts')) {
        const back = pathBetween(moduleGraph(root), target, source);
        if (back) found.push(['cycle', { ...data, cycle: [source, ...back].join(' -> ') }]);
      }
      return found;
    }

    function check(node) {
      const literal = node.source;
      if (!literal || typeof literal.value !== 'string') return;
      const found = problems(literal.value);
      if (found.length === 0) return;
      if (allowed.has(literal.value)) {
        used.add(literal.value);
        return;
      }
      for (const [messageId, data] of found) context.report({ node: literal, messageId, data });
    }

    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
      'Program:exit'(program) {
        for (const specifier of allowed) {
          if (!used.has(specifier))
            context.report({
              node: program,
              messageId: 'staleAllowlist',
              data: { file, specifier },
            });
        }
      },
    };
  },
};

export default { rules: { 'module-boundaries': moduleBoundaries } };
