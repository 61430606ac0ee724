import type { NoticeParams } from '../../common/notices/notices.port.js';
import type { Locale } from './notice-format.js';
import { renderNotice } from './notice-texts.js';
import type { NotificationRow } from './notifications.repository.js';

export interface NotificationView {
  id: string;
  type: string;
  title: string;
  body: string;
  params: NoticeParams;
  campaignId: string | null;
  createdAt: string;
  readAt: string | null;
}

/** One notice as its recipient sees it, in their locale. */
export function toNotificationView(row: NotificationRow, locale: Locale): NotificationView {
  const text = renderNotice(row.type, row.params, locale);
  return {
    id: row.id,
    type: row.type,
    title: text.title,
    body: text.body,
    params: row.params,
    campaignId: row.campaignId,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}
