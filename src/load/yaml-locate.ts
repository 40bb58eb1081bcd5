/**
 * Exact positions for JSON pointers in a YAML document, computed on demand from
 * js-yaml's event stream (offsets into the source). Only documents that carry a
 * finding ever pay for this.
 */
import { EVENT_ID, getScalarValue, parseEvents } from 'js-yaml';
import { locateInBlockYaml } from './yaml-block-locate.js';
import { escapeRegExp } from '../core/regexp.js';

type Event = ReturnType<typeof parseEvents>[number];

/** Index just past the node that starts at `i`. */
function skipNode(events: Event[], i: number): number {
  const e = events[i];
  if (!e) return i + 1;
  if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
    let depth = 1;
    let j = i + 1;
    while (j < events.length && depth > 0) {
      const t = (events[j] as Event).type;
      if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) depth++;
      else if (t === EVENT_ID.POP) depth--;
      j++;
    }
    return j;
  }
  return i + 1;
}

function nodeOffset(text: string, e: Event | undefined): number {
  if (!e) return -1;
  if (e.type === EVENT_ID.SCALAR) {
    // A quoted scalar (key or item) starts at its opening quote (the event gives the text after it).
    const q = text.charCodeAt(e.valueStart - 1);
    return e.valueStart > 0 && (q === 34 || q === 39) ? e.valueStart - 1 : e.valueStart;
  }
  if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) return e.start;
  if (e.type === EVENT_ID.ALIAS) return e.anchorStart - 1;
  return -1;
}

/**
 * Offset (into `text`) of the deepest node along `segments`: for a mapping member, the
 * offset of its key; for a sequence item, the item. Missing members resolve to their
 * nearest existing ancestor.
 */
let lastText: string | undefined;
let lastEvents: Event[] | undefined;

/** Events of a document; the last one is kept, since a document's findings are located together. */
function eventsOf(text: string): Event[] | undefined {
  if (text === lastText) return lastEvents;
  let events: Event[] | undefined;
  try {
    events = parseEvents(text, { maxDepth: 1000 });
  } catch {
    // js-yaml 5's event parser refuses some tabs the loaders accept (`{a:<TAB>1}`): the same
    // text with spaces for tabs has the same offsets.
    try {
      events = text.includes('\t') ? parseEvents(text.replaceAll('\t', ' '), { maxDepth: 1000 }) : undefined;
    } catch {
      events = undefined;
    }
  }
  lastText = text;
  lastEvents = events;
  return events;
}

export function locateInYaml(text: string, segments: readonly string[]): number {
  const fast = locateInBlockYaml(text, segments);
  if (fast >= 0) return fast;
  return eventsOf(text) ? locateWithEvents(text, segments) : locateByKeys(text, segments);
}

/**
 * Last resort, for text js-yaml 5's event parser refuses but the loaders read (a flow
 * collection closed at its parent's indentation, as go-yaml accepts): each key of the path
 * searched for after the previous one, a sequence's first item stepped over, and the search
 * stopped at any later item (its ancestor is then the answer) or a key not found.
 */
function locateByKeys(text: string, segments: readonly string[]): number {
  let best = 0;
  let from = 0;
  for (const seg of segments) {
    if (/^\d+$/.test(seg)) {
      if (seg !== '0') break;
      continue;
    }
    const re = new RegExp(`(^|[\\s{,])(["']?)${escapeRegExp(seg)}\\2\\s*:`, 'g');
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m) break;
    best = m.index + (m[1] ?? '').length;
    from = re.lastIndex;
  }
  return best;
}

/** The exact locator: js-yaml's event stream for the document. */
export function locateWithEvents(text: string, segments: readonly string[]): number {
  const events = eventsOf(text);
  if (!events) return 0;
  // events[0] is the DOCUMENT; the root node follows.
  let i = events.findIndex((e) => e.type !== EVENT_ID.DOCUMENT);
  if (i < 0) return 0;
  let best = Math.max(0, nodeOffset(text, events[i]));
  for (const seg of segments) {
    const node = events[i];
    if (!node) break;
    if (node.type === EVENT_ID.MAPPING) {
      let j = i + 1;
      let found = -1;
      while (j < events.length && (events[j] as Event).type !== EVENT_ID.POP) {
        const key = events[j] as Event;
        if (key.type === EVENT_ID.SCALAR && getScalarValue(text, key) === seg) {
          // A quoted key is pointed at by its opening quote, as any scalar.
          best = nodeOffset(text, key);
          found = j + 1;
          break;
        }
        j = skipNode(events, skipNode(events, j));
      }
      if (found < 0) break;
      i = found;
    } else if (node.type === EVENT_ID.SEQUENCE) {
      const idx = Number(seg);
      if (!Number.isInteger(idx) || idx < 0) break;
      let j = i + 1;
      let k = 0;
      while (k < idx && j < events.length && (events[j] as Event).type !== EVENT_ID.POP) {
        j = skipNode(events, j);
        k++;
      }
      const item = events[j];
      if (!item || item.type === EVENT_ID.POP) break;
      // An empty item (`-` alone) has no offset of its own: its sequence's stands.
      const at = nodeOffset(text, item);
      if (at >= 0) best = at;
      i = j;
    } else {
      break;
    }
  }
  return best;
}
