import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource } from 'typeorm';

/** The channel the notifications insert trigger NOTIFYs (migration 1765300000000). */
const CHANNEL = 'zhongchou_notifications';
const RECONNECT_MS = 1000;

export type NoticeAnnouncement = { recipientId: string; notificationId: string };

/**
 * LISTEN on the notifications channel over one dedicated connection per instance (not a pooled
 * one: a listening session must stay open). Postgres delivers a NOTIFY only when the inserting
 * transaction commits, so every instance hears of every committed notice and of nothing else.
 * Connected on first use; reconnects after a lost connection.
 */
@Injectable()
export class NotificationChannel {
  private readonly logger = new Logger('NotificationChannel');
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private closed = false;
  private readonly listeners = new Set<(a: NoticeAnnouncement) => void>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onAnnouncement(listener: (a: NoticeAnnouncement) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once LISTEN is in force. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('notification channel closed'));
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const { url } = this.dataSource.options as { url?: string };
    const client = new pg.Client({ connectionString: url, application_name: 'zhongchou-listen' });
    client.on('notification', (message) => {
      const [recipientId, notificationId] = (message.payload ?? '').split(' ');
      if (!recipientId || !notificationId) return;
      for (const listener of this.listeners) listener({ recipientId, notificationId });
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'notification channel lost; reconnecting');
      this.client = undefined;
      this.connecting = undefined;
      void client.end().catch(() => undefined);
      if (!this.closed)
        setTimeout(() => void this.ready().catch(() => undefined), RECONNECT_MS).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
  }
}
