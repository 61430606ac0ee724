import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** An open transaction, passed from the service that owns it to the repositories it calls. */
export type Tx = EntityManager;

/** Services own their transactions (STYLE §6) without importing TypeORM. */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

/** Postgres error helpers for repositories that turn constraint violations into domain errors. */
export function uniqueViolationConstraint(error: unknown): string | undefined {
  const driverError =
    (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? error;
  const { code, constraint } = driverError as { code?: string; constraint?: string };
  return code === '23505' ? constraint : undefined;
}
