import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Observable, type Subscriber } from 'rxjs';
import { UserDirectory } from '../identity/index.js';
import { CampaignTitles } from './campaign-titles.js';
import { DEFAULT_LOCALE } from './notice-format.js';
import { NotificationChannel } from './notification-channel.repository.js';
import { toNotificationView, type NotificationView } from './notification.view.js';
import { NotificationsRepository, type NotificationRow } from './notifications.repository.js';

export type StreamEvent =
  | { type: 'ready'; data: { unreadCount: number } }
  | { type: 'notification'; id: string; data: NotificationView }
  | { type: 'ping'; data: Record<string, never> };

const REPLAY_LIMIT = 100;
const PING_MS = 25_000;
/** Ids already sent on one stream, kept to drop the overlap between replay and live events. */
const SEEN_CAP = 2000;

interface Watcher {
  subscriber: Subscriber<StreamEvent>;
  seen: Set<string>;
}

/**
 * Live inbox streams (issue 13): each open stream gets its user's new notices as they commit, on
 * whichever instance they were written (Postgres LISTEN/NOTIFY). A reconnecting client sends
 * Last-Event-ID (the seq of the last notice it saw) and first gets what it missed.
 */
@Injectable()
export class NotificationStreams implements BeforeApplicationShutdown {
  private readonly open = new Map<string, Set<Watcher>>();

  constructor(
    private readonly channel: NotificationChannel,
    private readonly repo: NotificationsRepository,
    private readonly users: UserDirectory,
    private readonly titles: CampaignTitles,
  ) {
    this.channel.onAnnouncement(({ recipientId, notificationId }) => {
      const watchers = this.open.get(recipientId);
      if (!watchers || watchers.size === 0) return;
      void this.repo
        .findOwn(recipientId, [notificationId])
        .then((rows) => this.deliver(recipientId, rows, [...watchers]))
        .catch(() => undefined);
    });
  }

  watch(userId: string, lastEventId: string | undefined): Observable<StreamEvent> {
    return new Observable<StreamEvent>((subscriber) => {
      const watcher: Watcher = { subscriber, seen: new Set() };
      const ping = setInterval(() => subscriber.next({ type: 'ping', data: {} }), PING_MS);
      ping.unref();
      let closed = false;
      void (async () => {
        // Order matters: note where the user's inbox stands, start listening, then replay what
        // committed in between, so no notice falls into the gap.
        const since =
          lastEventId !== undefined && /^\d{1,18}$/.test(lastEventId)
            ? lastEventId
            : await this.repo.latestSeq(userId);
        await this.channel.ready();
        if (closed) return;
        this.watchersOf(userId).add(watcher);
        const unreadCount = await this.repo.unreadCount(userId);
        subscriber.next({ type: 'ready', data: { unreadCount } });
        await this.deliver(userId, await this.repo.since(userId, since, REPLAY_LIMIT), [watcher]);
      })().catch((error: unknown) => subscriber.error(error));
      return () => {
        closed = true;
        clearInterval(ping);
        const watchers = this.open.get(userId);
        watchers?.delete(watcher);
        if (watchers?.size === 0) this.open.delete(userId);
      };
    });
  }

  /** Open streams end before the HTTP server closes (it waits for open responses). */
  async beforeApplicationShutdown(): Promise<void> {
    const watchers = [...this.open.values()].flatMap((set) => [...set]);
    this.open.clear();
    for (const watcher of watchers) watcher.subscriber.complete();
    await this.channel.close();
  }

  private watchersOf(userId: string): Set<Watcher> {
    let set = this.open.get(userId);
    if (!set) this.open.set(userId, (set = new Set()));
    return set;
  }

  private async deliver(userId: string, rows: NotificationRow[], to: Watcher[]): Promise<void> {
    if (rows.length === 0 || to.length === 0) return;
    const locale = (await this.users.localeOf(userId)) ?? DEFAULT_LOCALE;
    const titled = await this.titles.fill(rows);
    for (const watcher of to) {
      for (const row of titled) {
        if (watcher.seen.has(row.id)) continue;
        if (watcher.seen.size >= SEEN_CAP) watcher.seen.clear();
        watcher.seen.add(row.id);
        const data = toNotificationView(row, locale);
        watcher.subscriber.next({ type: 'notification', id: row.seq, data });
      }
    }
  }
}
