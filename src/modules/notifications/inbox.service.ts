import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { UserDirectory } from '../identity/index.js';
import { CampaignTitles } from './campaign-titles.js';
import { DEFAULT_LOCALE, type Locale } from './notice-format.js';
import { toNotificationView, type NotificationView } from './notification.view.js';
import { BadCursorError } from './notifications.errors.js';
import { NotificationsRepository } from './notifications.repository.js';

export interface InboxPage {
  items: NotificationView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
  unreadCount: number;
}

/** A user's notices (issue 13): newest first in cursor pages, read marks, and their locale. */
@Injectable()
export class InboxService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly users: UserDirectory,
    private readonly clock: Clock,
    private readonly titles: CampaignTitles,
  ) {}

  async page(
    userId: string,
    query: { unreadOnly: boolean; cursor?: string; limit: number },
  ): Promise<InboxPage> {
    const beforeSeq = query.cursor === undefined ? null : decodeCursor(query.cursor);
    const [rows, unreadCount, locale] = await Promise.all([
      this.repo.inbox(userId, { unreadOnly: query.unreadOnly, beforeSeq, limit: query.limit }),
      this.repo.unreadCount(userId),
      this.localeOf(userId),
    ]);
    const last = rows.at(-1);
    return {
      items: (await this.titles.fill(rows)).map((row) => toNotificationView(row, locale)),
      nextCursor: rows.length === query.limit && last ? encodeCursor(last.seq) : null,
      unreadCount,
    };
  }

  /** Idempotent: reading a read notice again keeps its first read time. */
  async markRead(userId: string, id: string): Promise<NotificationView> {
    await this.repo.markRead(userId, id, this.clock.now());
    const [row] = await this.titles.fill(await this.repo.findOwn(userId, [id]));
    if (!row) throw new NotFoundError('Notification');
    return toNotificationView(row, await this.localeOf(userId));
  }

  async markAllRead(userId: string): Promise<{ marked: number }> {
    return { marked: await this.repo.markAllRead(userId, this.clock.now()) };
  }

  async localeOf(userId: string): Promise<Locale> {
    return (await this.users.localeOf(userId)) ?? DEFAULT_LOCALE;
  }

  async setLocale(userId: string, locale: Locale): Promise<{ locale: Locale }> {
    if (!(await this.users.setLocale(userId, locale))) throw new NotFoundError('User');
    return { locale };
  }
}

const CURSOR = /^seq:(\d{1,18})$/;

function encodeCursor(seq: string): string {
  return Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadCursorError();
  return match[1];
}
