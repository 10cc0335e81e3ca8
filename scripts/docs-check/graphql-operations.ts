import { GraphQLError, Kind, parse, validate } from 'graphql';
import type { CodeFacts } from './code-facts.js';
import type { Doc } from './markdown.js';
import { at, type Problem } from './problem.js';

export interface DocOperation {
  doc: string;
  line: number;
  text: string;
}

/**
 * The GraphQL operations a document quotes: ```graphql blocks, and gql`…` / graphql(`…`) templates in
 * TypeScript/JavaScript examples. Blocks holding only type definitions (SDL) are not operations.
 */
export function operationsIn(doc: Doc): DocOperation[] {
  const operations: DocOperation[] = [];
  for (const block of doc.blocks) {
    if (block.lang === 'graphql' || block.lang === 'gql') {
      operations.push({ doc: doc.path, line: block.line + 1, text: block.text });
    } else if (['ts', 'typescript', 'js', 'javascript', 'tsx'].includes(block.lang)) {
      for (const match of block.text.matchAll(/(?:gql|graphql)\(?\s*`([^`]*)`/g)) {
        const offset = block.text.slice(0, match.index).split('\n').length;
        operations.push({ doc: doc.path, line: block.line + offset, text: match[1] as string });
      }
    }
  }
  return operations.filter(
    (operation) => !/^\s*(extend\s+)?(type|schema|directive|scalar|enum|input|interface|union)\b/m.test(operation.text),
  );
}

/** Every quoted operation parses and validates against the server's schema. */
export function checkGraphqlOperations(docs: Doc[], facts: CodeFacts): Problem[] {
  const problems: Problem[] = [];
  for (const doc of docs) {
    for (const operation of operationsIn(doc)) {
      try {
        const document = parse(operation.text);
        if (!document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION)) continue;
        for (const error of validate(facts.schema, document)) problems.push(problemAt(operation, error));
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        problems.push(problemAt(operation, error));
      }
    }
  }
  return problems;
}

function problemAt(operation: DocOperation, error: GraphQLError): Problem {
  const line = operation.line + (error.locations?.[0]?.line ?? 1) - 1;
  return { where: at({ doc: operation.doc, line }), message: `GraphQL operation does not validate against the schema: ${error.message}` };
}
