/** The rule catalog as Markdown (docs/rules.md), generated from each rule's meta. Pure. */
import { PRACTICES } from '../core/finding.js';
import { messageSeverityNote, type Rule } from '../rules/define.js';

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderRuleDocs(rules: readonly Rule[]): string {
  const sorted = [...rules].sort((a, b) => a.meta.category.localeCompare(b.meta.category) || a.id.localeCompare(b.id));
  const lines: string[] = [
    '# Rule catalog',
    '',
    '<!-- Generated from the rules\' meta by `UPDATE_DOCS=1 node --import tsx --test test/rule-docs.test.ts`; do not edit by hand. -->',
    '',
    `${rules.length} rules. \`kubeward rules\` lists them, \`kubeward explain <id>\` prints one; \`.kubeward.yaml\` turns them on or off and re-grades them.`,
    '',
    '| id | severity | category | practice | title |',
    '|---|---|---|---|---|',
    ...sorted.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.meta.severity} | ${r.meta.category} | ${r.meta.practice} | ${escapeCell(r.meta.title)} |`),
    '',
  ];
  for (const r of sorted) {
    lines.push(`## ${r.id}`, '');
    lines.push(`**${r.meta.title}** — severity \`${r.meta.severity}\`, category \`${r.meta.category}\`, applies to ${r.meta.targets}.`, '');
    lines.push(`Practice: ${PRACTICES[r.meta.practice]}.`, '');
    lines.push(r.meta.docs.description, '');
    lines.push(`**Remediation.** ${r.meta.docs.remediation}`, '');
    if (r.meta.fixable) lines.push('Findings carry a JSON Patch that applies the fix.', '');
    lines.push('Messages:', '');
    for (const [id, text] of Object.entries(r.meta.messages)) lines.push(`- \`${id}\`${messageSeverityNote(r, id)}: ${text as string}`);
    lines.push('', 'References:', '');
    for (const ref of r.meta.references) lines.push(`- ${ref.framework} ${ref.id}${ref.title ? ` — ${ref.title}` : ''}`);
    lines.push('');
  }
  return lines.join('\n');
}
