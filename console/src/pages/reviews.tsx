import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBox, text, Field, Money, Page, Time, useLoad } from '../components';
import { t } from '../i18n';
import type { CreditRecord, ListPage } from './admin';

interface Campaign {
  id: string;
  founderId: string;
  kind: string;
  title: string;
  summary: string;
  currency: string;
  targetAmount: string;
  deadline: string;
  proposedRiskRating: string | null;
}
const RATINGS = ['R1', 'R2', 'R3', 'R4', 'R5'];

/** GET /admin/campaigns/:id/founder: the masked name only, never the ID number. */
interface FounderStanding {
  accountKind: 'PERSON' | 'ORGANIZATION';
  emailVerified: boolean;
  realName: {
    verified: boolean;
    idKind: 'RIC' | 'USCC' | null;
    verifiedAt: string | null;
    nameMasked: string | null;
  };
  credit: { total: number; inForce: number; blockingInForce: number };
}

/** PLAT-01: verified (with the kind of identity, the masked name and when) or clearly not. */
function RealNameState({ founder }: { founder: FounderStanding | null }) {
  if (!founder) return <span>{t('loading')}</span>;
  const r = founder.realName;
  if (!r.verified) return <strong class="state bad">✗ {t('realNameMissing')}</strong>;
  return (
    <>
      <strong class="state ok">✓ {t('realNameVerified')}</strong> {r.nameMasked} ·{' '}
      {t(r.idKind === 'USCC' ? 'idKindUSCC' : 'idKindRIC')} · <Time iso={r.verifiedAt} />
    </>
  );
}

/** Campaigns under review: disclosure, the founder's standing, and the platform's rating (CN-SUIT-08/20). */
export function ReviewsPage() {
  const { data, error, reload } = useLoad(() =>
    api<{ items: Campaign[] }>('GET', '/campaigns?status=PENDING_REVIEW&pageSize=50'),
  );
  const [done, setDone] = useState('');
  return (
    <Page title={t('reviews')}>
      <ErrorBox error={error} />
      <p role="status" class="ok" data-testid="review-outcome">
        {done}
      </p>
      {data && data.items.length === 0 ? <p>{t('nothingToDo')}</p> : null}
      <ul class="cards">
        {data?.items.map((c) => (
          <ReviewCard
            key={c.id}
            campaign={c}
            onDone={(m) => {
              setDone(m);
              reload();
            }}
          />
        ))}
      </ul>
    </Page>
  );
}

function ReviewCard(props: { campaign: Campaign; onDone: (m: string) => void }) {
  const c = props.campaign;
  const id = `rv-${c.id}`;
  const disclosure = useLoad(() =>
    api<{ version: number; body: string; sha256: string }>(
      'GET',
      `/campaigns/${c.id}/disclosures/current`,
    ).catch(() => null),
  );
  const credit = useLoad(() =>
    api<ListPage<CreditRecord>>(
      'GET',
      `/admin/credit-records?userId=${c.founderId}&limit=200`,
    ).then((page) => page.items),
  );
  const founder = useLoad(() => api<FounderStanding>('GET', `/admin/campaigns/${c.id}/founder`));
  const [error, setError] = useState<unknown>(null);
  const [rating, setRating] = useState(c.proposedRiskRating ?? 'R1');
  const decide = async (e: Event, kind: 'approve' | 'reject') => {
    e.preventDefault();
    const f = new FormData((e.currentTarget as HTMLElement).closest('form')!);
    setError(null);
    try {
      if (kind === 'approve') {
        const reason = text(f, 'ratingReason');
        await api('POST', `/admin/campaigns/${c.id}/approve`, {
          body: {
            riskRating: text(f, 'riskRating'),
            ...(reason ? { ratingReason: reason } : {}),
          },
        });
        props.onDone(`${t('approved')}: ${c.title}`);
      } else {
        const reason = text(f, 'rejectReason');
        if (!reason) throw new Error(t('reason'));
        await api('POST', `/admin/campaigns/${c.id}/reject`, { body: { reason } });
        props.onDone(`${t('rejected')}: ${c.title}`);
      }
    } catch (err) {
      setError(err);
    }
  };
  return (
    <li class="card" data-testid="review-card">
      <form aria-labelledby={`${id}-title`} onSubmit={(e) => void decide(e, 'approve')}>
        <h2 id={`${id}-title`}>{c.title}</h2>
        <p>{c.summary}</p>
        <dl class="figures">
          <dt>{t('kind')}</dt>
          <dd>{c.kind}</dd>
          <dt>{t('target')}</dt>
          <dd>
            <Money amount={c.targetAmount} currency={c.currency} />
          </dd>
          <dt>{t('deadline')}</dt>
          <dd>
            <Time iso={c.deadline} />
          </dd>
          <dt>{t('proposed')}</dt>
          <dd>{c.proposedRiskRating ?? '—'}</dd>
          <dt>{t('realName')}</dt>
          <dd data-testid="founder-real-name">
            <RealNameState founder={founder.data} />
          </dd>
          <dt>{t('emailVerified')}</dt>
          <dd data-testid="founder-email">
            {founder.data ? (founder.data.emailVerified ? t('yes') : t('no')) : '…'}
          </dd>
          <dt>{t('credit')}</dt>
          <dd>
            {founder.data && founder.data.credit.blockingInForce > 0 ? (
              <strong class="bad">{t('blockingInForce')} </strong>
            ) : null}
            {credit.data && credit.data.length > 0
              ? credit.data
                  .map((r) => `${r.severity} ${r.kind}${r.active ? '' : ' (lifted)'}`)
                  .join('; ')
              : t('none')}
          </dd>
        </dl>
        <details>
          <summary>
            {t('disclosure')} {disclosure.data ? `v${disclosure.data.version}` : ''}
          </summary>
          <pre class="disclosure">{disclosure.data?.body ?? t('none')}</pre>
        </details>
        <div class="toolbar">
          <Field id={`${id}-rating`} label={t('riskRating')}>
            {(fid) => (
              <select
                id={fid}
                name="riskRating"
                value={rating}
                onChange={(e) => setRating(e.currentTarget.value)}
              >
                {RATINGS.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={`${id}-why`} label={t('ratingReason')}>
            {(fid) => <input id={fid} name="ratingReason" maxLength={2000} />}
          </Field>
          <button type="submit">{t('approve')}</button>
        </div>
        <div class="toolbar">
          <Field id={`${id}-reject`} label={t('reason')}>
            {(fid) => <input id={fid} name="rejectReason" maxLength={1000} />}
          </Field>
          <button type="button" class="secondary" onClick={(e) => void decide(e, 'reject')}>
            {t('reject')}
          </button>
        </div>
        <ErrorBox error={error ?? founder.error} />
      </form>
    </li>
  );
}
