import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Observable, type Subscriber } from 'rxjs';
import { KeyedSemaphore } from '../../common/concurrency/keyed-semaphore.js';
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

type NotificationEvent = Extract<StreamEvent, { type: 'notification' }>;

interface Watcher {
  subscriber: Subscriber<StreamEvent>;
  seen: Set<string>;
  /**
   * Live notices that arrive while the stream still replays what the client missed: held and sent
   * after the replay in seq order, so a client never sees a newer notice before an older one (its
   * Last-Event-ID would then skip the older one on reconnect). `null` once the replay is sent.
   */
  held: NotificationEvent[] | null;
}

/**
 * Live inbox streams (issue 13): each open stream gets its user's new notices as they commit, on
 * whichever instance they were written (Postgres LISTEN/NOTIFY). A reconnecting client sends
 * Last-Event-ID (the seq of the last notice it saw) and first gets what it missed.
 */
@Injectable()
export class NotificationStreams implements BeforeApplicationShutdown {
  private readonly open = new Map<string, Set<Watcher>>();
  /** One announcement per user looked up at a time, in arrival order (see the constructor). */
  private readonly lookups = new KeyedSemaphore(1);

  constructor(
    private readonly channel: NotificationChannel,
    private readonly repo: NotificationsRepository,
    private readonly users: UserDirectory,
    private readonly titles: CampaignTitles,
  ) {
    this.channel.onAnnouncement(({ recipientId, notificationId }) => {
      if (!this.open.get(recipientId)?.size) return;
      // One user's announcements are looked up one after another, so they are sent in the order
      // they were announced (commit order; one transaction's notices in seq order).
      void this.lookups
        .acquire(recipientId)
        .then(async (release) => {
          try {
            const watchers = [...(this.open.get(recipientId) ?? [])];
            if (watchers.length === 0) return;
            const rows = await this.repo.findOwn(recipientId, [notificationId]);
            const events = await this.events(recipientId, rows);
            for (const watcher of watchers) {
              if (watcher.held) watcher.held.push(...events);
              else send(watcher, events);
            }
          } finally {
            release();
          }
        })
        .catch(() => undefined);
    });
  }

  watch(userId: string, lastEventId: string | undefined): Observable<StreamEvent> {
    return new Observable<StreamEvent>((subscriber) => {
      const watcher: Watcher = { subscriber, seen: new Set(), held: [] };
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
        const missed = await this.repo.since(userId, since, REPLAY_LIMIT);
        const replay = await this.events(userId, missed);
        if (closed) return;
        const all = [...replay, ...(watcher.held ?? [])].sort((a, b) => compareSeq(a.id, b.id));
        watcher.held = null;
        send(watcher, all);
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

  /** The rows as the events a stream sends, in the user's locale. */
  private async events(userId: string, rows: NotificationRow[]): Promise<NotificationEvent[]> {
    if (rows.length === 0) return [];
    const locale = (await this.users.localeOf(userId)) ?? DEFAULT_LOCALE;
    const titled = await this.titles.fill(rows);
    return titled.map((row) => ({
      type: 'notification',
      id: row.seq,
      data: toNotificationView(row, locale),
    }));
  }
}

/** Sends what this stream was not given yet (replay and live overlap), in one synchronous pass. */
function send(watcher: Watcher, events: NotificationEvent[]): void {
  for (const event of events) {
    const id = event.data.id;
    if (watcher.seen.has(id)) continue;
    if (watcher.seen.size >= SEEN_CAP) watcher.seen.clear();
    watcher.seen.add(id);
    watcher.subscriber.next(event);
  }
}

function compareSeq(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
