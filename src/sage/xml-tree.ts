import { SaxesParser } from 'saxes';

/** A parsed element: its local name (prefix dropped), attributes, child elements and direct text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlParseError';
  }
}

/**
 * Parses a whole XML document into a tree with saxes, which is well-formedness checking and never
 * resolves external entities (a DOCTYPE's entities are not expanded; an unknown entity is an error).
 */
export function parseXmlTree(xml: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let failure: Error | null = null;
  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      name: localName(tag.name),
      attributes: { ...(tag.attributes as Record<string, string>) },
      children: [],
      text: '',
    };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('cdata', (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  try {
    parser.write(xml).close();
  } catch (err) {
    failure ??= err as Error;
  }
  if (failure) throw new XmlParseError(`not well-formed XML: ${(failure as Error).message}`);
  if (!root) throw new XmlParseError('not well-formed XML: no root element');
  return root;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

export function childElement(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function childElements(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** The trimmed text of a child element, '' when absent. */
export function childText(element: XmlElement | undefined, name: string): string {
  return childElement(element, name)?.text.trim() ?? '';
}
