import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { element, type XmlNode } from '../../src/sage/xml-writer.ts';
import type { XmlContent } from './createcb-writer.ts';

/**
 * The same content written by the product's hand-made writer (src/sage/xml-writer.ts), so that a
 * content tree made for the candidate can be compared with what the product writes.
 */
export function renderByProductWriter(name: string, content: XmlContent): string {
  const root = element(name);
  fillNode(root, content);
  return root.end();
}

function fillNode(node: XmlNode, content: XmlContent): void {
  if (typeof content === 'string') {
    node.text(content);
    return;
  }
  content({ add: (child, inner) => fillNode(node.ele(child), inner) });
}

/**
 * For comparison only: xmlbuilder2's document tree (`create()` … `end()`), the way issue 15 asked
 * not to write it. Its serializer leaves any `&` that looks like a reference ("&x;", "&#1;") as it
 * is, so every `&` is escaped first here (as src/sage/xml-text.ts `plainText` does).
 */
export function renderByTree(name: string, content: XmlContent): string {
  const root = create().ele(name);
  fillTree(root, content);
  return root.end({ headless: true, prettyPrint: true });
}

function fillTree(node: XMLBuilder, content: XmlContent): void {
  if (typeof content === 'string') {
    if (content) node.txt(content.replace(/&/g, '&amp;'));
    return;
  }
  content({ add: (child, inner) => fillTree(node.ele(child), inner) });
}
