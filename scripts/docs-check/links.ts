import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type Doc, readDoc } from './markdown.js';
import { at, type Problem } from './problem.js';

/** Every relative link (and `#anchor`) resolves to a file (and a heading) in the repository. */
export function checkLinks(root: string, docs: Doc[]): Problem[] {
  const problems: Problem[] = [];
  const headingsOf = new Map(docs.map((doc) => [doc.path, doc.headings]));
  for (const doc of docs) {
    for (const link of doc.links) {
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(link.url)) continue;
      const [path = '', anchor] = link.url.split('#');
      const target = path === '' ? doc.path : join(dirname(doc.path), decodeURIComponent(path));
      if (relative(root, resolve(root, target)).startsWith('..')) {
        problems.push({ where: at(link), message: `link \`${link.url}\` points outside the repository` });
        continue;
      }
      if (!existsSync(resolve(root, target))) {
        problems.push({ where: at(link), message: `link \`${link.url}\` does not resolve: ${target} does not exist` });
        continue;
      }
      if (anchor && target.endsWith('.md')) {
        const headings = headingsOf.get(target) ?? readDoc(root, target).headings;
        if (!headings.includes(anchor))
          problems.push({ where: at(link), message: `link \`${link.url}\`: ${target} has no heading #${anchor}` });
      }
    }
  }
  return problems;
}
