export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const MONEY_TEXT = /^-?\d{1,16}(\.\d{1,2})?$/;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * An amount in the reader's locale with its currency: "¥1,500.00" (zh-CN), "CN¥1,500.00" (en).
 * The decimal string is formatted as is (Intl formats strings exactly; never a float).
 */
export function formatMoney(amount: string, currency: string, locale: Locale): string {
  if (!MONEY_TEXT.test(amount) || !CURRENCY.test(currency)) return '—';
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount as unknown as number);
}

/**
 * An instant in Beijing time and in UTC, so nobody misreads a deadline (issue 13):
 * "2026年12月1日 10:00（北京时间）/ 2026-12-01 02:00 UTC".
 */
export function formatInstant(iso: string, locale: Locale): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return '—';
  const shanghai = new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: locale === 'zh-CN' ? 'long' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
  const utc = `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return locale === 'zh-CN'
    ? `${shanghai}（北京时间）/ ${utc}`
    : `${shanghai} (Beijing time) / ${utc}`;
}
