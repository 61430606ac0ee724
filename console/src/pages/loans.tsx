import { useState } from 'preact/hooks';
import { api, download } from '../api';
import { ErrorBox, Field, Money, Page, Table, useLoad } from '../components';
import { t } from '../i18n';

interface Loan {
  id: string;
  campaignId: string;
  borrowerId: string;
  status: 'ACTIVE' | 'REPAID' | 'DEFAULTED';
  currency: string;
  principal: string;
  outstandingPrincipal: string;
  annualRate: string;
  termMonths: number;
  startDate: string;
  lenderCount: number;
  overdueAmount: string;
  overdueDays: number;
  bucket: 'CURRENT' | 'M1' | 'M2' | 'M3_PLUS';
  nextDue: { number: number; dueDate: string; amount: string } | null;
}
interface Bucket {
  loans: number;
  amount: string;
}
/** One cursor page of the book (issue 16); the totals are over every loan of the filter. */
interface LoanBook {
  items: Loan[];
  nextCursor: string | null;
  outstandingPrincipal: string;
  M1: Bucket;
  M2: Bucket;
  M3_PLUS: Bucket;
}

const STATUSES = ['', 'ACTIVE', 'REPAID', 'DEFAULTED'] as const;
const BUCKETS = ['M1', 'M2', 'M3_PLUS'] as const;
const statusLabel = (s: (typeof STATUSES)[number]) =>
  s === '' ? t('allStatuses') : t(`loan${s}` as const);
const percent = (rate: string) => `${(Number(rate) * 100).toFixed(2)}%`;

/**
 * The loan book (issue 14's GET /finance/loans): outstanding principal from the ledger and the
 * overdue buckets M1 (1-30 days), M2 (31-60), M3+ (more), filtered by status, with its CSV. The
 * loans come in cursor pages (issue 16): "load more" appends the next; the totals are the book's.
 */
export function LoansPage() {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('');
  const [csvError, setCsvError] = useState<unknown>(null);
  const query = status ? `?status=${status}` : '';
  const { data, error } = useLoad(() => api<LoanBook>('GET', `/finance/loans${query}`), [query]);
  const [more, setMore] = useState<{
    after: LoanBook;
    loans: Loan[];
    cursor: string | null;
  } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const shown = more?.after === data ? more : null; // a new filter starts from page one
  const loans = [...(data?.items ?? []), ...(shown?.loans ?? [])];
  const cursor = shown ? shown.cursor : (data?.nextCursor ?? null);
  const loadMore = (next: string) => {
    const params = new URLSearchParams(status ? { status, cursor: next } : { cursor: next });
    api<LoanBook>('GET', `/finance/loans?${params.toString()}`).then(
      (page) =>
        data &&
        setMore({
          after: data,
          loans: [...(shown?.loans ?? []), ...page.items],
          cursor: page.nextCursor,
        }),
      setMoreError,
    );
  };
  const currency = data?.items[0]?.currency ?? 'CNY';
  return (
    <Page title={t('loans')}>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setCsvError(null);
          download(`/finance/loans/export.csv${query}`, 'loans.csv').catch(setCsvError);
        }}
      >
        <Field id="ln-status" label={t('status')}>
          {(id) => (
            <select
              id={id}
              value={status}
              onChange={(e) => setStatus(e.currentTarget.value as (typeof STATUSES)[number])}
            >
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit">{t('download')}</button>
      </form>
      <ErrorBox error={error ?? csvError ?? moreError} />
      {data ? (
        <>
          <dl class="figures" data-testid="loan-totals">
            <dt>{t('outstandingPrincipal')}</dt>
            <dd data-testid="loans-outstanding">
              <Money amount={data.outstandingPrincipal} currency={currency} />
            </dd>
            {BUCKETS.map((b) => (
              <>
                <dt key={`t-${b}`}>{t(`bucket${b}` as const)}</dt>
                <dd key={`d-${b}`} data-testid={`bucket-${b}`}>
                  <Money amount={data[b].amount} currency={currency} /> · {data[b].loans}{' '}
                  {t('loanCount')}
                </dd>
              </>
            ))}
          </dl>
          <Table
            caption={`${t('loans')} · ${statusLabel(status)}`}
            testId="loans"
            rows={loans}
            rowKey={(l) => l.id}
            columns={[
              {
                key: 'i',
                label: t('loanId'),
                render: (l) => <code title={l.id}>{l.id.slice(0, 8)}</code>,
              },
              {
                key: 'b',
                label: t('borrower'),
                render: (l) => <code title={l.borrowerId}>{l.borrowerId.slice(0, 8)}</code>,
              },
              { key: 's', label: t('status'), render: (l) => statusLabel(l.status) },
              {
                key: 'p',
                label: t('principal'),
                numeric: true,
                render: (l) => <Money amount={l.principal} currency={l.currency} />,
              },
              {
                key: 'o',
                label: t('outstandingPrincipal'),
                numeric: true,
                render: (l) => <Money amount={l.outstandingPrincipal} currency={l.currency} />,
              },
              {
                key: 'r',
                label: t('annualRate'),
                numeric: true,
                render: (l) => `${percent(l.annualRate)} · ${l.termMonths}${t('months')}`,
              },
              {
                key: 'n',
                label: t('nextDue'),
                render: (l) =>
                  l.nextDue ? (
                    <>
                      {l.nextDue.dueDate} ·{' '}
                      <Money amount={l.nextDue.amount} currency={l.currency} />
                    </>
                  ) : (
                    '—'
                  ),
              },
              {
                key: 'd',
                label: t('overdue'),
                numeric: true,
                render: (l) => <Money amount={l.overdueAmount} currency={l.currency} />,
              },
              { key: 'y', label: t('overdueDays'), numeric: true, render: (l) => l.overdueDays },
              {
                key: 'k',
                label: t('bucket'),
                render: (l) =>
                  l.bucket === 'CURRENT' ? t('bucketCURRENT') : t(`bucket${l.bucket}` as const),
              },
            ]}
          />
          {cursor ? (
            <button type="button" data-testid="loans-more" onClick={() => loadMore(cursor)}>
              {t('loadMore')}
            </button>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
