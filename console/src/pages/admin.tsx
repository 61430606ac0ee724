import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBox, text, Field, Money, Page, Table, Time, useLoad } from '../components';
import { t } from '../i18n';
import { shanghaiInput } from './ledger';

/** A cursor-paged list (issue 16); the console shows the first page of the largest size. */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}
export interface CreditRecord {
  id: string;
  userId: string;
  kind: string;
  severity: string;
  source: string;
  effectiveFrom: string;
  note: string;
  active: boolean;
}
interface Application {
  id: string;
  userId: string;
  type: string;
  status: string;
  evidence: { kind: string; reference: string; sha256: string }[];
  submittedAt: string;
}

export function ApplicationsPage() {
  const { data, error, reload } = useLoad(() =>
    api<ListPage<Application>>('GET', '/admin/applications?status=PENDING&limit=200').then(
      (page) => page.items,
    ),
  );
  const [actionError, setActionError] = useState<unknown>(null);
  const decide = (a: Application, kind: 'approve' | 'reject') => {
    setActionError(null);
    const body = kind === 'reject' ? { reason: 'evidence insufficient' } : undefined;
    api('POST', `/admin/applications/${a.id}/${kind}`, { body }).then(reload, setActionError);
  };
  return (
    <Page title={t('applications')}>
      <ErrorBox error={error ?? actionError} />
      {data ? (
        <Table
          caption={t('applications')}
          rows={data}
          rowKey={(a) => a.id}
          columns={[
            { key: 'u', label: t('user'), render: (a) => <code>{a.userId}</code> },
            { key: 't', label: t('type'), render: (a) => a.type },
            {
              key: 'e',
              label: t('evidence'),
              render: (a) => (
                <ul>
                  {a.evidence.map((e) => (
                    <li key={e.sha256}>
                      {e.kind}: {e.reference} <code title={e.sha256}>{e.sha256.slice(0, 12)}…</code>
                    </li>
                  ))}
                </ul>
              ),
            },
            { key: 's', label: t('submittedAt'), render: (a) => <Time iso={a.submittedAt} /> },
            {
              key: 'x',
              label: t('status'),
              render: (a) => (
                <>
                  <button type="button" onClick={() => decide(a, 'approve')}>
                    {t('approve')}
                  </button>{' '}
                  <button type="button" class="secondary" onClick={() => decide(a, 'reject')}>
                    {t('reject')}
                  </button>
                </>
              ),
            },
          ]}
        />
      ) : null}
    </Page>
  );
}

export function CreditPage() {
  const { data, error } = useLoad(() =>
    api<ListPage<CreditRecord>>('GET', '/admin/credit-records?limit=200').then(
      (page) => page.items,
    ),
  );
  return (
    <Page title={t('creditRecords')}>
      <ErrorBox error={error} />
      {data ? (
        <Table
          caption={t('creditRecords')}
          rows={data}
          rowKey={(r) => r.id}
          columns={[
            { key: 'u', label: t('user'), render: (r) => <code>{r.userId}</code> },
            { key: 'k', label: t('kind'), render: (r) => r.kind },
            { key: 's', label: t('severity'), render: (r) => r.severity },
            { key: 'o', label: t('source'), render: (r) => r.source },
            { key: 'f', label: t('effectiveFrom'), render: (r) => <Time iso={r.effectiveFrom} /> },
            { key: 'a', label: t('active'), render: (r) => (r.active ? t('yes') : t('no')) },
            { key: 'n', label: t('reason'), render: (r) => r.note },
          ]}
        />
      ) : null}
    </Page>
  );
}

interface AuditEvent {
  id: string;
  occurredAt: string;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
}

