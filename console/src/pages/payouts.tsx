import { useState } from 'preact/hooks';
import { api, ApiError, me } from '../api';
import { ErrorBox, text, Money, Page, Time, useLoad } from '../components';
import { t } from '../i18n';
import { useSignal } from '../signal';

interface Payout {
  id: string;
  campaignId: string;
  founderId: string;
  amount: string;
  currency: string;
  status: string;
  requestedAt: string;
}

/**
 * Payouts awaiting a second person (maker-checker, DESIGN §7). Approval re-checks the second
 * factor (issue 13): within the fresh window after a TOTP sign-in it goes straight through,
 * otherwise the server asks for a code and the row shows a code field.
 */
export function PayoutsPage() {
  const user = useSignal(me);
  const { data, error, reload } = useLoad(
    () => api<{ items: Payout[] }>('GET', '/finance/payouts?limit=200'), // the first cursor page
  );
  const [done, setDone] = useState<string | null>(null);
  return (
    <Page title={t('payouts')}>
      <p class="hint">{t('makerChecker')}</p>
      <ErrorBox error={error} />
      <p role="status" class="ok" data-testid="payout-outcome">
        {done ?? ''}
      </p>
      {data && data.items.length === 0 ? <p>{t('nothingToDo')}</p> : null}
      <ul class="cards" data-testid="payouts">
        {data?.items.map((p) => (
          <PayoutCard
            key={p.id}
            payout={p}
            mine={p.founderId === user?.id}
            onDone={(message) => {
              setDone(message);
              reload();
            }}
          />
        ))}
      </ul>
    </Page>
  );
}

function PayoutCard(props: { payout: Payout; mine: boolean; onDone: (message: string) => void }) {
  const p = props.payout;
  const [error, setError] = useState<unknown>(null);
  const [needCode, setNeedCode] = useState(false);
  const [busy, setBusy] = useState(false);
  const idp = `payout-${p.id}`;

  const decide = async (e: Event, kind: 'approve' | 'reject') => {
    e.preventDefault();
    const form = (e.currentTarget as HTMLElement).closest('form')!;
    const values = new FormData(form);
    const code = text(values, 'code');
    setBusy(true);
    setError(null);
    try {
      if (kind === 'approve') {
        await api('POST', `/finance/payouts/${p.id}/approve`, {
          headers: code ? { 'x-totp-code': code } : {},
        });
        props.onDone(`${t('approved')}: ${p.id}`);
      } else {
        await api('POST', `/finance/payouts/${p.id}/reject`, {
          body: { reason: text(values, 'reason') },
        });
        props.onDone(`${t('rejected')}: ${p.id}`);
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'AUTH.STEP_UP_REQUIRED') setNeedCode(true);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="card" data-testid="payout-card">
      <form aria-labelledby={`${idp}-title`} onSubmit={(e) => void decide(e, 'approve')}>
        <h2 id={`${idp}-title`}>
          <Money amount={p.amount} currency={p.currency} />
        </h2>
        <dl class="figures">
          <dt>{t('payoutId')}</dt>
          <dd>
            <code>{p.id}</code>
          </dd>
          <dt>{t('campaign')}</dt>
          <dd>
            <code>{p.campaignId}</code>
          </dd>
          <dt>{t('founder')}</dt>
          <dd>
            <code>{p.founderId}</code>
          </dd>
          <dt>{t('requestedAt')}</dt>
          <dd>
            <Time iso={p.requestedAt} />
          </dd>
        </dl>
        <div class="field">
          <label for={`${idp}-code`}>{t('totpForApproval')}</label>
          <input
            id={`${idp}-code`}
            name="code"
            inputMode="numeric"
            pattern="[0-9]{6}"
            autoComplete="one-time-code"
            aria-invalid={needCode ? 'true' : undefined}
            ref={(el) => {
              if (needCode) el?.focus();
            }}
          />
        </div>
        <div class="field">
          <label for={`${idp}-reason`}>{t('reason')}</label>
          <input id={`${idp}-reason`} name="reason" maxLength={1000} />
        </div>
        <div class="actions">
          <button
            type="submit"
            disabled={busy || props.mine}
            aria-describedby={props.mine ? `${idp}-mc` : undefined}
          >
            {t('approve')}
          </button>
          <button
            type="button"
            class="secondary"
            disabled={busy || props.mine}
            onClick={(e) => void decide(e, 'reject')}
          >
            {t('reject')}
          </button>
        </div>
        {props.mine ? <small id={`${idp}-mc`}>{t('makerChecker')}</small> : null}
        <ErrorBox error={error} />
      </form>
    </li>
  );
}
