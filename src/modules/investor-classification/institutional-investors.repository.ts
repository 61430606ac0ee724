import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';

export interface InstitutionalDecisionRow {
  institutional: boolean;
  reason: string;
  decided_by: string;
  decided_at: Date;
}

/** `institutional_investor_flags` (issue 15): ADMIN's decisions, append-only. */
@Injectable()
export class InstitutionalInvestorsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(
    row: { id: string; investorId: string; institutional: boolean; reason: string },
    decidedBy: string,
    decidedAt: Date,
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO institutional_investor_flags
         (id, investor_id, institutional, reason, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.id, row.investorId, row.institutional, row.reason, decidedBy, decidedAt],
    );
  }

  /** The latest decision on an investor, if any. */
  async latest(investorId: string, tx?: Tx): Promise<InstitutionalDecisionRow | null> {
    const rows: InstitutionalDecisionRow[] = await (tx ?? this.dataSource.manager).query(
      `SELECT institutional, reason, decided_by, decided_at FROM institutional_investor_flags
       WHERE investor_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1`,
      [investorId],
    );
    return rows[0] ?? null;
  }
}
