import { useState } from 'preact/hooks';
import { api, download } from '../api';
import { ErrorBox, text, Field, Money, Page, Table, Time, useLoad } from '../components';
import { t } from '../i18n';
import { shanghaiInput } from './ledger';

export function JournalPage() {
  const [error, setError] = useState<unknown>(null);
  return (
    <Page title={t('journal')}>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const q = new URLSearchParams();
          const from = shanghaiInput(text(f, 'from'));
          const to = shanghaiInput(text(f, 'to'));
          if (from) q.set('from', from);
          if (to) q.set('to', to);
          setError(null);
          download(`/finance/journal.csv?${q.toString()}`, 'journal.csv').catch(setError);
        }}
      >
        <Field id="jn-from" label={t('from')}>
          {(id) => <input id={id} name="from" type="datetime-local" />}
        </Field>
        <Field id="jn-to" label={t('to')}>
          {(id) => <input id={id} name="to" type="datetime-local" />}
        </Field>
        <button type="submit">{t('download')}</button>
      </form>
      <ErrorBox error={error} />
    </Page>
  );
}

interface Block {
  height: number;
  transferCount: number;
  merkleRoot: string;
  hash: string;
  prevHash: string;
  sealedAt: string;
}

export function SealsPage() {
  const [after, setAfter] = useState(0);
  const { data, error } = useLoad(
    () =>
      api<{ blocks: Block[]; nextAfter: number | null }>(
        'GET',
        `/finance/seals?after=${after}&limit=50`,
      ),
    [after],
  );
  const short = (h: string) => <code title={h}>{h.slice(0, 16)}…</code>;
  return (
    <Page title={t('seals')}>
      <ErrorBox error={error} />
      {data ? (
        <>
          <Table
            caption={t('seals')}
            rows={data.blocks}
            rowKey={(b) => String(b.height)}
            columns={[
              { key: 'h', label: t('height'), render: (b) => b.height, numeric: true },
              { key: 'n', label: t('transfers'), render: (b) => b.transferCount, numeric: true },
              { key: 'm', label: t('merkleRoot'), render: (b) => short(b.merkleRoot) },
              { key: 'x', label: t('hash'), render: (b) => short(b.hash) },
              { key: 'p', label: t('prevHash'), render: (b) => short(b.prevHash) },
              { key: 's', label: t('sealedAt'), render: (b) => <Time iso={b.sealedAt} /> },
            ]}
          />
          {data.nextAfter !== null ? (
            <button type="button" onClick={() => setAfter(data.nextAfter!)}>
              {t('loadMore')}
            </button>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

interface Escrow {
  campaignId: string;
  status: string;
  currency: string;
  escrowZero: boolean;
  pledges: { status: string; count: number; amount: string }[];
  [figure: string]: unknown;
}
const FIGURES = ['committed', 'held', 'posted', 'voided', 'fee', 'net', 'paidOut'] as const;

export function EscrowPage() {
  const [report, setReport] = useState<Escrow | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <Page title={t('escrow')}>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const id = text(new FormData(e.currentTarget), 'id');
          setError(null);
          api<Escrow>('GET', `/finance/campaigns/${encodeURIComponent(id)}/escrow`).then(
            setReport,
            setError,
          );
        }}
      >
        <Field id="es-id" label={t('campaignId')}>
          {(id) => <input id={id} name="id" required pattern="[0-9a-fA-F-]{36}" size={38} />}
        </Field>
        <button type="submit">{t('show')}</button>
      </form>
      <ErrorBox error={error} />
      {report ? (
        <>
          <dl class="figures">
            <dt>{t('status')}</dt>
            <dd>{report.status}</dd>
            {FIGURES.map((f) => (
              <>
                <dt key={`t-${f}`}>{t(f)}</dt>
                <dd key={`d-${f}`}>
                  <Money amount={String(report[f])} currency={report.currency} />
                </dd>
              </>
            ))}
            <dt>{t('escrowZero')}</dt>
            <dd>{report.escrowZero ? t('yes') : t('no')}</dd>
          </dl>
          <Table
            caption={t('pledges')}
            rows={report.pledges}
            rowKey={(p) => p.status}
            columns={[
              { key: 's', label: t('status'), render: (p) => p.status },
              { key: 'c', label: '#', render: (p) => p.count, numeric: true },
              {
                key: 'a',
                label: t('amount'),
                render: (p) => <Money amount={p.amount} currency={report.currency} />,
                numeric: true,
              },
            ]}
          />
        </>
      ) : null}
    </Page>
  );
}
