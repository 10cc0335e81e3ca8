import { globSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import GithubSlugger from 'github-slugger';
import type { Root, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString as textOf } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import { visitParents } from 'unist-util-visit-parents';

/** Where a name was found: `docs/runbook.md:42`. */
export interface Place {
  doc: string;
  line: number;
}

/** An inline code span (`like this`) with the text of its line, for context-sensitive names (alerts). */
export interface CodeSpan extends Place {
  text: string;
  /** The first header cell of the table the span sits in, lower case; '' outside tables. */
  tableHeader: string;
  /** True when the span is in the first column of a table row. */
  firstColumn: boolean;
  /** The text before the span in its paragraph or cell. */
  before: string;
}

export interface CodeBlock extends Place {
  lang: string;
  text: string;
}

export interface Link extends Place {
  url: string;
}

export interface Doc {
  /** Repository-relative path, e.g. `docs/runbook.md`. */
  path: string;
  spans: CodeSpan[];
  blocks: CodeBlock[];
  links: Link[];
  /** Heading slugs as GitHub makes them, for `#anchor` links. */
  headings: string[];
}

/** The handbook: README.md and every Markdown file under docs/, except the generated API reference. */
export const handbookGlobs = ['README.md', 'docs/**/*.md'];
export const generatedDocs = new Set(['docs/API.md']);

export function handbookPaths(root: string): string[] {
  return handbookGlobs
    .flatMap((pattern) => globSync(pattern, { cwd: root }))
    .map((path) => path.split('\\').join('/'))
    .filter((path) => !generatedDocs.has(path))
    .sort();
}

export function readDoc(root: string, path: string): Doc {
  return parseDoc(relative(root, resolve(root, path)), readFileSync(resolve(root, path), 'utf8'));
}

/** Parses Markdown (with GitHub tables) into the pieces the checks read. */
export function parseDoc(path: string, markdown: string): Doc {
  const tree: Root = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const doc: Doc = { path, spans: [], blocks: [], links: [], headings: [] };
  const slugger = new GithubSlugger();
  const line = (node: { position?: { start: { line: number } } }) => node.position?.start.line ?? 0;
  visitParents(tree, (node, ancestors) => {
    switch (node.type) {
      case 'inlineCode': {
        const table = ancestors.find((ancestor): ancestor is Table => ancestor.type === 'table');
        const cell = ancestors.findLast((ancestor) => ancestor.type === 'tableCell');
        const row = ancestors.findLast((ancestor) => ancestor.type === 'tableRow');
        const container = cell ?? ancestors.findLast((ancestor) => ancestor.type === 'paragraph' || ancestor.type === 'heading');
        doc.spans.push({
          doc: path,
          line: line(node),
          text: node.value,
          tableHeader: table?.children[0]?.children[0] ? textOf(table.children[0].children[0]).toLowerCase() : '',
          firstColumn: Boolean(row && cell && row.children[0] === cell),
          before: container ? textBefore(container as RootContent, node) : '',
        });
        break;
      }
      case 'code':
        doc.blocks.push({ doc: path, line: line(node), lang: (node.lang ?? '').toLowerCase(), text: node.value });
        break;
      case 'link':
      case 'definition':
        doc.links.push({ doc: path, line: line(node), url: node.url });
        break;
      case 'heading':
        doc.headings.push(slugger.slug(textOf(node)));
        break;
    }
  });
  return doc;
}

/** The plain text of `container` before `target`, so "Alert `p95_latency`" can be told from other spans. */
function textBefore(container: RootContent, target: RootContent): string {
  let text = '';
  let found = false;
  visitParents(container, (node) => {
    if (found) return false;
    if (node === target) {
      found = true;
      return false;
    }
    if (node.type === 'text' || node.type === 'inlineCode') text += node.value;
    return undefined;
  });
  return text;
}
