import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Metrics } from './metrics.js';
import { createRedisBreaker, redisBreakerPolicy } from './redis-breaker.js';

/** A command in flight: its reply promise, settled by the test as Redis would. */
function aCommand() {
  let settle = { reply: (_value: string) => {}, timeOut: () => {}, fail: (_error: Error) => {} };
  const promise = new Promise<string>((resolve, reject) => {
    settle = { reply: resolve, timeOut: () => reject(new Error('Command timed out')), fail: reject };
  });
  return { promise, ...settle };
}

function aBreaker() {
  const transitions: string[] = [];
  let readGauge = () => Number.NaN as unknown;
  const metrics = {
    increment: (_name: string, _value: number, labels: { state: string }) => transitions.push(labels.state),
    gauge: (_name: string, read: () => unknown) => {
      readGauge = read;
    },
  } as unknown as Metrics;
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
  const breaker = createRedisBreaker({ metrics, logger });
  /** Sends `count` commands and times them all out. */
  const timeOut = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const command = aCommand();
      expect(breaker.admit(command.promise)).toBe(true);
      command.timeOut();
    }
    await vi.advanceTimersByTimeAsync(0);
  };
  return { breaker, transitions, warnings, gauge: () => readGauge(), timeOut };
}

describe('the Redis breaker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens after a few time-outs within the window, and then refuses every command at once', async () => {
    const { breaker, transitions, warnings, gauge, timeOut } = aBreaker();
    await timeOut(redisBreakerPolicy.timeouts - 1);
    expect(breaker.state).toBe('closed');

    await timeOut(1);
    expect(breaker.state).toBe('open');
    expect(gauge()).toBe(2);
    expect(breaker.admit(aCommand().promise)).toBe(false);
    expect(transitions).toEqual(['open']);
    expect(warnings).toEqual([expect.stringContaining('Redis breaker is open')]);
  });

  it('stays closed when the time-outs are spread out, or Redis answers other commands', async () => {
    const { breaker, timeOut } = aBreaker();
    for (let i = 0; i < 5; i++) {
      await timeOut(redisBreakerPolicy.timeouts - 1);
      await vi.advanceTimersByTimeAsync(redisBreakerPolicy.windowMs);
    }
    const answered = aCommand();
    breaker.admit(answered.promise);
    answered.fail(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'));
    await vi.advanceTimersByTimeAsync(0);
    expect(breaker.state).toBe('closed');
  });

  it('lets one probe through after the open period, or one pipeline whole; a reply closes it', async () => {
    const { breaker, transitions, warnings, gauge, timeOut } = aBreaker();
    await timeOut(redisBreakerPolicy.timeouts);
    await vi.advanceTimersByTimeAsync(redisBreakerPolicy.openMs);
    expect(breaker.state).toBe('half_open');
    expect(gauge()).toBe(1);

    const pipeline = {};
    const [multi, incr] = [aCommand(), aCommand()];
    expect(breaker.admit(multi.promise, pipeline)).toBe(true);
    expect(breaker.admit(incr.promise, pipeline)).toBe(true);
    expect(breaker.admit(aCommand().promise)).toBe(false);
    expect(breaker.admit(aCommand().promise, {})).toBe(false);

    multi.reply('OK');
    await vi.advanceTimersByTimeAsync(0);
    expect(breaker.state).toBe('closed');
    expect(gauge()).toBe(0);
    expect(breaker.admit(aCommand().promise)).toBe(true);
    expect(transitions).toEqual(['open', 'half_open', 'closed']);
    expect(warnings).toEqual([expect.stringContaining('Redis breaker is open'), expect.stringContaining('Redis breaker is closed')]);
  });

  it('opens again when the probe times out, without warning again', async () => {
    const { breaker, transitions, warnings, timeOut } = aBreaker();
    await timeOut(redisBreakerPolicy.timeouts);
    await vi.advanceTimersByTimeAsync(redisBreakerPolicy.openMs);

    await timeOut(1);
    expect(breaker.state).toBe('open');
    expect(breaker.admit(aCommand().promise)).toBe(false);
    expect(transitions).toEqual(['open', 'half_open', 'open']);
    expect(warnings).toHaveLength(1);
  });
});
