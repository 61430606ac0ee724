import { describe, expect, it } from '@jest/globals';
import type { ChannelHandlers, DatabaseListener } from '../../database/listener.js';
import { SessionService } from './session.service.js';
import type { SessionState, SessionsRepository } from './sessions.repository.js';

/**
 * The session cache's bookkeeping (issue 18), without a database: which reads may be cached and
 * for how long. That the announcements arrive from Postgres is shown by
 * test/accounts-session-ends-heard-by-every-instance.e2e.spec.ts.
 */
function harness(config = { sessionCacheMs: 1000, sessionCacheListeningMs: 60_000 }) {
  let handlers: ChannelHandlers | undefined;
  const reads: { id: string; resolve: (s: SessionState | null) => void }[] = [];
  let open = true;
  const repo = {
    sessionState: (id: string) =>
      new Promise<SessionState | null>((resolve) => reads.push({ id, resolve })),
  } as unknown as SessionsRepository;
  const listener = {
    on: (_channel: string, h: ChannelHandlers) => {
      handlers = h;
      return () => undefined;
    },
    listening: () => Promise.resolve(),
  } as unknown as DatabaseListener;
  const service = new SessionService(
    repo,
    ...([undefined, undefined, undefined, undefined, undefined] as unknown as [
      never,
      never,
      never,
      never,
      never,
    ]),
    listener,
    config as never,
  );
  /** Answers the oldest pending read with the session as the database has it now. */
  const answer = async () => {
    const read = reads.shift();
    if (!read) throw new Error('no read pending');
    read.resolve({ userId: 'u', active: open, secondFactor: false });
    await Promise.resolve();
  };
  const check = async (id = 's1') => {
    const result = service.state(id);
    await Promise.resolve();
    if (reads.length > 0) await answer();
    return result;
  };
  return {
    service,
    check,
    reads,
    answer,
    handlers: () => handlers as ChannelHandlers,
    end: () => {
      open = false;
    },
  };
}

describe('SessionService cache (issue 18)', () => {
  it('while hearing, a cached session is answered without a read until its end is heard', async () => {
    const h = harness();
    await h.check(); // subscribes; not hearing yet
    h.handlers().ready?.();
    expect(h.service.hearsSessionEnds).toBe(true);
    expect((await h.check())?.active).toBe(true); // read and cached
    for (let i = 0; i < 3; i++) expect((await h.check())?.active).toBe(true);
    expect(h.reads).toHaveLength(0);
    h.end();
    h.handlers().message('s1');
    expect((await h.check())?.active).toBe(false); // read again
  });

  it('a read that began before an end was heard is answered but not cached', async () => {
    const h = harness();
    await h.check();
    h.handlers().ready?.();
    const pending = h.service.state('s1');
    await Promise.resolve();
    expect(h.reads).toHaveLength(1); // the read has begun; the session is still open for it
    h.handlers().message('s1'); // its end commits and is heard before the read answers
    await h.answer();
    expect((await pending)?.active).toBe(true);
    h.end();
    expect((await h.check())?.active).toBe(false); // not served from a stale entry
  });

  it('a lost connection forgets every entry and falls back to the short cache', async () => {
    const h = harness({ sessionCacheMs: 0, sessionCacheListeningMs: 60_000 });
    await h.check();
    h.handlers().ready?.();
    await h.check('s1');
    await h.check('s2');
    h.handlers().lost?.();
    expect(h.service.hearsSessionEnds).toBe(false);
    h.end();
    expect((await h.check('s1'))?.active).toBe(false);
    expect((await h.check('s2'))?.active).toBe(false);
    expect(h.reads).toHaveLength(0); // each was read (SESSION_CACHE_MS 0: nothing cached)
  });

  it('SESSION_CACHE_LISTENING_MS=0 never listens', async () => {
    const h = harness({ sessionCacheMs: 1000, sessionCacheListeningMs: 0 });
    await h.check();
    expect(h.handlers()).toBeUndefined();
  });
});
