import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, keysetSql, type PageRequest, pageFrom } from '../../database/keyset-page.js';
import { pgError, preparedRead, type Tx } from '../../database/transaction.js';
import {
  DisclosureAcknowledgementEntity,
  DisclosureDocumentEntity,
  DisclosureVersionEntity,
  SpecialWarningEntity,
} from './risk-disclosure.entities.js';
import type {
  AcknowledgementEvidence,
  CampaignDisclosureScope,
  DisclosureScope,
  MaterialDisclosureChange,
} from './risk-disclosure.types.js';

/** One acknowledgement with its document and whether it is for the document's current version. */
export interface AcknowledgementRow {
  id: string;
  scope: DisclosureScope;
  campaignId: string | null;
  version: number;
  sha256: string;
  acknowledgedAt: Date;
  current: boolean;
}

/** A disclosure document's current version and the user's acknowledgement of it. */
export interface AcknowledgementStateRow {
  scope: DisclosureScope;
  version: number | null;
  sha256: string | null;
  acknowledgementId: string | null;
}

interface AcknowledgementSqlRow {
  id: string;
  scope: DisclosureScope;
  campaign_id: string | null;
  version: number;
  sha256: string;
  acknowledged_at: Date;
  current: boolean;
  keyset_key: string;
  keyset_id: string;
}

const ACKNOWLEDGEMENTS: Keyset = {
  list: 'acknowledgements',
  key: 'a."acknowledged_at"',
  keyKind: 'timestamptz',
  id: 'a."id"',
  idKind: 'uuid',
  direction: 'DESC',
};

