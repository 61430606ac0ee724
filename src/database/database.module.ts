import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { dataSourceOptions } from './data-source.js';
import { DatabaseListener } from './listener.js';
import { ReadReplica, REPLICA_MAX_WAIT_MS } from './read-replica.js';
import { TransactionRunner } from './transaction.js';

export interface DatabaseConnection {
  url: string;
  poolSize: number;
  /** DATABASE_POOL_IDLE_MS. */
  poolIdleMs?: number;
  /** A streaming replica for the finance office's reads (ReadReplica). */
  replicaUrl?: string;
  replicaMaxWaitMs?: number;
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(connection: DatabaseConnection): DynamicModule {
    const base = dataSourceOptions(connection.url, connection.poolSize, {}, connection.poolIdleMs);
    const options: PostgresDataSourceOptions = connection.replicaUrl
      ? {
          ...base,
          url: undefined,
          replication: {
            master: { url: connection.url },
            slaves: [{ url: connection.replicaUrl }],
            defaultMode: 'master', // only ReadReplica's callers read from the replica
          },
        }
      : base;
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...options, retryAttempts: 3, retryDelay: 1000 })],
      providers: [
        TransactionRunner,
        ReadReplica,
        { provide: REPLICA_MAX_WAIT_MS, useValue: connection.replicaMaxWaitMs ?? 250 },
        // One LISTEN connection per instance, to the primary (NOTIFY is not replicated).
        { provide: DatabaseListener, useFactory: () => new DatabaseListener(connection.url) },
      ],
      exports: [TransactionRunner, ReadReplica, DatabaseListener],
    };
  }
}
