import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorBox, Page } from '../components';
import { t } from '../i18n';

interface Report {
  ok: boolean;
  transfersChecked: number;
  blocksChecked: number;
  accountsChecked: number;
  problems: { invariant: string; code: string; message: string; ids: string[] }[];
}
interface Job {
  id: string;
  state: 'RUNNING' | 'DONE' | 'FAILED';
  step: 'STARTING' | 'BLOCKS' | 'CHECKS' | 'FINISHED';
  blocksDone: number;
  blocksTotal: number;
  report: Report | null;
  error: string | null;
}

const POLL_MS = 300;

/** Blocks are the long part (0-90 %), the checks over every account the rest; 100 % when done. */
function percentOf(job: Job): number {
  if (job.state !== 'RUNNING') return 100;
  if (job.step === 'CHECKS') return 90;
  return job.blocksTotal > 0 ? Math.floor((90 * job.blocksDone) / job.blocksTotal) : 0;
}

function stepText(job: Job): string {
  if (job.state !== 'RUNNING') return t(job.state === 'DONE' ? 'verifyDone' : 'verifyFailed');
  if (job.step === 'BLOCKS') return `${t('verifyBlocks')} ${job.blocksDone} / ${job.blocksTotal}`;
  return t(job.step === 'CHECKS' ? 'verifyChecks' : 'verifyStarting');
}

/**
 * Verify the ledger with progress (issue 17): POST /finance/verifications starts the run, then
 * GET /finance/verifications/:id is polled until it is over; the named problems come at the end.
 */
export function VerifyPage() {
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [joined, setJoined] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!jobId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      api<Job>('GET', `/finance/verifications/${jobId}`).then(
        (next) => {
          if (!live) return;
          setJob(next);
          if (next.state === 'RUNNING') timer = setTimeout(poll, POLL_MS);
        },
        (e: unknown) => live && setError(e),
      );
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jobId]);

  const run = async () => {
    setError(null);
    setJob(null);
    setJoined(false);
    try {
      const started = await api<Job>('POST', '/finance/verifications', { body: {} });
      setJob(started);
      setJobId(started.id);
    } catch (e) {
      // One at a time: follow the run already going rather than fail.
      const running = e instanceof ApiError && e.code === 'FINANCE.VERIFICATION_RUNNING';
      if (running && typeof e.details.id === 'string') {
        setJoined(true);
        setJobId(e.details.id);
      } else setError(e);
    }
  };
  const running = job?.state === 'RUNNING';
  const pct = job ? percentOf(job) : 0;
  const report = job?.report ?? null;
  return (
    <Page title={t('verifyLedger')}>
      <button type="button" onClick={() => void run()} disabled={running}>
        {t('runVerify')}
      </button>
      {joined ? <p class="hint">{t('verifyJoined')}</p> : null}
      {job ? (
        <div class="progress">
          <label id="verify-progress-label" for="verify-progress">
            {t('verifyProgress')}
          </label>{' '}
          <progress
            id="verify-progress"
            role="progressbar"
            max={100}
            value={pct}
            aria-labelledby="verify-progress-label"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            aria-valuetext={`${pct}% · ${stepText(job)}`}
            data-testid="verify-progress"
          />{' '}
          <span aria-live="polite">
            {pct}% · {stepText(job)}
          </span>
        </div>
      ) : null}
      <ErrorBox error={error} />
      {job?.state === 'FAILED' ? (
        <p class="error" role="alert">
          {t('verifyFailed')}: {job.error}
        </p>
      ) : null}
      {report ? (
        <div role="status" data-testid="verify-report">
          <p class={report.ok ? 'state ok' : 'state bad'}>
            {report.ok ? `✓ ${t('verifyOk')}` : `✗ ${t('verifyProblems')}`}
          </p>
          <dl class="figures">
            <dt>{t('transfersChecked')}</dt>
            <dd>{report.transfersChecked}</dd>
            <dt>{t('blocksChecked')}</dt>
            <dd>{report.blocksChecked}</dd>
            <dt>{t('accountsChecked')}</dt>
            <dd>{report.accountsChecked}</dd>
          </dl>
          <ul data-testid="verify-problems">
            {report.problems.map((p, i) => (
              <li key={i}>
                <strong>{p.invariant}</strong> <code>{p.code}</code>: {p.message}
                {p.ids.length > 0 ? <> ({p.ids.join(', ')})</> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Page>
  );
}
