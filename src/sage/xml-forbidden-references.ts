/**
 * Zynk's own Sage customer exports can carry character references to characters XML 1.0 forbids
 * (`&#x0;` at the end of a memo, from Sage's fixed-width fields). A conforming parser refuses the
 * whole file for one such reference, so they are dropped from the text as it streams past, each
 * reported with its line so the reader can name the record it came from. References inside CDATA
 * sections, comments and processing instructions are text, not references, and are left alone.
 */

export interface DroppedReference {
  /** 1-based line of the reference, as the XML parser counts lines. */
  line: number;
  /** The reference as written, e.g. "&#x0;". */
  reference: string;
}

type State = 'text' | 'comment' | 'cdata' | 'pi';
const END: Record<Exclude<State, 'text'>, string> = { comment: '-->', cdata: ']]>', pi: '?>' };
// A numeric character reference, or the start of a section whose content is not markup.
const TOKEN = /&#(x[0-9a-fA-F]+|[0-9]+);|<!--|<!\[CDATA\[|<\?/g;
// Text held back at the end of a chunk so a reference or a section marker split across chunks is
// seen whole. A reference longer than this (dozens of leading zeros) is passed on as it is.
const HOLD = 40;

/** XML 1.0's Char production: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. */
export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Passes XML text through, without the character references XML 1.0 forbids; `onDrop` hears of each. */
export async function* dropForbiddenReferences(
  source: AsyncIterable<string>,
  onDrop: (dropped: DroppedReference) => void,
): AsyncGenerator<string> {
  let state: State = 'text';
  let carry = '';
  let line = 1;

  const pass = (text: string, final: boolean): string => {
    const safeEnd = final ? text.length : Math.max(0, text.length - HOLD);
    let out = '';
    let i = 0;
    const emit = (piece: string) => {
      out += piece;
      line += countLines(piece);
    };
    while (i < safeEnd) {
      if (state !== 'text') {
        const end = text.indexOf(END[state], i);
        if (end < 0 || end >= safeEnd) {
          // The end marker, if it is in the held-back tail, is found again with the next chunk.
          emit(text.slice(i, safeEnd));
          i = safeEnd;
          break;
        }
        emit(text.slice(i, end + END[state].length));
        i = end + END[state].length;
        state = 'text';
        continue;
      }
      TOKEN.lastIndex = i;
      const match = TOKEN.exec(text);
      if (!match || match.index >= safeEnd) {
        emit(text.slice(i, safeEnd));
        i = safeEnd;
        break;
      }
      emit(text.slice(i, match.index));
      const [whole, number] = match;
      if (number === undefined) {
        emit(whole);
        state = whole === '<!--' ? 'comment' : whole === '<?' ? 'pi' : 'cdata';
      } else {
        const code = number[0] === 'x' ? parseInt(number.slice(1), 16) : parseInt(number, 10);
        if (isXmlChar(code)) emit(whole);
        else onDrop({ line, reference: whole });
      }
      i = match.index + whole.length;
    }
    carry = text.slice(i);
    return out;
  };

  for await (const chunk of source) {
    const out = pass(carry + chunk, false);
    if (out) yield out;
  }
  const rest = pass(carry, true);
  if (rest) yield rest;
}
