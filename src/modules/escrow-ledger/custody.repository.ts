import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';

export interface CustodyNotificationRecord {
  bankReference: string;
  type: string;
  requestHash: string;
  transferId: string;
  receivedAt: Date;
}

@Injectable()
export class CustodyRepository {
  async find(bankReference: string, tx: Tx): Promise<CustodyNotificationRecord | null> {
    const rows: {
      bank_reference: string;
      type: string;
      request_hash: string;
      transfer_id: string;
      received_at: Date;
    }[] = await tx.query(
      `SELECT bank_reference, type, request_hash, transfer_id, received_at FROM custody_notifications
         WHERE bank_reference = $1`,
      [bankReference],
    );
    const r = rows[0];
    return r
      ? {
          bankReference: r.bank_reference,
          type: r.type,
          requestHash: r.request_hash,
          transferId: r.transfer_id,
          receivedAt: r.received_at,
        }
      : null;
  }

  /** False when a concurrent delivery of the same reference got there first. */
  async insert(record: CustodyNotificationRecord, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO custody_notifications (bank_reference, type, request_hash, transfer_id, received_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (bank_reference) DO NOTHING RETURNING 1`,
      [record.bankReference, record.type, record.requestHash, record.transferId, record.receivedAt],
    );
    return rows.length > 0;
  }
}
