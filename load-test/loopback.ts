/**
 * Load tests only ever target this machine: a mistyped or copied URL must not point a flood of
 * requests at someone else's server.
 */
const loopbackRoot = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

export function isLoopbackUrl(url: string): boolean {
  return loopbackRoot.test(url);
}

/** The server's root from what an operator types: `http://127.0.0.1:4000`, `…/` or `…/graphql`. */
export function serverRoot(url: string): string {
  return url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/graphql$/, '');
}

/** For the command-line scripts: the server root of `url`, or prints why and exits 1 unless it is loopback. */
export function exitUnlessLoopback(url: string): string {
  const root = serverRoot(url);
  if (isLoopbackUrl(root)) return root;
  console.error(
    `Refusing to load-test ${url}: only loopback addresses are allowed (e.g. http://127.0.0.1:4000 or http://127.0.0.1:4000/graphql).`,
  );
  process.exit(1);
}