export function AuditPage() {
  const [query, setQuery] = useState('');
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = (q: string, cursor: string | null) => {
    setError(null);
    const params = new URLSearchParams(q);
    if (cursor) params.set('cursor', cursor);
    api<{ events: AuditEvent[]; nextCursor: string | null }>(
      'GET',
      `/admin/audit-events?${params.toString()}`,
    ).then((page) => {
      setEvents((old) => (cursor ? [...old, ...page.events] : page.events));
      setNext(page.nextCursor);
    }, setError);
  };
  return (
    <Page title={t('auditEvents')}>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const params = new URLSearchParams();
          for (const k of ['userId', 'campaignId', 'code']) {
            const v = text(f, k);
            if (v) params.set(k, v);
          }
          for (const k of ['from', 'to']) {
            const v = shanghaiInput(text(f, k));
            if (v) params.set(k, v);
          }
          setQuery(params.toString());
          load(params.toString(), null);
        }}
      >
        <Field id="au-user" label={t('user')}>
          {(id) => <input id={id} name="userId" size={38} />}
        </Field>
        <Field id="au-campaign" label={t('campaign')}>
          {(id) => <input id={id} name="campaignId" size={38} />}
        </Field>
        <Field id="au-code" label={t('code')}>
          {(id) => <input id={id} name="code" />}
        </Field>
        <Field id="au-from" label={t('from')}>
          {(id) => <input id={id} name="from" type="datetime-local" />}
        </Field>
        <Field id="au-to" label={t('to')}>
          {(id) => <input id={id} name="to" type="datetime-local" />}
        </Field>
        <button type="submit">{t('search')}</button>
      </form>
      <ErrorBox error={error} />
      <Table
        caption={t('auditEvents')}
        rows={events}
        rowKey={(e) => e.id}
        columns={[
          { key: 't', label: t('time'), render: (e) => <Time iso={e.occurredAt} /> },
          { key: 'a', label: t('action'), render: (e) => <code>{e.action}</code> },
          { key: 'u', label: t('actor'), render: (e) => <code>{e.actorId ?? '—'}</code> },
          { key: 's', label: t('subject'), render: (e) => `${e.subjectType} ${e.subjectId}` },
        ]}
      />
      {next ? (
        <button type="button" onClick={() => load(query, next)}>
          {t('loadMore')}
        </button>
      ) : null}
    </Page>
  );
}

interface CallEntry {
  pledgeId: string;
  campaignId: string;
  investorId: string;
  amount: string;
  currency: string;
  status: string;
  callableFrom: string;
  dueBy: string;
  lastCall: { outcome: string; calledAt: string } | null;
}
const OUTCOMES = ['CONFIRMED', 'UNREACHABLE', 'RESCINDED'] as const;

/**
 * Pledges waiting for their confirmation call (回访, CN-PF-07), earliest due first: the first
 * cursor page of the largest size (issue 16).
 */
export function CallsPage() {
  const { data, error, reload } = useLoad(() =>
    api<ListPage<CallEntry>>('GET', '/admin/confirmation-calls?limit=200'),
  );
  const [actionError, setActionError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const record = (e: Event, entry: CallEntry, outcome: (typeof OUTCOMES)[number]) => {
    e.preventDefault();
    const notes = text(new FormData((e.currentTarget as HTMLElement).closest('form')!), 'notes');
    setActionError(null);
    if (!notes) {
      setActionError(new Error(t('callNotes')));
      return;
    }
    api('POST', `/admin/pledges/${entry.pledgeId}/confirmation-call`, {
      body: { outcome, notes },
    }).then(() => {
      setDone(`${t(outcome)}: ${entry.pledgeId}`);
      reload();
    }, setActionError);
  };
  return (
    <Page title={t('calls')}>
      <ErrorBox error={error ?? actionError} />
      <p role="status" class="ok">
        {done}
      </p>
      {data && data.items.length === 0 ? <p>{t('nothingToDo')}</p> : null}
      <ul class="cards">
        {data?.items.map((c) => {
          const id = `call-${c.pledgeId}`;
          const early = Date.parse(c.callableFrom) > Date.now();
          return (
            <li class="card" key={c.pledgeId}>
              <form aria-labelledby={`${id}-title`} onSubmit={(e) => record(e, c, 'CONFIRMED')}>
                <h2 id={`${id}-title`}>
                  <Money amount={c.amount} currency={c.currency} /> · {c.status}
                </h2>
                <dl class="figures">
                  <dt>{t('pledge')}</dt>
                  <dd>
                    <code>{c.pledgeId}</code>
                  </dd>
                  <dt>{t('user')}</dt>
                  <dd>
                    <code>{c.investorId}</code>
                  </dd>
                  <dt>{t('callableFrom')}</dt>
                  <dd>
                    <Time iso={c.callableFrom} />
                  </dd>
                  <dt>{t('dueBy')}</dt>
                  <dd>
                    <Time iso={c.dueBy} />
                  </dd>
                  <dt>{t('lastCall')}</dt>
                  <dd>
                    {c.lastCall ? (
                      <>
                        {c.lastCall.outcome} <Time iso={c.lastCall.calledAt} />
                      </>
                    ) : (
                      t('none')
                    )}
                  </dd>
                </dl>
                <Field id={`${id}-notes`} label={t('callNotes')}>
                  {(fid) => <input id={fid} name="notes" maxLength={2000} />}
                </Field>
                <div class="actions">
                  {OUTCOMES.map((o) => (
                    <button
                      key={o}
                      type={o === 'CONFIRMED' ? 'submit' : 'button'}
                      class={o === 'RESCINDED' ? 'secondary' : undefined}
                      disabled={early}
                      onClick={o === 'CONFIRMED' ? undefined : (e) => record(e, c, o)}
                    >
                      {t(o)}
                    </button>
                  ))}
                </div>
              </form>
            </li>
          );
        })}
      </ul>
    </Page>
  );
}
