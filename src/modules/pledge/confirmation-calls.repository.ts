import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import { ConfirmationCallEntity } from './pledge.entity.js';

/** CN-PF-07: the recorded confirmation calls (回访) of pledges (append-only). */
@Injectable()
export class ConfirmationCallsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertCall(call: ConfirmationCallEntity, tx: Tx): Promise<void> {
    await tx.insert(ConfirmationCallEntity, call);
  }

  calls(pledgeId: string): Promise<ConfirmationCallEntity[]> {
    return this.dataSource.manager.find(ConfirmationCallEntity, {
      where: { pledgeId },
      order: { calledAt: 'ASC' },
    });
  }
}