@Injectable()
export class RiskDisclosureRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  private m(tx?: Tx) {
    return tx ?? this.dataSource.manager;
  }

  /**
   * The pledge path's one read of disclosures: the platform document and the campaign's, each with
   * its current (highest) version and this user's acknowledgement of that version, if any.
   */
  async acknowledgementState(
    userId: string,
    campaignId: string,
  ): Promise<AcknowledgementStateRow[]> {
    const rows = await preparedRead<{
      scope: DisclosureScope;
      version: number | null;
      sha256: string | null;
      ack_id: string | null;
    }>(
      this.dataSource,
      'disclosure-acknowledgement-state',
      `SELECT d.scope, v.version, v.sha256, a.id AS ack_id
       FROM disclosure_documents d
       LEFT JOIN LATERAL (
         SELECT version, sha256 FROM disclosure_versions WHERE document_id = d.id
         ORDER BY version DESC LIMIT 1) v ON true
       LEFT JOIN disclosure_acknowledgements a
         ON a.user_id = $1 AND a.document_id = d.id AND a.version = v.version
       WHERE d.scope = 'PLATFORM' OR (d.scope IN ('CAMPAIGN', 'LEAD_MEMO') AND d.campaign_id = $2)`,
      [userId, campaignId],
    );
    return rows.map((r) => ({
      scope: r.scope,
      version: r.version,
      sha256: r.sha256,
      acknowledgementId: r.ack_id,
    }));
  }

  /** Material campaign disclosure versions published at or after `since`, oldest first. */
  async materialChangesSince(since: Date): Promise<MaterialDisclosureChange[]> {
    const rows: { campaign_id: string; version: number; published_at: Date }[] =
      await this.m().query(
        `SELECT d.campaign_id, v.version, v.published_at FROM disclosure_versions v
         JOIN disclosure_documents d ON d.id = v.document_id
         WHERE d.scope = 'CAMPAIGN' AND v.material AND v.published_at >= $1
         ORDER BY v.published_at, d.campaign_id, v.version`,
        [since],
      );
    return rows.map((r) => ({
      campaignId: r.campaign_id,
      version: r.version,
      publishedAt: r.published_at,
    }));
  }

  platformDocument(tx?: Tx): Promise<DisclosureDocumentEntity | null> {
    return this.m(tx).findOne(DisclosureDocumentEntity, { where: { scope: 'PLATFORM' } });
  }

  campaignDocument(
    campaignId: string,
    tx?: Tx,
    scope: CampaignDisclosureScope = 'CAMPAIGN',
  ): Promise<DisclosureDocumentEntity | null> {
    return this.m(tx).findOne(DisclosureDocumentEntity, { where: { scope, campaignId } });
  }

  /**
   * Creates the campaign's document unless it exists (two first publications may race), then
   * returns it locked FOR UPDATE: version numbers are handed out one publication at a time.
   */
  async lockCampaignDocumentForPublication(
    campaignId: string,
    now: Date,
    tx: Tx,
    scope: CampaignDisclosureScope = 'CAMPAIGN',
  ): Promise<DisclosureDocumentEntity> {
    const document: DisclosureDocumentEntity = {
      id: randomUUID(),
      scope,
      campaignId,
      createdAt: now,
    };
    try {
      await tx
        .createQueryBuilder()
        .insert()
        .into(DisclosureDocumentEntity)
        .values(document)
        .orIgnore()
        .execute();
    } catch (error) {
      const { code, constraint } = pgError(error);
      if (code === '23503' && constraint === 'disclosure_documents_campaign_id_fkey')
        throw new NotFoundError('Campaign');
      throw error;
    }
    const locked = await tx.findOne(DisclosureDocumentEntity, {
      where: { scope, campaignId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!locked) throw new NotFoundError('Campaign disclosure');
    return locked;
  }

  /**
   * FOR SHARE on the document: an acknowledgement waits for a publication in flight, so that it is
   * checked against the version that is current when it commits.
   */
  async lockDocumentForAcknowledgement(documentId: string, tx: Tx): Promise<void> {
    await tx.findOne(DisclosureDocumentEntity, {
      where: { id: documentId },
      lock: { mode: 'pessimistic_read' },
    });
  }

  latestVersion(documentId: string, tx?: Tx): Promise<DisclosureVersionEntity | null> {
    return this.m(tx).findOne(DisclosureVersionEntity, {
      where: { documentId },
      order: { version: 'DESC' },
    });
  }

  async insertVersion(version: DisclosureVersionEntity, tx: Tx): Promise<void> {
    await tx.insert(DisclosureVersionEntity, version);
  }

  findAcknowledgement(
    userId: string,
    documentId: string,
    version: number,
    tx?: Tx,
  ): Promise<DisclosureAcknowledgementEntity | null> {
    return this.m(tx).findOne(DisclosureAcknowledgementEntity, {
      where: { userId, documentId, version },
    });
  }

  /** Inserts unless this user already acknowledged this version; true when a row was written. */
  async insertAcknowledgement(
    acknowledgement: DisclosureAcknowledgementEntity,
    tx: Tx,
  ): Promise<boolean> {
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(DisclosureAcknowledgementEntity)
      .values(acknowledgement)
      .orIgnore()
      .returning(['id'])
      .execute();
    return Array.isArray(result.raw) && result.raw.length === 1;
  }

  /**
   * One cursor page of a user's acknowledgements, newest first, each flagged current or
   * superseded (index disclosure_acknowledgements_user_idx).
   */
  async listAcknowledgements(userId: string, page: PageRequest): Promise<Page<AcknowledgementRow>> {
    const params: string[] = [userId];
    const sql = keysetSql(this.cursors, ACKNOWLEDGEMENTS, page.cursor, (v) => {
      params.push(v);
      return `$${params.length}`;
    });
    const rows: AcknowledgementSqlRow[] = await this.dataSource.query(
      `SELECT a."id", d."scope", d."campaign_id", a."version", a."sha256", a."acknowledged_at",
              a."version" = (SELECT max(v."version") FROM "disclosure_versions" v
                             WHERE v."document_id" = a."document_id") AS "current",
              ${sql.keyText} AS keyset_key, ${sql.idText} AS keyset_id
         FROM "disclosure_acknowledgements" a
         JOIN "disclosure_documents" d ON d."id" = a."document_id"
        WHERE a."user_id" = $1 ${sql.where ? `AND ${sql.where}` : ''}
        ORDER BY ${sql.orderBy} LIMIT ${page.limit + 1}`,
      params,
    );
    return pageFrom(this.cursors, ACKNOWLEDGEMENTS, rows, page.limit, (r) => ({
      id: r.id,
      scope: r.scope,
      campaignId: r.campaign_id,
      version: r.version,
      sha256: r.sha256,
      acknowledgedAt: r.acknowledged_at,
      current: r.current,
    }));
  }

  async insertSpecialWarning(warning: SpecialWarningEntity, tx: Tx): Promise<void> {
    try {
      await tx.insert(SpecialWarningEntity, warning);
    } catch (error) {
      const { code, constraint } = pgError(error);
      if (code === '23503' && constraint === 'special_warnings_campaign_id_fkey')
        throw new NotFoundError('Campaign');
      throw error;
    }
  }

  listSpecialWarnings(userId: string, campaignId: string): Promise<SpecialWarningEntity[]> {
    return this.m().find(SpecialWarningEntity, {
      where: { userId, campaignId },
      order: { acceptedAt: 'ASC', id: 'ASC' },
    });
  }

  /** Acknowledgements by id, as evidence (CN-SUIT-16). */
  async acknowledgementEvidence(ids: readonly string[]): Promise<AcknowledgementEvidence[]> {
    const rows: {
      id: string;
      scope: DisclosureScope;
      campaign_id: string | null;
      version: number;
      sha256: string;
      acknowledged_at: Date;
    }[] = await this.m().query(
      `SELECT a."id", d."scope", d."campaign_id", a."version", a."sha256", a."acknowledged_at"
         FROM "disclosure_acknowledgements" a
         JOIN "disclosure_documents" d ON d."id" = a."document_id"
        WHERE a."id" = ANY($1::uuid[])
        ORDER BY CASE d."scope" WHEN 'PLATFORM' THEN 0 WHEN 'CAMPAIGN' THEN 1 ELSE 2 END, a."acknowledged_at", a."id"`,
      [[...ids]],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.scope,
      campaignId: r.campaign_id,
      version: r.version,
      documentSha256: r.sha256,
      acknowledgedAt: r.acknowledged_at.toISOString(),
    }));
  }
}
