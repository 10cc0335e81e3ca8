/**
 * `tsx bench/profile-summary.ts <dir | file.cpuprofile> [top]`: where a V8 CPU profile (from
 * `npm run bench -- --profile <dir>`) spent its busy time: self time by package and by function.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [target = '.', topArgument = '25'] = process.argv.slice(2);
const file = statSync(target).isDirectory()
  ? join(
      target,
      readdirSync(target)
        .filter((name) => name.endsWith('.cpuprofile'))
        .sort((a, b) => statSync(join(target, b)).mtimeMs - statSync(join(target, a)).mtimeMs)[0] ?? '',
    )
  : target;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

/** node_modules/<package> (scoped too), the server's own files, Node's internals, or V8's pseudo-frames. */
function owner({ url, functionName }: ProfileNode['callFrame']): string {
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1] as string;
  if (url.includes('/dist/') || url.includes('/src/')) return 'servio';
  if (url.startsWith('node:')) return 'node';
  return url === '' ? functionName || '(native)' : url;
}

const selfMs = { byOwner: new Map<string, number>(), byFunction: new Map<string, number>() };
let busyMs = 0;
profile.samples.forEach((id, index) => {
  const node = byId.get(id);
  const ms = (profile.timeDeltas[index] ?? 0) / 1000;
  if (!node || node.callFrame.functionName === '(idle)') return;
  busyMs += ms;
  const frame = node.callFrame;
  const where = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`;
  selfMs.byOwner.set(owner(frame), (selfMs.byOwner.get(owner(frame)) ?? 0) + ms);
  selfMs.byFunction.set(where, (selfMs.byFunction.get(where) ?? 0) + ms);
});

const top = Number(topArgument);
const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, ms] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((ms / busyMs) * 100).toFixed(1).padStart(5)} %  ${name}`);
};
console.log(`${file}: ${Math.round(busyMs)} ms busy`);
print('self time by package', selfMs.byOwner);
print('self time by function', selfMs.byFunction);
