/**
 * Splits a YAML stream into documents at `---` / `...` marker lines. YAML forbids these
 * markers at the start of a line inside any scalar, so the split is exact, and it lets a
 * malformed document be reported while its neighbours still load.
 */

export interface YamlDocumentText {
  /** The document's own text (marker line excluded). */
  text: string;
  /** Offset of `text` in the whole stream. */
  offset: number;
  /** 0-based line of `text`'s first character in the stream. */
  lineOffset: number;
  /** Index of the document in the stream. */
  index: number;
}

const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/;
const CONTENT_LINE = /^[ \t]*[^#%\s]/m;

export function splitYamlDocuments(source: string): YamlDocumentText[] {
  const docs: YamlDocumentText[] = [];
  let docStart = 0;
  let docStartLine = 0;
  let pendingDirectives: { offset: number; line: number } | undefined;
  let line = 0;
  let pos = 0;
  const n = source.length;
  const push = (end: number): void => {
    const text = source.slice(docStart, end);
    // Nearly every document has a line that is neither blank, a comment nor a directive.
    if (CONTENT_LINE.test(text)) {
      docs.push({ text, offset: docStart, lineOffset: docStartLine, index: docs.length });
      return;
    }
    const content = text.replace(/(^|[ \t])#.*$/gm, '');
    if (!/[^\s]/.test(content)) return;
    if (/^(\s*%[^\n]*\n?|\s*\n)*\s*$/.test(content)) {
      // Directives only: they belong to the document that the next marker starts.
      pendingDirectives = { offset: docStart, line: docStartLine };
      return;
    }
    docs.push({ text, offset: docStart, lineOffset: docStartLine, index: docs.length });
  };
  while (pos < n) {
    let eol = source.indexOf('\n', pos);
    if (eol === -1) eol = n;
    const c = source.charCodeAt(pos);
    if ((c === 45 /* - */ || c === 46) /* . */ && MARKER.test(source.slice(pos, Math.min(pos + 4, n)))) {
      push(pos);
      if (c === 46) {
        docStart = eol + 1;
        docStartLine = line + 1;
      } else if (pendingDirectives) {
        // Keep `%YAML …\n---` together so the directive applies.
        docStart = pendingDirectives.offset;
        docStartLine = pendingDirectives.line;
        pendingDirectives = undefined;
      } else {
        // Content after `--- ` on the same line belongs to the next document.
        docStart = pos + 3;
        docStartLine = line;
      }
      pos = eol + 1;
      line++;
      continue;
    }
    pos = eol + 1;
    line++;
  }
  push(n);
  return docs;
}
