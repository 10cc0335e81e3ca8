import { setTimeout as sleep } from 'node:timers/promises';
import type { Stage } from '../scenarios.js';
import type { Recorder } from './recorder.js';

/** A virtual user: set up once (signed in), then runs iterations until the profile no longer needs it. */
export interface VirtualUser {
  iteration(): Promise<void>;
}

export interface StageMark {
  t: number;
  label: string;
}

export interface ExecutorOptions {
  stages: Stage[];
  thinkTimeMs: number;
  recorder: Recorder;
  /** Sets up the `index`-th user when the profile first needs it; a failure is retried after a pause. */
  startUser(index: number): Promise<VirtualUser>;
}

/** Virtual users wanted `elapsedS` into the profile: linear between stage ends, like k6's ramping-vus. */
export function usersAt(stages: Stage[], elapsedS: number): number {
  let from = 0;
  let start = 0;
  for (const { durationS, target } of stages) {
    if (elapsedS < start + durationS) return Math.round(from + ((target - from) * (elapsedS - start)) / durationS);
    from = target;
    start += durationS;
  }
  return from;
}

/** When each stage starts, for the charts. */
export function stageMarks(stages: Stage[]): StageMark[] {
  let t = 0;
  return stages.map(({ durationS, label }) => {
    const mark = { t, label };
    t += durationS;
    return mark;
  });
}

/**
 * Runs the stages: every 100 ms starts or parks virtual users to follow the profile. A parked user
 * finishes its iteration first (k6's graceful ramp-down) and keeps its sign-in for a later spike.
 * Resolves when the profile is over and every user has finished its last iteration.
 */
export async function runStages(options: ExecutorOptions): Promise<void> {
  const { stages, recorder, thinkTimeMs } = options;
  const totalS = stages.reduce((sum, entry) => sum + entry.durationS, 0);
  const started = recorder.elapsedS();
  const users: Array<Promise<VirtualUser> | undefined> = [];
  const loops = new Map<number, Promise<void>>();
  let wanted = 0;

  const think = () => sleep(thinkTimeMs * (0.5 + Math.random()));
  const loop = async (index: number) => {
    while (index < wanted) {
      try {
        users[index] ??= options.startUser(index);
        const user = await users[index];
        await user.iteration();
      } catch {
        users[index] = undefined; // failed sign-ins are recorded by the client; try again after a pause
        await sleep(Math.max(thinkTimeMs, 500));
        continue;
      }
      if (thinkTimeMs > 0) await think();
    }
  };

  for (let elapsed = 0; elapsed < totalS; elapsed = recorder.elapsedS() - started) {
    wanted = usersAt(stages, elapsed);
    for (let index = 0; index < wanted; index++) {
      if (!loops.has(index))
        loops.set(
          index,
          loop(index).finally(() => loops.delete(index)),
        );
    }
    recorder.setUsers(Math.min(wanted, loops.size));
    await sleep(100);
  }
  wanted = 0;
  recorder.setUsers(0);
  await Promise.all(loops.values());
}
