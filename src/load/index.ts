export { loadPaths, listManifestFiles, type LoadOptions } from './files.js';
export { loadText, type LoadResult } from './manifests.js';
export { DEFAULT_LIMITS, type LoadLimits } from './limits.js';
export { pointerSegments } from './text-position.js';
export { toPointer } from '../core/json-pointer.js';
