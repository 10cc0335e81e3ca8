/**
 * Load tests only ever target this machine: a mistyped or copied URL must not point a flood of
 * requests at someone else's server. The URL is the server's root, without a path.
 */
const loopbackRoot = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

export function isLoopbackUrl(url: string): boolean {
  return loopbackRoot.test(url);
}

/** For the command-line scripts: prints why and exits 1 unless `url` is a loopback server root. */
export function exitUnlessLoopback(url: string): void {
  if (isLoopbackUrl(url)) return;
  console.error(`Refusing to load-test ${url}: only loopback addresses are allowed.`);
  process.exit(1);
}
