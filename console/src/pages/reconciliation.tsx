import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBox, text, Field, Money, Page, Table, Time } from '../components';
import { t } from '../i18n';

interface Line {
  bankReference: string | null;
  statement: { line: number; date: string; direction: string; amount: string } | null;
  ledger: {
    transferId: string;
    kind: string;
    direction: string;
    amount: string;
    at: string;
  } | null;
}
interface Reconciliation {
  id: string;
  currency: string;
  counts: Record<string, number>;
  closingBalance: string;
  ledgerBalance: string;
  difference: string;
  matched: Line[];
  unmatchedStatement: Line[];
  unmatchedLedger: Line[];
  amountMismatches: (Line & { differs: string[] })[];
}

/** Drag a CSV onto the page (or choose it): matched and unmatched on each side, and the difference. */
export function ReconciliationPage() {
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [result, setResult] = useState<Reconciliation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const q = new URLSearchParams({
      from: text(form, 'from'),
      to: text(form, 'to'),
      closingBalance: text(form, 'closingBalance'),
    });
    setBusy(true);
    setError(null);
    try {
      setResult(
        await api<Reconciliation>('POST', `/finance/reconciliations?${q.toString()}`, {
          raw: await file.text(),
          contentType: 'text/csv',
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const side = (line: Line, which: 'statement' | 'ledger', currency: string) => {
    const s = line[which];
    return s ? (
      <>
        {s.direction} <Money amount={s.amount} currency={currency} />
      </>
    ) : (
      '—'
    );
  };
  const lines = (caption: string, rows: Line[], testId: string, currency: string) => (
    <Table
      caption={`${caption} (${rows.length})`}
      testId={testId}
      rows={rows}
      rowKey={(r) => `${r.bankReference}-${r.statement?.line ?? ''}-${r.ledger?.transferId ?? ''}`}
      columns={[
        {
          key: 'ref',
          label: t('bankReference'),
          render: (r) => <code>{r.bankReference ?? '—'}</code>,
        },
        { key: 'line', label: t('line'), render: (r) => r.statement?.line ?? '—' },
        { key: 'st', label: t('statementSide'), render: (r) => side(r, 'statement', currency) },
        { key: 'ld', label: t('ledgerSide'), render: (r) => side(r, 'ledger', currency) },
        {
          key: 'at',
          label: t('time'),
          render: (r) => (r.ledger ? <Time iso={r.ledger.at} /> : r.statement?.date),
        },
      ]}
    />
  );

  return (
    <Page title={t('reconciliation')}>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <div
          class={over ? 'dropzone over' : 'dropzone'}
          data-testid="dropzone"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            const dropped = e.dataTransfer?.files[0];
            if (dropped) setFile(dropped);
          }}
        >
          <Field id="rc-file" label={t('statementFile')} hint={file ? file.name : t('dropHere')}>
            {(id) => (
              <input
                id={id}
                type="file"
                accept=".csv,text/csv"
                aria-describedby={`${id}-hint`}
                onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
              />
            )}
          </Field>
        </div>
        <div class="toolbar">
          <Field id="rc-from" label={t('periodFrom')}>
            {(id) => <input id={id} name="from" type="date" required />}
          </Field>
          <Field id="rc-to" label={t('periodTo')}>
            {(id) => <input id={id} name="to" type="date" required />}
          </Field>
          <Field id="rc-closing" label={t('closingBalance')}>
            {(id) => (
              <input
                id={id}
                name="closingBalance"
                inputMode="decimal"
                pattern="\d{1,16}(\.\d{1,2})?"
                required
              />
            )}
          </Field>
          <button type="submit" disabled={!file || busy}>
            {t('reconcile')}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {result ? (
        <div data-testid="reconciliation-result">
          <dl class="figures">
            <dt>{t('matched')}</dt>
            <dd>{result.counts.matched}</dd>
            <dt>{t('unmatchedStatement')}</dt>
            <dd data-testid="count-unmatched-statement">{result.counts.unmatchedStatement}</dd>
            <dt>{t('unmatchedLedger')}</dt>
            <dd data-testid="count-unmatched-ledger">{result.counts.unmatchedLedger}</dd>
            <dt>{t('closingBalance')}</dt>
            <dd>
              <Money amount={result.closingBalance} currency={result.currency} />
            </dd>
            <dt>{t('ledgerBalance')}</dt>
            <dd>
              <Money amount={result.ledgerBalance} currency={result.currency} />
            </dd>
            <dt>{t('difference')}</dt>
            <dd data-testid="difference" class={result.difference === '0.00' ? 'ok' : 'bad'}>
              <Money amount={result.difference} currency={result.currency} />
            </dd>
          </dl>
          <div class="side-by-side">
            {lines(
              t('unmatchedStatement'),
              result.unmatchedStatement,
              'unmatched-statement',
              result.currency,
            )}
            {lines(
              t('unmatchedLedger'),
              result.unmatchedLedger,
              'unmatched-ledger',
              result.currency,
            )}
          </div>
          {lines(t('amountMismatches'), result.amountMismatches, 'mismatches', result.currency)}
          {lines(t('matched'), result.matched, 'matched', result.currency)}
        </div>
      ) : null}
    </Page>
  );
}
