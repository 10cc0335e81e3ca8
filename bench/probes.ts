import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const clockTicksPerSecond = 100;

/** User + system CPU time a process has used so far, in ms (from /proc, 10 ms resolution). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return Math.round(Number(line?.[1] ?? 0) / 1024);
}

/**
 * From the server's /metrics: SQL statements sent so far (the count of its `db.query.duration`
 * histogram) and milliseconds spent in garbage collection (Node's GC histogram, all kinds).
 */
export async function serverCounters(baseUrl: string, headers: Record<string, string>): Promise<{ sql: number; gcMs: number }> {
  const rows = (await (await fetch(`${baseUrl}/metrics`, { headers })).text()).split('\n');
  const sqlLine = rows.find((row) => /^servio_db_query_duration_seconds_count(\{\})? /.test(row));
  if (!sqlLine) throw new Error("the server's /metrics has no servio_db_query_duration_seconds_count");
  const gcSeconds = rows
    .filter((row) => row.startsWith('servio_nodejs_gc_duration_seconds_sum'))
    .map((row) => Number(row.split(' ').at(-1)));
  if (gcSeconds.length === 0) throw new Error("the server's /metrics has no servio_nodejs_gc_duration_seconds_sum");
  return { sql: Number(sqlLine.split(' ').at(-1)), gcMs: gcSeconds.reduce((sum, value) => sum + value, 0) * 1000 };
}

/** Commands the private Redis has executed so far (INFO commandstats), not counting the INFO calls themselves. */
export async function redisCommands(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_(\w+(?:\|\w+)?):calls=(\d+)/gm)) {
    if (match[1] !== 'info') total += Number(match[2]);
  }
  return total;
}
