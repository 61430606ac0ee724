import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { money, shanghai, t } from './i18n';

export function Money({ amount, currency }: { amount: string; currency: string }) {
  return <span class="num">{money(amount, currency)}</span>;
}

/** Shanghai time on the page, the UTC instant on hover (and for screen readers in datetime). */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  const { text, utc } = shanghai(iso);
  return (
    <time dateTime={iso} title={utc}>
      {text}
    </time>
  );
}

export interface Column<R> {
  key: string;
  label: string;
  render: (row: R) => ComponentChildren;
  numeric?: boolean;
}

export function Table<R>(props: {
  caption: string;
  columns: Column<R>[];
  rows: R[];
  rowKey: (row: R) => string;
  foot?: ComponentChildren;
  testId?: string;
}) {
  return (
    <div class="table-wrap">
      <table data-testid={props.testId}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col" key={c.key} class={c.numeric ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr>
              <td colSpan={props.columns.length}>{t('none')}</td>
            </tr>
          ) : (
            props.rows.map((row) => (
              <tr key={props.rowKey(row)}>
                {props.columns.map((c) => (
                  <td key={c.key} class={c.numeric ? 'num' : undefined}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
        {props.foot}
      </table>
    </div>
  );
}

/** A labelled control: every input has a visible <label for>. */
export function Field(props: {
  id: string;
  label: string;
  children: (id: string) => JSX.Element;
  hint?: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children(props.id)}
      {props.hint ? <small id={`${props.id}-hint`}>{props.hint}</small> : null}
    </div>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const text =
    error instanceof ApiError
      ? `${error.code}: ${error.message}`
      : String((error as Error).message ?? error);
  return (
    <p class="error" role="alert">
      {t('error')} — {text}
    </p>
  );
}

/** The page heading takes focus on navigation, so keyboard and screen-reader users land there. */
export function Page(props: { title: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [props.title]);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.children}
    </section>
  );
}

/** Loads once (and again when `deps` change); `reload` for after an action. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [...deps, version]);
  return { data, error, reload: () => setVersion((v) => v + 1) };
}

/** A text field's value from a form (files and missing fields are ''). */
export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}
