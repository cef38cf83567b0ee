/**
 * A small parser for Well-Known Text CRS strings (WKT1 in its OGC and ESRI flavours, and WKT2), into a
 * plain tree. It knows nothing about CRSs: prj.ts reads meaning out of the tree.
 *
 *   PROJCS["name", GEOGCS[...], PROJECTION["Gauss_Kruger"], PARAMETER["False_Easting", 500000], ...]
 *   → { keyword: 'PROJCS', args: ['name', {keyword: 'GEOGCS', …}, {keyword: 'PROJECTION', args: ['Gauss_Kruger']}, …] }
 */

export interface WktNode {
  /** Upper-cased keyword, e.g. PROJCS, GEOGCRS, SPHEROID. */
  keyword: string;
  args: WktValue[];
}

export type WktValue = string | number | WktNode | { enum: string };

const OPEN = new Set(['[', '(']);
const CLOSE = new Set([']', ')']);

/** Parse a WKT string; returns null when it is not well formed (the caller reports the text). */
export function parseWkt(text: string): WktNode | null {
  const state = { s: text.trim(), i: 0 };
  try {
    const node = readNode(state);
    skipSpace(state);
    return state.i === state.s.length ? node : null;
  } catch {
    return null;
  }
}

interface State { s: string; i: number }

function skipSpace(st: State): void {
  while (st.i < st.s.length && /\s/.test(st.s[st.i])) st.i++;
}

function readWord(st: State): string {
  skipSpace(st);
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(st.s.slice(st.i, st.i + 64));
  if (!m) throw new Error(`WKT: keyword expected at ${st.i}`);
  st.i += m[0].length;
  return m[0];
}

function readNode(st: State): WktNode {
  const keyword = readWord(st).toUpperCase();
  skipSpace(st);
  if (!OPEN.has(st.s[st.i])) throw new Error(`WKT: '[' expected after ${keyword}`);
  st.i++;
  const args: WktValue[] = [];
  for (;;) {
    skipSpace(st);
    if (CLOSE.has(st.s[st.i])) {
      st.i++;
      return { keyword, args };
    }
    if (args.length > 0) {
      if (st.s[st.i] !== ',') throw new Error(`WKT: ',' expected at ${st.i}`);
      st.i++;
      skipSpace(st);
    }
    args.push(readValue(st));
  }
}

function readValue(st: State): WktValue {
  const c = st.s[st.i];
  if (c === '"') return readString(st);
  if (c !== undefined && /[-+.\d]/.test(c)) return readNumber(st);
  const save = st.i;
  const word = readWord(st);
  skipSpace(st);
  if (OPEN.has(st.s[st.i])) {
    st.i = save;
    return readNode(st);
  }
  return { enum: word };
}

/** Quoted string; WKT2 escapes a quote by doubling it. */
function readString(st: State): string {
  let out = '';
  st.i++;
  for (;;) {
    const j = st.s.indexOf('"', st.i);
    if (j < 0) throw new Error('WKT: unterminated string');
    out += st.s.slice(st.i, j);
    st.i = j + 1;
    if (st.s[st.i] !== '"') return out;
    out += '"';
    st.i++;
  }
}

function readNumber(st: State): number {
  const m = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(st.s.slice(st.i, st.i + 64));
  if (!m) throw new Error(`WKT: number expected at ${st.i}`);
  st.i += m[0].length;
  return Number(m[0]);
}

/** Child nodes of `node` with one of the keywords. */
export function children(node: WktNode, ...keywords: string[]): WktNode[] {
  return node.args.filter((a): a is WktNode => typeof a === 'object' && 'keyword' in a && keywords.includes(a.keyword));
}

export function child(node: WktNode, ...keywords: string[]): WktNode | undefined {
  return children(node, ...keywords)[0];
}

/** The node's name: its first argument when that is a string. */
export function nameOf(node: WktNode | undefined): string {
  const first = node?.args[0];
  return typeof first === 'string' ? first : '';
}

/** The numeric arguments of a node, in order. */
export function numbersOf(node: WktNode | undefined): number[] {
  return (node?.args ?? []).filter((a): a is number => typeof a === 'number');
}
