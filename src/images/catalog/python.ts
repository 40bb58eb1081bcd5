/** Python: installed distributions' `*.dist-info/METADATA` and `*.egg-info/PKG-INFO` (or an `*.egg-info` file). */
import type { Package } from '../types.js';
import { purl } from './purl.js';

export function isPythonMetadata(p: string): boolean {
  return /\.dist-info\/METADATA$/.test(p) || /\.egg-info\/PKG-INFO$/.test(p) || /\.egg-info$/.test(p);
}

/** PEP 503 normalised name. */
export function normalizePyName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export function catalogPythonMetadata(text: string, location: { layer: string; path: string }): Package[] {
  let name: string | undefined;
  let version: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break; // end of headers; the body is the long description
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).toLowerCase();
    const v = line.slice(i + 1).trim();
    if (k === 'name' && name === undefined) name = v;
    else if (k === 'version' && version === undefined) version = v;
  }
  if (!name || !version) return [];
  return [{ ecosystem: 'PyPI', name, version, location: { ...location }, purl: purl('pypi', undefined, normalizePyName(name), version) }];
}
