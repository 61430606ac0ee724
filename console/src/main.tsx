import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { login, loginTotp, logout, me, restore } from './api';
import { ErrorBox, text, Field } from './components';
import { locale, setLocale, t } from './i18n';
import { ApplicationsPage, AuditPage, CallsPage, CreditPage } from './pages/admin';
import { ReviewsPage } from './pages/reviews';
import { EscrowPage, JournalPage, SealsPage } from './pages/finance-tools';
import { LoansPage } from './pages/loans';
import { VerifyPage } from './pages/verify';
import { FlowsPage } from './pages/flows';
import { PayoutsPage } from './pages/payouts';
import { ReconciliationPage } from './pages/reconciliation';
import { StatementPage, TrialBalancePage } from './pages/ledger';
import { useSignal } from './signal';
import './style.css';

type Route = { path: string; label: () => string; view: () => preact.JSX.Element };

const FINANCE: Route[] = [
  { path: 'trial-balance', label: () => t('trialBalance'), view: () => <TrialBalancePage /> },
  { path: 'flows', label: () => t('flows'), view: () => <FlowsPage /> },
  { path: 'statement', label: () => t('statement'), view: () => <StatementPage /> },
  { path: 'reconciliation', label: () => t('reconciliation'), view: () => <ReconciliationPage /> },
  { path: 'payouts', label: () => t('payouts'), view: () => <PayoutsPage /> },
  { path: 'escrow', label: () => t('escrow'), view: () => <EscrowPage /> },
  { path: 'loans', label: () => t('loans'), view: () => <LoansPage /> },
  { path: 'journal', label: () => t('journal'), view: () => <JournalPage /> },
  { path: 'verify', label: () => t('verifyLedger'), view: () => <VerifyPage /> },
  { path: 'seals', label: () => t('seals'), view: () => <SealsPage /> },
];
const ADMIN: Route[] = [
  { path: 'reviews', label: () => t('reviews'), view: () => <ReviewsPage /> },
  { path: 'applications', label: () => t('applications'), view: () => <ApplicationsPage /> },
  { path: 'calls', label: () => t('calls'), view: () => <CallsPage /> },
  { path: 'credit', label: () => t('creditRecords'), view: () => <CreditPage /> },
  { path: 'audit', label: () => t('auditEvents'), view: () => <AuditPage /> },
];

const currentPath = () => location.hash.replace(/^#\/?/, '');

function useHashPath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const onChange = () => setPath(currentPath());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

function LanguageSwitch() {
  const current = useSignal(locale);
  return (
    <div class="field inline">
      <label for="language">{t('language')}</label>
      <select
        id="language"
        value={current}
        onChange={(e) => setLocale(e.currentTarget.value === 'en' ? 'en' : 'zh-CN')}
      >
        <option value="zh-CN">中文</option>
        <option value="en">English</option>
      </select>
    </div>
  );
}

function SignIn() {
  const [challenge, setChallenge] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      if (!challenge) {
        const password = form.get('password');
        const step = await login(text(form, 'email'), typeof password === 'string' ? password : '');
        if ('challengeToken' in step) setChallenge(step.challengeToken);
      } else {
        await loginTotp(challenge, text(form, 'code'));
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="signin">
      <h1>{t('appTitle')}</h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby="signin-error">
        {!challenge ? (
          <>
            <Field id="email" label={t('email')}>
              {(id) => <input id={id} name="email" type="email" autoComplete="username" required />}
            </Field>
            <Field id="password" label={t('password')}>
              {(id) => (
                <input
                  id={id}
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  required
                />
              )}
            </Field>
          </>
        ) : (
          <Field id="code" label={t('totpCode')}>
            {(id) => (
              <input
                id={id}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}|[0-9A-Za-z]{5}-?[0-9A-Za-z]{5}"
                required
                ref={(el) => el?.focus()}
              />
            )}
          </Field>
        )}
        <button type="submit" disabled={busy}>
          {challenge ? t('verify') : t('signIn')}
        </button>
        <div id="signin-error">
          <ErrorBox error={error} />
        </div>
      </form>
      <LanguageSwitch />
    </main>
  );
}

function Shell() {
  const user = useSignal(me);
  useSignal(locale);
  const path = useHashPath();
  if (!user) return <SignIn />;
  const routes = user.role === 'FINANCE' ? FINANCE : user.role === 'ADMIN' ? ADMIN : [];
  const route = routes.find((r) => r.path === path) ?? routes[0];
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => (e.preventDefault(), document.getElementById('page-title')?.focus())}
      >
        {t('skipToMain')}
      </a>
      <header>
        <strong>{t('appTitle')}</strong>
        <span class="who">
          {user.email} · {user.role === 'FINANCE' ? t('finance') : t('compliance')}
        </span>
        <LanguageSwitch />
        <button type="button" onClick={() => void logout()}>
          {t('signOut')}
        </button>
      </header>
      <nav aria-label={t('navigation')}>
        <ul>
          {routes.map((r) => (
            <li key={r.path}>
              <a href={`#/${r.path}`} aria-current={r === route ? 'page' : undefined}>
                {r.label()}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">{route ? route.view() : <p>{t('nothingToDo')}</p>}</main>
    </>
  );
}

function App() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    document.documentElement.lang = locale.get();
    restore()
      .catch(() => undefined)
      .finally(() => setReady(true));
  }, []);
  return ready ? <Shell /> : <p class="loading">{t('loading')}</p>;
}

render(<App />, document.getElementById('app')!);
