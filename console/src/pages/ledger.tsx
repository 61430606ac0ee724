import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBox, text, Field, Money, Page, Table, Time, useLoad } from '../components';
import { t } from '../i18n';

interface Counters {
  debitsPosted: string;
  creditsPosted: string;
  debitsPending: string;
  creditsPending: string;
}
interface TrialBalance {
  asOf: string | null;
  accounts: (Counters & { code: string; kind: string; currency: string })[];
  totals: Counters;
  balanced: boolean;
  postedBalanced: boolean;
  pendingBalanced: boolean;
}

/** A datetime-local value (Shanghai wall time) as an instant: Shanghai is UTC+8 all year. */
export const shanghaiInput = (value: string): string | undefined =>
  value ? new Date(`${value}:00+08:00`).toISOString() : undefined;

export function TrialBalancePage() {
  const [asOf, setAsOf] = useState<string | undefined>(undefined);
  const { data, error } = useLoad(
    () =>
      api<TrialBalance>(
        'GET',
        `/finance/trial-balance${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`,
      ),
    [asOf],
  );
  const currency = data?.accounts[0]?.currency ?? 'CNY';
  const cell = (k: keyof Counters) => (r: Counters) => <Money amount={r[k]} currency={currency} />;
  return (
    <Page title={t('trialBalance')}>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setAsOf(shanghaiInput(text(new FormData(e.currentTarget), 'asOf')));
        }}
      >
        <Field id="tb-asof" label={t('asOf')}>
          {(id) => <input id={id} name="asOf" type="datetime-local" step="1" />}
        </Field>
        <button type="submit">{t('show')}</button>
      </form>
      <ErrorBox error={error} />
      {data ? (
        <>
          <p
            class={data.balanced ? 'state ok' : 'state bad'}
            role="status"
            data-testid="balance-state"
          >
            {data.balanced ? `✓ ${t('balanced')}` : `✗ ${t('notBalanced')}`}
            {' · '}
            {data.asOf ? <Time iso={data.asOf} /> : t('live')}
          </p>
          <Table
            caption={t('trialBalance')}
            testId="trial-balance"
            rows={data.accounts}
            rowKey={(r) => r.code}
            columns={[
              { key: 'code', label: t('account'), render: (r) => <code>{r.code}</code> },
              { key: 'kind', label: t('kind'), render: (r) => r.kind },
              { key: 'dp', label: t('debitsPosted'), render: cell('debitsPosted'), numeric: true },
              {
                key: 'cp',
                label: t('creditsPosted'),
                render: cell('creditsPosted'),
                numeric: true,
              },
              {
                key: 'dq',
                label: t('debitsPending'),
                render: cell('debitsPending'),
                numeric: true,
              },
              {
                key: 'cq',
                label: t('creditsPending'),
                render: cell('creditsPending'),
                numeric: true,
              },
            ]}
            foot={
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    {t('totals')}
                  </th>
                  {(
                    ['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'] as const
                  ).map((k) => (
                    <td class="num" key={k} data-testid={`total-${k}`}>
                      <Money amount={data.totals[k]} currency={currency} />
                    </td>
                  ))}
                </tr>
              </tfoot>
            }
          />
        </>
      ) : null}
    </Page>
  );
}

interface Entry {
  seq: string;
  transferId: string;
  createdAt: string;
  kind: string;
  status: string;
  direction: 'DEBIT' | 'CREDIT';
  counterparty: string;
  amount: string;
  reference: string | null;
  balance: string;
  available: string;
}
interface Statement {
  account: { code: string; currency: string };
  entries: Entry[];
  nextCursor: string | null;
}

/** Every entry with its running balance; the next page loads when the end scrolls into view. */
export function StatementPage() {
  const [code, setCode] = useState('custody:cash');
  const [entries, setEntries] = useState<Entry[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [currency, setCurrency] = useState('CNY');
  const [error, setError] = useState<unknown>(null);
  const loading = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);

  const load = async (reset: boolean) => {
    if (loading.current || (!reset && !cursor)) return;
    loading.current = true;
    try {
      const after = reset ? '' : `&cursor=${encodeURIComponent(cursor!)}`;
      const page = await api<Statement>(
        'GET',
        `/finance/accounts/${encodeURIComponent(code)}/statement?limit=100${after}`,
      );
      setCurrency(page.account.currency);
      setEntries((old) => (reset ? page.entries : [...old, ...page.entries]));
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      loading.current = false;
    }
  };
  useEffect(() => void load(true), [code]);
  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const observer = new IntersectionObserver((seen) => {
      if (seen.some((s) => s.isIntersecting)) void load(false);
    });
    observer.observe(el);
    return () => observer.disconnect();
  });

  return (
    <Page title={t('statement')}>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setCode(text(new FormData(e.currentTarget), 'code'));
        }}
      >
        <Field id="st-code" label={t('accountCode')}>
          {(id) => <input id={id} name="code" defaultValue={code} required />}
        </Field>
        <button type="submit">{t('show')}</button>
      </form>
      <ErrorBox error={error} />
      <Table
        caption={`${t('statement')}: ${code}`}
        testId="statement"
        rows={entries}
        rowKey={(r) => r.transferId + r.direction}
        columns={[
          { key: 'at', label: t('time'), render: (r) => <Time iso={r.createdAt} /> },
          { key: 'kind', label: t('kind'), render: (r) => `${r.kind} ${r.status}` },
          { key: 'dir', label: t('direction'), render: (r) => r.direction },
          { key: 'cp', label: t('counterparty'), render: (r) => <code>{r.counterparty}</code> },
          {
            key: 'amt',
            label: t('amount'),
            render: (r) => <Money amount={r.amount} currency={currency} />,
            numeric: true,
          },
          {
            key: 'bal',
            label: t('balance'),
            render: (r) => <Money amount={r.balance} currency={currency} />,
            numeric: true,
          },
          {
            key: 'avl',
            label: t('available'),
            render: (r) => <Money amount={r.available} currency={currency} />,
            numeric: true,
          },
          { key: 'ref', label: t('reference'), render: (r) => r.reference ?? '—' },
        ]}
      />
      <div ref={sentinel} class="sentinel">
        {cursor ? (
          <button type="button" onClick={() => void load(false)}>
            {t('loadMore')}
          </button>
        ) : (
          <small>{t('noMore')}</small>
        )}
      </div>
    </Page>
  );
}
