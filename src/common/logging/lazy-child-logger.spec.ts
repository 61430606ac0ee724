import { Writable } from 'node:stream';
import { describe, expect, it, jest } from '@jest/globals';
import { lazyChildLogger } from './lazy-child-logger.js';
import { createRootLogger } from './logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { root: createRootLogger(level, stream), lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the per-request logger is made when it first logs', () => {
  it('below the level nothing is made or written; the first line made the child, with reqId', async () => {
    const { root, lines } = capture('warn');
    const child = jest.spyOn(root, 'child');
    const log = lazyChildLogger(root, { reqId: 'r-1' }, {});
    log.info('incoming request');
    log.debug('detail');
    expect(child).not.toHaveBeenCalled();
    log.error({ password: 'hunter2' }, 'boom');
    log.warn('again');
    await flush();
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        reqId: 'r-1',
        msg: 'boom',
        password: '[redacted]',
      }),
      expect.objectContaining({ level: 'warn', reqId: 'r-1', msg: 'again' }),
    ]);
    expect(log.level).toBe('warn');
    expect(log.isLevelEnabled('info')).toBe(false);
  });

  it("requests' loggers made from one parent keep their own ids and children", async () => {
    const { root, lines } = capture('info');
    const child = jest.spyOn(root, 'child');
    const first = lazyChildLogger(root, { reqId: 'r-a' }, {});
    const second = lazyChildLogger(root, { reqId: 'r-b' }, {});
    second.info('from b');
    first.info('from a');
    second.warn('b again');
    await flush();
    expect(child).toHaveBeenCalledTimes(2);
    expect(lines.map((l) => [l.reqId, l.msg])).toEqual([
      ['r-b', 'from b'],
      ['r-a', 'from a'],
      ['r-b', 'b again'],
    ]);
    expect(first.bindings()).toEqual(expect.objectContaining({ reqId: 'r-a' }));
    expect(second.bindings()).toEqual(expect.objectContaining({ reqId: 'r-b' }));
  });

  it("a child of it and its bindings carry the request's id", async () => {
    const { root, lines } = capture('info');
    const log = lazyChildLogger(root, { reqId: 'r-2' }, {});
    expect(log.bindings()).toEqual(expect.objectContaining({ reqId: 'r-2' }));
    log.child({ job: 'x' }).info('from the child');
    await flush();
    expect(lines).toEqual([
      expect.objectContaining({ reqId: 'r-2', job: 'x', msg: 'from the child' }),
    ]);
  });

  it("a route's own level is the child's: made at once", async () => {
    const { root, lines } = capture('warn');
    const log = lazyChildLogger(root, { reqId: 'r-3' }, { level: 'debug' });
    log.debug('route debug');
    await flush();
    expect(lines).toEqual([expect.objectContaining({ level: 'debug', reqId: 'r-3' })]);
  });
});
