/** `kubeward rules` lists the catalog; `kubeward explain <id>` prints one rule in full. */
import type { Command } from 'commander';
import { PRACTICES } from '../../core/finding.js';
import { RULES } from '../../rules/registry.js';
import { messageSeverities, messageSeverityNote, type Rule } from '../../rules/define.js';
import type { CliContext } from '../context.js';
import { oneOf } from '../options.js';

function ruleJson(r: Rule): Record<string, unknown> {
  return {
    id: r.id,
    title: r.meta.title,
    category: r.meta.category,
    severity: r.meta.severity,
    practice: r.meta.practice,
    targets: r.meta.targets,
    description: r.meta.docs.description,
    remediation: r.meta.docs.remediation,
    references: r.meta.references,
    fixable: r.meta.fixable === true,
    messages: r.meta.messages,
    severities: r.meta.severities ?? {},
  };
}

/** The severities a rule's findings may carry: its own, then the other ones its messages are reported at. */
function severityLine(r: Rule): string {
  const other = new Set(Object.keys(r.meta.messages).flatMap((id) => messageSeverities(r, id)));
  other.delete(r.meta.severity);
  return other.size === 0 ? r.meta.severity : `${r.meta.severity} (some findings ${[...other].join(', ')}: see Messages)`;
}

export function explainText(r: Rule): string {
  const lines = [
    `${r.id} — ${r.meta.title}`,
    '',
    `Severity:  ${severityLine(r)}`,
    `Category:  ${r.meta.category}`,
    `Practice:  ${PRACTICES[r.meta.practice]}`,
    `Applies to: ${r.meta.targets}`,
    `Fixable:   ${r.meta.fixable ? 'yes (a JSON Patch is attached to each finding)' : 'no'}`,
    '',
    r.meta.docs.description,
    '',
    'Remediation:',
    `  ${r.meta.docs.remediation}`,
    '',
    'Messages:',
    ...Object.entries(r.meta.messages as Record<string, string>).map(([id, text]) => `  ${id}${messageSeverityNote(r, id)}: ${text}`),
    '',
    'References:',
    ...r.meta.references.map((x) => `  ${x.framework} ${x.id}${x.title ? ` — ${x.title}` : ''}`),
  ];
  return lines.join('\n') + '\n';
}

export function registerRules(program: Command, ctx: CliContext): void {
  program
    .command('rules')
    .description('list the rule catalog')
    .option('-f, --format <format>', 'text or json', oneOf(['text', 'json'] as const), 'text')
    .action((flags: { format: 'text' | 'json' }) => {
      if (flags.format === 'json') {
        ctx.stdout(JSON.stringify(RULES.map(ruleJson), null, 2) + '\n');
        return;
      }
      const w = Math.max(...RULES.map((r) => r.id.length));
      for (const r of [...RULES].sort((a, b) => a.meta.category.localeCompare(b.meta.category) || a.id.localeCompare(b.id))) {
        ctx.stdout(`${r.id.padEnd(w)}  ${r.meta.severity.padEnd(8)}  ${r.meta.category.padEnd(9)}  ${r.meta.title}\n`);
      }
      ctx.stdout(`\n${RULES.length} rules. kubeward explain <id> prints one in full.\n`);
    });
  program
    .command('explain')
    .description("print one rule's full description, remediation and references")
    .argument('<id>', 'rule id (see kubeward rules)')
    .option('-f, --format <format>', 'text or json', oneOf(['text', 'json'] as const), 'text')
    .action((id: string, flags: { format: 'text' | 'json' }) => {
      const r = RULES.find((x) => x.id === id);
      if (!r) {
        const near = RULES.filter((x) => x.id.includes(id) || id.includes(x.id)).map((x) => x.id);
        ctx.stderr(`kubeward: no rule "${id}"${near.length ? `; did you mean ${near.join(', ')}?` : ''}\n`);
        ctx.exitCode = 2;
        return;
      }
      ctx.stdout(flags.format === 'json' ? JSON.stringify(ruleJson(r), null, 2) + '\n' : explainText(r));
    });
}
