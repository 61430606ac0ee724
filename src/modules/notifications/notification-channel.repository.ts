import { Injectable } from '@nestjs/common';
import { DatabaseListener } from '../../database/listener.js';

/** The channel the notifications insert trigger NOTIFYs (migration 1765300000000). */
const CHANNEL = 'zhongchou_notifications';

export type NoticeAnnouncement = { recipientId: string; notificationId: string };

/**
 * The notifications channel, heard over the instance's one LISTEN connection (DatabaseListener).
 * Postgres delivers a NOTIFY only when the inserting transaction commits, so every instance hears
 * of every committed notice and of nothing else. Listened to on first use.
 */
@Injectable()
export class NotificationChannel {
  private readonly listeners = new Set<(a: NoticeAnnouncement) => void>();
  private off?: () => void;
  private closed = false;

  constructor(private readonly database: DatabaseListener) {}

  onAnnouncement(listener: (a: NoticeAnnouncement) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once LISTEN is in force. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('notification channel closed'));
    this.off ??= this.database.on(CHANNEL, {
      message: (payload) => {
        const [recipientId, notificationId] = payload.split(' ');
        if (!recipientId || !notificationId) return;
        for (const listener of this.listeners) listener({ recipientId, notificationId });
      },
    });
    return this.database.listening(CHANNEL);
  }

  close(): Promise<void> {
    this.closed = true;
    this.off?.();
    this.off = undefined;
    return Promise.resolve();
  }
}
