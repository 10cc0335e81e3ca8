/**
 * Preloaded (`--expose-gc --import`) into a server that `npm run load` starts: on the runner's
 * "gc" message it runs a full collection and answers with the heap left afterwards, the figure
 * a leak shows in. Never part of a normal start.
 */
process.on('message', (message) => {
  if (message !== 'gc') return;
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  process.send?.({ heapUsed, rss });
});
// The IPC channel must not keep the server alive after its own shutdown.
process.channel?.unref();
