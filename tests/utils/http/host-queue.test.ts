import { describe, expect, it } from 'vitest';
import { createHostLimiter } from '@/utils/http/host-queue';

/** A task whose start is recorded and whose end the test decides. */
function controllableTask(log: string[], name: string) {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return {
    task: () => {
      log.push(name);
      return done;
    },
    finish: () => finish(name),
    fail: (error: Error) => fail(error),
  };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createHostLimiter', () => {
  it('runs at most `concurrency` tasks at once across hosts', async () => {
    const limiter = createHostLimiter({ concurrency: 2 });
    const started: string[] = [];
    const tasks = ['a', 'b', 'c'].map((host) => controllableTask(started, host));

    const results = tasks.map((t, i) => limiter.run(`https://${'abc'[i]}.example/feed`, t.task));
    await settle();
    expect(started).toEqual(['a', 'b']);

    tasks[0]?.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);

    tasks[1]?.finish();
    tasks[2]?.finish();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c']);
  });

  it('defaults to four at once', async () => {
    const limiter = createHostLimiter();
    const started: string[] = [];
    const tasks = Array.from({ length: 6 }, (_, i) => controllableTask(started, `h${i}`));

    tasks.forEach((t, i) => void limiter.run(`https://h${i}.example/feed`, t.task));
    await settle();

    expect(started).toEqual(['h0', 'h1', 'h2', 'h3']);
  });

  it('runs one task at a time per host, in order', async () => {
    const limiter = createHostLimiter({ concurrency: 4 });
    const started: string[] = [];
    const first = controllableTask(started, 'first');
    const second = controllableTask(started, 'second');

    void limiter.run('https://www.reddit.com/r/a/.rss', first.task);
    const secondResult = limiter.run('https://www.reddit.com/r/b/.rss', second.task);
    await settle();
    expect(started).toEqual(['first']);

    first.finish();
    await settle();
    expect(started).toEqual(['first', 'second']);
    second.finish();
    await expect(secondResult).resolves.toBe('second');
  });

  it('treats the same hostname on another port as the same host', async () => {
    const limiter = createHostLimiter();
    const started: string[] = [];

    void limiter.run('http://127.0.0.1:8001/a', controllableTask(started, 'a').task);
    void limiter.run('http://127.0.0.1:8002/b', controllableTask(started, 'b').task);
    await settle();

    expect(started).toEqual(['a']);
  });

  it('lets a task for an idle host go ahead of one waiting for a busy host', async () => {
    const limiter = createHostLimiter({ concurrency: 2 });
    const started: string[] = [];

    void limiter.run('https://a.example/1', controllableTask(started, 'a1').task);
    void limiter.run('https://a.example/2', controllableTask(started, 'a2').task);
    void limiter.run('https://b.example/1', controllableTask(started, 'b1').task);
    await settle();

    expect(started).toEqual(['a1', 'b1']);
  });

  it('passes on a rejection and frees the slot', async () => {
    const limiter = createHostLimiter({ concurrency: 1 });
    const started: string[] = [];
    const failing = controllableTask(started, 'failing');
    const next = controllableTask(started, 'next');

    const failed = limiter.run('https://a.example/feed', failing.task);
    const nextResult = limiter.run('https://b.example/feed', next.task);
    failing.fail(new Error('boom'));

    await expect(failed).rejects.toThrow('boom');
    await settle();
    expect(started).toEqual(['failing', 'next']);
    next.finish();
    await expect(nextResult).resolves.toBe('next');
  });

  it('turns a task that throws synchronously into a rejection and frees the slot', async () => {
    const limiter = createHostLimiter({ concurrency: 1 });

    const thrown = limiter.run('https://a.example/feed', () => {
      throw new Error('sync');
    });

    await expect(thrown).rejects.toThrow('sync');
    await expect(limiter.run('https://a.example/feed', async () => 'after')).resolves.toBe('after');
  });

  it('still runs a task for an unparseable URL', async () => {
    const limiter = createHostLimiter();

    await expect(limiter.run('not a url', async () => 'ran')).resolves.toBe('ran');
  });

  it.each([0, -1, 1.5, Number.NaN])('throws a RangeError for concurrency %s', (concurrency) => {
    expect(() => createHostLimiter({ concurrency })).toThrow(RangeError);
  });
});
