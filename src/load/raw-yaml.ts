/** One YAML document of arbitrary data (configuration, intents, policy files) with positions. */
import { CORE_SCHEMA, YAMLException, load, mergeTag } from 'js-yaml';
import type { Position } from '../core/types.js';
import { InputError, errorMessage } from '../core/errors.js';
import { LineIndex, pointerSegments } from './text-position.js';
import { locateInYaml } from './yaml-locate.js';

export interface RawYaml {
  value: unknown;
  locate(pointer: string): Position;
}

/** Parses a single-document YAML file; a syntax error is thrown as an InputError with its position. */
export function loadRawYaml(text: string, file: string): RawYaml {
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA.withTags(mergeTag), filename: file, maxAliases: 100 });
  } catch (e: unknown) {
    if (e instanceof YAMLException) {
      const m = e.mark;
      throw new InputError('input.yaml', `invalid YAML: ${e.reason}`, { file, line: (m?.line ?? 0) + 1, column: (m?.column ?? 0) + 1 });
    }
    throw new InputError('input.yaml', `invalid YAML: ${errorMessage(e)}`, { file, line: 1, column: 1 });
  }
  const index = new LineIndex(text);
  return { value, locate: (pointer) => index.position(locateInYaml(text, pointerSegments(pointer))) };
}
