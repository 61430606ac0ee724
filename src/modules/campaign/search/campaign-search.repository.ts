import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorCodec } from '../../../common/pagination/cursor-codec.js';
import { CampaignEntity } from '../campaign.entities.js';
import type { CampaignStatus } from '../campaign.state.js';
import type { CampaignKind } from '../campaign.types.js';
import type { CampaignSort } from './campaign-cursor.js';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const utc = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const NUMERIC = /^\d{1,20}(\.\d{1,40})?$/;

/**
 * Each sort of GET /campaigns: its key (with the id as tie-breaker, same direction, so a row
 * comparison continues a page and the index `campaigns_sort_*_idx` serves it), the key's type for
 * the cursor, and what a cursor key must look like.
 */
const SORTS: Record<
  CampaignSort,
  { key: string; text: string; type: string; direction: 'ASC' | 'DESC'; pattern: RegExp }
> = {
  newest: {
    key: 'c.created_at',
    text: utc('c.created_at'),
    type: 'timestamptz',
    direction: 'DESC',
    pattern: TIMESTAMP,
  },
  ending: {
    key: 'c.deadline',
    text: utc('c.deadline'),
    type: 'timestamptz',
    direction: 'ASC',
    pattern: TIMESTAMP,
  },
  'most-funded': {
    key: 'c.committed',
    text: 'c.committed::text',
    type: 'numeric',
    direction: 'DESC',
    pattern: NUMERIC,
  },
  progress: {
    key: '(c.committed / c.target_amount)',
    text: '(c.committed / c.target_amount)::text',
    type: 'numeric',
    direction: 'DESC',
    pattern: NUMERIC,
  },
};

/** The most query pairs sent to the index; the substring check keeps the answer exact anyway. */
const MAX_BIGRAMS = 6;

export interface CampaignSearchFilter {
  statuses: readonly CampaignStatus[];
  kind?: CampaignKind;
  founderId?: string;
  /** Hide PRIVATE offerings (viewer not qualified). */
  publicOnly: boolean;
  excludeKinds: readonly CampaignKind[];
  q?: string;
  category?: string;
  sort: CampaignSort;
  cursor?: string;
  limit: number;
}

/**
 * GET /campaigns (issue 16): filters, a text search over title, summary and story that finds a
 * two-character Chinese word (pg_trgm over the character pairs, see migration 1765500000000), four
 * sort orders and keyset pagination (no OFFSET: page 1,000 costs what page 1 does).
 */
@Injectable()
export class CampaignSearchRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  async search(
    filter: CampaignSearchFilter,
  ): Promise<{ items: CampaignEntity[]; nextCursor: string | null }> {
    const sort = SORTS[filter.sort];
    const qb = this.dataSource.manager
      .createQueryBuilder(CampaignEntity, 'c')
      .addSelect(sort.text, 'sort_key')
      .where('c.status IN (:...statuses)', { statuses: [...filter.statuses] })
      .orderBy(sort.key, sort.direction)
      .addOrderBy('c.id', sort.direction)
      .limit(filter.limit + 1);
    if (filter.kind) qb.andWhere('c.kind = :kind', { kind: filter.kind });
    if (filter.founderId) qb.andWhere('c.founder_id = :founderId', { founderId: filter.founderId });
    if (filter.publicOnly) qb.andWhere(`(c.offering IS NULL OR c.offering <> 'PRIVATE')`);
    if (filter.excludeKinds.length > 0)
      qb.andWhere('c.kind NOT IN (:...excluded)', { excluded: [...filter.excludeKinds] });
    if (filter.q !== undefined || filter.category !== undefined)
      qb.innerJoin('campaign_content', 'cc', 'cc.campaign_id = c.id');
    if (filter.category !== undefined)
      qb.andWhere('cc.category = :category', { category: filter.category });
    if (filter.q !== undefined) {
      const { text, bigrams } = await this.searchTerms(filter.q);
      bigrams.slice(0, MAX_BIGRAMS).forEach((pair, i) => {
        qb.andWhere(`cc.search_bigrams LIKE :pair${i}`, { [`pair${i}`]: `% ${pair} %` });
      });
      qb.andWhere('cc.search_text LIKE :substring', { substring: `%${escapeLike(text)}%` });
    }
    if (filter.cursor !== undefined) {
      const at = this.cursors.decode(filter.cursor, filter.sort, sort.pattern);
      const op = sort.direction === 'DESC' ? '<' : '>';
      qb.andWhere(`(${sort.key}, c.id) ${op} (CAST(:cursorKey AS ${sort.type}), :cursorId)`, {
        cursorKey: at.key,
        cursorId: at.id,
      });
    }
    const { entities, raw } = await qb.getRawAndEntities<{ sort_key: string }>();
    const more = entities.length > filter.limit;
    const items = entities.slice(0, filter.limit);
    const last = items.at(-1);
    const lastKey = raw[items.length - 1]?.sort_key;
    return {
      items,
      nextCursor:
        more && last && lastKey !== undefined
          ? this.cursors.encode({ sort: filter.sort, key: lastKey, id: last.id })
          : null,
    };
  }

  /** The query as the trigger normalises the documents (same lower(), same pairs). */
  private async searchTerms(q: string): Promise<{ text: string; bigrams: string[] }> {
    const [row] = await this.dataSource.query<{ text: string; bigrams: string }[]>(
      `SELECT lower($1) AS text, campaign_search_bigrams(lower($1)) AS bigrams`,
      [q],
    );
    return {
      text: row?.text ?? q,
      bigrams: (row?.bigrams ?? '').split(' ').filter((p) => p.length > 0),
    };
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
