import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

/**
 * DESIGN §2's direction rules are in lint (eslint-rules/module-boundaries.mjs, configured in
 * eslint.config.js): this runs the project's own ESLint configuration on deliberate violations,
 * each placed (lintText with a filePath) in a real file of the module it would break, and on the
 * legitimate imports next to them.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const RULE = 'zhongchou/module-boundaries';

/**
 * The project's own configuration (eslint.config.js: this rule's options, files and allowlist),
 * running only this rule and parsing without type information: the type-aware rules are
 * `npm run lint`'s business, and TypeScript's project service kept the Jest worker alive after the
 * tests ("A worker process has failed to exit gracefully").
 */
const boundaryOnly = (options: Omit<ESLint.Options, 'cwd' | 'ruleFilter'> = {}): ESLint =>
  new ESLint({
    ...options,
    cwd: ROOT,
    ruleFilter: ({ ruleId }) => ruleId === RULE,
    overrideConfig: [
      { languageOptions: { parserOptions: { projectService: false } } },
      ...[options.overrideConfig ?? []].flat(),
    ],
  });

describe('lint encodes DESIGN §2 (module direction, one owner per table, TypeORM placement)', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = boundaryOnly();
  });

  /** The boundary rule's messages for `code` placed in `file`. */
  const boundaryProblems = async (file: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
  };

  it('fails on a deliberate cross-module repository import (finance -> escrow-ledger)', async () => {
    const problems = await boundaryProblems(
      'src/modules/finance/finance.service.ts',
      `import { LedgerRepository } from '../escrow-ledger/ledger.repository.js';\nexport const x = LedgerRepository;\n`,
    );
    expect(problems).toEqual([expect.stringContaining("repository of module 'escrow-ledger'")]);
  }, 120_000);

  it('fails on a repository import from a module subfolder and from outside the modules', async () => {
    expect(
      await boundaryProblems(
        'src/modules/campaign/dto/campaign.dto.ts',
        `import type { PledgeRepository } from '../../pledge/pledge.repository.js';\nexport type X = PledgeRepository;\n`,
      ),
    ).toEqual(expect.arrayContaining([expect.stringContaining("repository of module 'pledge'")]));
    expect(
      await boundaryProblems(
        'src/cli.ts',
        `import { IdentityRepository } from './modules/identity/identity.repository.js';\nexport const x = IdentityRepository;\n`,
      ),
    ).toEqual([expect.stringContaining("repository of module 'identity'")]);
  }, 60_000);

  it('lets a module use its own repository and another module’s public face', async () => {
    expect(
      await boundaryProblems(
        'src/modules/finance/finance.service.ts',
        `import { FinanceRepository } from './finance.repository.js';\nimport { LedgerService } from '../escrow-ledger/index.js';\nexport const x = [FinanceRepository, LedgerService];\n`,
      ),
    ).toEqual([]);
  }, 60_000);

  it('the lower modules never import pledge or settlement', async () => {
    for (const [file, target] of [
      ['src/modules/campaign/campaign-queries.service.ts', '../pledge/index.js'],
      ['src/modules/credit/credit.service.ts', '../settlement/index.js'],
      ['src/modules/investor-classification/limits.policy.ts', '../pledge/pledge.view.js'],
      ['src/modules/risk-disclosure/risk-disclosure.texts.ts', '../settlement/payouts.service.js'],
    ]) {
      const problems = await boundaryProblems(file, `export * from '${target}';\n`);
      expect({ file, problems }).toEqual({
        file,
        problems: expect.arrayContaining([
          expect.stringContaining('never import pledge or settlement'),
        ]),
      });
    }
  }, 60_000);

  it('escrow-ledger imports no other module', async () => {
    const problems = await boundaryProblems(
      'src/modules/escrow-ledger/wallet.service.ts',
      `import { AuditService } from '../audit/index.js';\nexport const x = AuditService;\n`,
    );
    expect(problems).toEqual([
      expect.stringContaining("Module 'escrow-ledger' imports no other module"),
    ]);
  }, 60_000);

  it('no import cycle between modules (identity -> campaign while campaign imports identity)', async () => {
    const problems = await boundaryProblems(
      'src/modules/identity/user-directory.service.ts',
      `import { CampaignQueries } from '../campaign/index.js';\nexport const x = CampaignQueries;\n`,
    );
    expect(problems).toEqual([
      expect.stringContaining(
        'closes an import cycle between modules: identity -> campaign -> identity',
      ),
    ]);
  }, 60_000);

  it('typeorm only in repositories, entities, migrations and src/database/', async () => {
    const typeorm = `import { DataSource } from 'typeorm';\nexport const x = DataSource;\n`;
    const nestTypeorm = `import { InjectDataSource } from '@nestjs/typeorm';\nexport const x = InjectDataSource;\n`;
    expect(await boundaryProblems('src/modules/settlement/payouts.service.ts', typeorm)).toEqual([
      expect.stringContaining("'typeorm' may be imported only by repositories"),
    ]);
    expect(await boundaryProblems('src/modules/audit/audit.service.ts', nestTypeorm)).toEqual([
      expect.stringContaining("'@nestjs/typeorm' may be imported only by repositories"),
    ]);
    for (const allowed of [
      'src/modules/settlement/payouts.repository.ts',
      'src/modules/settlement/payout.entity.ts',
      'src/modules/campaign/campaign.entities.ts',
      'src/database/transaction.ts',
      'migrations/1765000000000-escrow-ledger-read-views.ts',
    ])
      expect({ allowed, problems: await boundaryProblems(allowed, typeorm) }).toEqual({
        allowed,
        problems: [],
      });
  }, 60_000);

  it('the allowlist is empty: every file keeps the rules', async () => {
    const { MODULE_RULES } = (await import(path.join(ROOT, 'eslint.config.js'))) as {
      MODULE_RULES: { allowlist: Record<string, string[]> };
    };
    expect(MODULE_RULES.allowlist).toEqual({});
  }, 60_000);

  it('an allowlist entry that no longer suppresses a violation is itself reported', async () => {
    const { MODULE_RULES } = (await import(path.join(ROOT, 'eslint.config.js'))) as {
      MODULE_RULES: Record<string, unknown>;
    };
    const withEntry = boundaryOnly({
      overrideConfig: [
        {
          files: ['src/**/*.ts'],
          rules: {
            [RULE]: [
              'error',
              {
                ...MODULE_RULES,
                allowlist: {
                  'src/modules/settlement/settlement.service.ts': [
                    '../pledge/pledge.repository.js',
                  ],
                },
              },
            ],
          },
        },
      ],
    });
    const [result] = await withEntry.lintText(`export const nothing = 0;\n`, {
      filePath: path.join(ROOT, 'src/modules/settlement/settlement.service.ts'),
    });
    const problems = result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
    expect(problems).toEqual([
      expect.stringContaining(
        "import '../pledge/pledge.repository.js', which no longer breaks a rule",
      ),
    ]);
  }, 60_000);
});
