/**
 * The part of js-yaml 4 (installed as `js-yaml-v4`) that the manifest loader's fast path
 * uses (and its dumper, for tests). js-yaml 5 keeps its own name for everything else.
 */
declare module 'js-yaml-v4' {
  export interface TypeOptions {
    kind: 'scalar' | 'sequence' | 'mapping';
    resolve?: (data: unknown) => boolean;
    construct?: (data: unknown) => unknown;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
    readonly tag: string;
  }
  export class Schema {
    extend(types: { implicit?: Type[]; explicit?: Type[] }): Schema;
  }
  export const FAILSAFE_SCHEMA: Schema;
  export const types: { merge: Type };
  export function loadAll(input: string, iterator?: null, options?: { schema?: Schema; filename?: string }): unknown[];
  /** The dumper, for tests that read back the styles it writes. */
  export interface DumpOptions {
    indent?: number;
    noArrayIndent?: boolean;
    flowLevel?: number;
    lineWidth?: number;
    noRefs?: boolean;
    forceQuotes?: boolean;
    quotingType?: "'" | '"';
  }
  export function dump(value: unknown, options?: DumpOptions): string;
}
