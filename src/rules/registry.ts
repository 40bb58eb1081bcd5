/** Every rule of the catalog. The meta-test checks that each folder is listed here and vice versa. */
import type { Rule } from './define.js';
import privilegedContainer from './workload/privileged-container/rule.js';

export const RULES: readonly Rule[] = [privilegedContainer];
