/** Debian control / apk database style paragraphs. */

/** Splits RFC-822-like text into paragraphs of `Field: value` (continuation lines start with a space or tab). */
export function parseControlParagraphs(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  let cur: Record<string, string> = {};
  let last: string | undefined;
  let any = false;
  for (const line of text.split('\n')) {
    const l = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (l.trim() === '') {
      if (any) out.push(cur);
      cur = {};
      last = undefined;
      any = false;
      continue;
    }
    if ((l.startsWith(' ') || l.startsWith('\t')) && last !== undefined) {
      cur[last] += `\n${l.slice(1)}`;
      continue;
    }
    const i = l.indexOf(':');
    if (i <= 0) continue;
    last = l.slice(0, i);
    cur[last] = l.slice(i + 1).trim();
    any = true;
  }
  if (any) out.push(cur);
  return out;
}
