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
  return moneyFormat(locale, currency).format(amount as unknown as number);
}

/**
 * Formatters are built once per locale and currency (issue 18: building one per notice was 2 % of
 * the service's CPU under pledge load, in the e-mail outbox).
 */
const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function moneyFormat(locale: Locale, currency: string): Intl.NumberFormat {
  const key = `money:${locale}:${currency}`;
  let format = formats.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    formats.set(key, format);
  }
  return format;
}
function shanghaiFormat(locale: Locale): Intl.DateTimeFormat {
  const key = `instant:${locale}`;
  let format = formats.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: locale === 'zh-CN' ? 'long' : 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(key, format);
  }
  return format;
}

/**
 * An instant in Beijing time and in UTC, so nobody misreads a deadline (issue 13):
 * "2026年12月1日 10:00（北京时间）/ 2026-12-01 02:00 UTC".
 */
export function formatInstant(iso: string, locale: Locale): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return '—';
  const shanghai = shanghaiFormat(locale).format(instant);
  const utc = `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return locale === 'zh-CN'
    ? `${shanghai}（北京时间）/ ${utc}`
    : `${shanghai} (Beijing time) / ${utc}`;
}
