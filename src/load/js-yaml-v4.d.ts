/**
 * The part of js-yaml 4 (installed as `js-yaml-v4`) that the manifest loader's fast path
 * uses. js-yaml 5 keeps its own name for everything else.
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
}
