import { childText, parseXmlTree, XmlParseError } from './xml-tree.ts';

/** The element each kind of export job holds. */
const ROOT_OF: Record<string, string> = { customer: 'Customer', sales_order: 'SalesOrder', credit_note: 'Invoice' };

/**
 * Checks a queued document just before it is written into a batch: well-formed XML (no external
 * entities are resolved), the element its kind calls for, and the Id the importer de-duplicates on.
 * A document that fails would make the importer reject the whole file, so it fails on its own
 * instead. Returns what is wrong, or null.
 */
export function checkDocument(job: { kind: string; documentId: string | null; document: string }): string | null {
  const expected = ROOT_OF[job.kind];
  if (!expected) return `unknown document kind "${job.kind}"`;
  let root;
  try {
    root = parseXmlTree(job.document);
  } catch (err) {
    if (err instanceof XmlParseError) return `the ${expected} document is ${err.message}`;
    throw err;
  }
  if (root.name !== expected) return `the document is a <${root.name}>, expected <${expected}>`;
  const id = childText(root, 'Id');
  if (!id) return `the ${expected} document has no Id`;
  if (job.documentId !== null && id !== job.documentId) return `the ${expected} document's Id "${id}" is not "${job.documentId}"`;
  return null;
}
