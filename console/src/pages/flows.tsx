import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api } from '../api';
import { ErrorBox, Money, Page, Table, useLoad } from '../components';
import { locale, money, t } from '../i18n';

interface Day {
  day: string;
  deposits: string;
  pledges: string;
  settlements: string;
  payouts: string;
}
interface Flows {
  currency: string;
  days: Day[];
}
const SERIES = ['deposits', 'pledges', 'settlements', 'payouts'] as const;
const COLOURS = ['#1b6ac9', '#c77c02', '#2e7d32', '#8e24aa'];
const label = (s: (typeof SERIES)[number]) => (s === 'payouts' ? t('payoutsSeries') : t(s));

/** Daily deposits, pledges, settlements and payouts over the last 90 Shanghai days (uPlot). */
export function FlowsPage() {
  const { data, error } = useLoad(() => api<Flows>('GET', '/finance/daily-flows?days=90'));
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!data || !host.current) return;
    // Chart only: the figures are drawn as numbers; the table below keeps the exact strings.
    const xs = data.days.map((d) => Date.parse(`${d.day}T00:00:00+08:00`) / 1000);
    const plot = new uPlot(
      {
        width: Math.min(960, host.current.clientWidth || 960),
        height: 320,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Asia/Shanghai'),
        series: [
          {},
          ...SERIES.map((s, i) => ({
            label: label(s),
            stroke: COLOURS[i],
            width: 2,
            value: (_u: uPlot, v: number | null) =>
              v == null ? '—' : money(v.toFixed(2), data.currency),
          })),
        ],
        axes: [
          {},
          { size: 90, values: (_u, vals) => vals.map((v) => money(v.toFixed(0), data.currency)) },
        ],
      },
      [xs, ...SERIES.map((s) => data.days.map((d) => Number(d[s])))],
      host.current,
    );
    return () => plot.destroy();
  }, [data, locale.get()]);
  const recent = data ? data.days.filter((d) => SERIES.some((s) => d[s] !== '0.00')).reverse() : [];
  return (
    <Page title={`${t('flows')} · ${t('last90')}`}>
      <ErrorBox error={error} />
      <figure>
        <div ref={host} class="chart" role="img" aria-label={`${t('flows')} · ${t('last90')}`} />
        <figcaption>{SERIES.map(label).join(' · ')}</figcaption>
      </figure>
      {data ? (
        <Table
          caption={t('flows')}
          rows={recent}
          rowKey={(d) => d.day}
          columns={[
            { key: 'day', label: t('time'), render: (d) => d.day },
            ...SERIES.map((s) => ({
              key: s,
              label: label(s),
              numeric: true,
              render: (d: Day) => <Money amount={d[s]} currency={data.currency} />,
            })),
          ]}
        />
      ) : null}
    </Page>
  );
}
