/**
 * `kubeward rbac …`: RBAC questions over manifests, answered as the API server's RBAC authorizer would.
 *
 *   rbac can-i <verb> <resource>[/<sub>] [--name n] [-n ns] --as <user> [--as-group g]... <paths...>
 *   rbac can-i <verb> --non-resource-url /path --as <user> <paths...>
 *   rbac can-i --batch <queries.jsonl|-> <paths...>         one {"allowed":…} line per query line
 *   rbac who-can <verb> <resource>[/<sub>] [-n ns] [--name n] <paths...>
 *   rbac list <subject> [-n ns] <paths...>                 effective rules (like can-i --list)
 *   rbac risks <paths...>                                  token blast radius, escalation chains, findings
 *
 * Exit codes: can-i 0 allowed / 1 denied; risks 1 when a finding is at or above --fail-on;
 * 2 for usage or input errors.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError, errorMessage } from '../../core/errors.js';
import { severityRank, type KubeObject, type Severity } from '../../core/types.js';
import {
  analyseEscalation,
  buildRbac,
  formatBindingSubject,
  formatRule,
  impersonatedSubject,
  parseResourceArg,
  parseSubjectString,
  rbacFindings,
  sarCaseOf,
  sarToQuery,
  type RbacIndex,
  type Reason,
  type RequestAttributes,
} from '../../engines/rbac/index.js';
import { loadBootstrapRbac } from '../../load/bootstrap-rbac.js';
import { loadPaths } from '../../load/index.js';
import type { CliContext } from '../context.js';
import { collect, oneOf, parseSeverityOrNone } from '../options.js';

type Format = 'text' | 'json';

interface CommonFlags {
  format: Format;
  withDefaultRoles?: boolean;
}

interface CanIFlags extends CommonFlags {
  name?: string;
  namespace?: string;
  as?: string;
  asGroup?: string[];
  nonResourceUrl?: string;
  batch?: string;
}

async function loadObjects(ctx: CliContext, paths: string[]): Promise<KubeObject[] | undefined> {
  if (paths.length === 0) throw new UsageError('no manifest paths given');
  const loaded = await loadPaths(paths, { readStdin: ctx.readStdin });
  for (const p of loaded.problems) ctx.stderr(`${p.level} ${p.file}:${p.line}:${p.column}: ${p.message}\n`);
  if (loaded.problems.some((p) => p.level === 'error')) {
    ctx.exitCode = 2;
    return undefined;
  }
  return loaded.resources.map((r) => r.object);
}

function index(objects: KubeObject[], withDefaults: boolean): RbacIndex {
  return buildRbac(objects, withDefaults ? { defaultRoles: loadBootstrapRbac() } : {});
}

/** Reasons as the JSON contract prints them. */
function reasonJson(r: Reason): Record<string, unknown> {
  return { binding: r.binding, subject: r.subject, role: r.role, ruleIndex: r.ruleIndex, rule: r.rule };
}

function reasonText(r: Reason): string {
  const b = `${r.binding.kind} ${r.binding.namespace ? `${r.binding.namespace}/` : ''}${r.binding.name}`;
  return `${b} (${formatBindingSubject(r.subject)}) → ${r.role.kind} ${r.role.name} rule ${r.ruleIndex}: ${formatRule(r.rule)}`;
}

function requestFrom(verb: string, resourceArg: string | undefined, flags: { name?: string; namespace?: string; nonResourceUrl?: string }): RequestAttributes {
  if (flags.nonResourceUrl !== undefined) {
    if (!flags.nonResourceUrl.startsWith('/') && flags.nonResourceUrl !== '*') throw new UsageError('--non-resource-url must start with /');
    return { verb, path: flags.nonResourceUrl };
  }
  if (!resourceArg) throw new UsageError('a resource is required (or --non-resource-url)');
  const r = parseResourceArg(resourceArg);
  return { verb, apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource, name: flags.name ?? '', namespace: flags.namespace ?? '' };
}

async function runBatch(ctx: CliContext, file: string, rbac: RbacIndex): Promise<void> {
  const text = file === '-' ? await ctx.readStdin() : await readFile(file, 'utf8').catch((e: unknown) => {
    throw new UsageError(`cannot read ${file}: ${errorMessage(e)}`);
  });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: string[] = [];
  let bad = 0;
  for (const line of lines) {
    if (line.trim() === '') {
      out.push(JSON.stringify({ allowed: false, error: 'empty line' }));
      bad++;
      continue;
    }
    try {
      const { subject, attrs } = sarToQuery(sarCaseOf(JSON.parse(line)));
      out.push(JSON.stringify({ allowed: rbac.can(subject, attrs) }));
    } catch (e: unknown) {
      out.push(JSON.stringify({ allowed: false, error: errorMessage(e) }));
      bad++;
    }
  }
  ctx.stdout(out.length > 0 ? `${out.join('\n')}\n` : '');
  ctx.exitCode = bad > 0 ? 2 : 0;
}

export function registerRbac(program: Command, ctx: CliContext): void {
  const rbac = program.command('rbac').description('RBAC: can-i, who-can, effective rules, and what a stolen token is worth');
  const format = oneOf(['text', 'json'] as const);

  rbac
    .command('can-i')
    .description('is a request allowed? (as kubectl auth can-i, answered from manifests)')
    .argument('[args...]', '<verb> <resource>[/<subresource>] <paths...>  |  <verb> /non-resource/url <paths...>  |  --batch q.jsonl <paths...>')
    .option('--name <name>', 'resource name')
    .option('-n, --namespace <namespace>', 'namespace of the request')
    .option('--as <user>', 'user to check (system:serviceaccount:<ns>:<name> implies the service-account groups)')
    .option('--as-group <group>', 'group of the user (repeatable)', collect)
    .option('--non-resource-url <path>', 'a non-resource URL such as /healthz')
    .option('--batch <file>', 'JSON lines of SubjectAccessReview specs (- for standard input)')
    .option('--with-default-roles', 'add the Kubernetes v1.34 bootstrap roles and bindings')
    .option('-f, --format <format>', 'text or json', format, 'text' as Format)
    .action(async (args: string[], flags: CanIFlags) => {
      if (flags.batch !== undefined) {
        const objects = await loadObjects(ctx, args);
        if (!objects) return;
        await runBatch(ctx, flags.batch, index(objects, flags.withDefaultRoles === true));
        return;
      }
      const [verb, ...rest] = args;
      if (!verb) throw new UsageError('can-i needs a verb');
      const resourceArg = flags.nonResourceUrl !== undefined ? undefined : rest.shift();
      // As kubectl auth can-i: an argument starting with / is a non-resource URL.
      const attrs = resourceArg?.startsWith('/') ? requestFrom(verb, undefined, { nonResourceUrl: resourceArg }) : requestFrom(verb, resourceArg, flags);
      if (flags.as === undefined) throw new UsageError('--as <user> is required');
      const objects = await loadObjects(ctx, rest);
      if (!objects) return;
      const subject = impersonatedSubject(flags.as, flags.asGroup ?? []);
      const d = index(objects, flags.withDefaultRoles === true).authorize(subject, attrs);
      if (flags.format === 'json') ctx.stdout(`${JSON.stringify({ allowed: d.allowed, reasons: d.reasons.map(reasonJson) }, null, 2)}\n`);
      else ctx.stdout(`${d.allowed ? 'yes' : 'no'}\n${d.reasons.map((r) => `  ${reasonText(r)}\n`).join('')}`);
      ctx.exitCode = d.allowed ? 0 : 1;
    });

  rbac
    .command('who-can')
    .description('every subject allowed a request, with the binding and role that grant it')
    .argument('<verb>')
    .argument('[args...]', '<resource>[/<subresource>] <paths...>  (or --non-resource-url /p <paths...>)')
    .option('--name <name>', 'resource name')
    .option('-n, --namespace <namespace>', 'namespace (without it, only ClusterRoleBindings count)')
    .option('--non-resource-url <path>', 'a non-resource URL such as /healthz')
    .option('--with-default-roles', 'add the Kubernetes v1.34 bootstrap roles and bindings')
    .option('-f, --format <format>', 'text or json', format, 'text' as Format)
    .action(async (verb: string, args: string[], flags: CanIFlags) => {
      const rest = [...args];
      const resourceArg = flags.nonResourceUrl !== undefined ? undefined : rest.shift();
      // As kubectl auth can-i: an argument starting with / is a non-resource URL.
      const attrs = resourceArg?.startsWith('/') ? requestFrom(verb, undefined, { nonResourceUrl: resourceArg }) : requestFrom(verb, resourceArg, flags);
      const objects = await loadObjects(ctx, rest);
      if (!objects) return;
      const entries = index(objects, flags.withDefaultRoles === true).whoCan(attrs);
      if (flags.format === 'json') ctx.stdout(`${JSON.stringify(entries, null, 2)}\n`);
      else {
        const lines = entries.map(
          (e) => `${formatBindingSubject(e.subject)}  via ${e.binding.kind} ${e.binding.namespace ? `${e.binding.namespace}/` : ''}${e.binding.name} → ${e.role.kind} ${e.role.name}`,
        );
        ctx.stdout(lines.length > 0 ? `${lines.join('\n')}\n` : 'nobody\n');
      }
      ctx.exitCode = 0;
    });

  rbac
    .command('list')
    .description('effective rules of a subject (like kubectl auth can-i --list)')
    .argument('<subject>', 'user, system:serviceaccount:<ns>:<name>, ServiceAccount:<ns>/<name> or Group:<name>')
    .argument('<paths...>')
    .option('-n, --namespace <namespace>', 'include the RoleBindings of this namespace')
    .option('--as-group <group>', 'extra group of the subject (repeatable)', collect)
    .option('--with-default-roles', 'add the Kubernetes v1.34 bootstrap roles and bindings')
    .option('-f, --format <format>', 'text or json', format, 'text' as Format)
    .action(async (subjectText: string, paths: string[], flags: CanIFlags) => {
      const objects = await loadObjects(ctx, paths);
      if (!objects) return;
      const subject = parseSubjectString(subjectText, flags.asGroup ?? []);
      const rules = index(objects, flags.withDefaultRoles === true).rulesFor(subject, flags.namespace ?? '');
      if (flags.format === 'json') ctx.stdout(`${JSON.stringify({ subject, rules }, null, 2)}\n`);
      else {
        const lines = rules.map((r) => `${r.namespace ? `[${r.namespace}] ` : '[cluster] '}${formatRule(r.rule)}   (${r.binding.kind} ${r.binding.name} → ${r.role.kind} ${r.role.name})`);
        ctx.stdout(lines.length > 0 ? `${lines.join('\n')}\n` : 'no rules\n');
      }
      ctx.exitCode = 0;
    });

  rbac
    .command('risks')
    .description('pods whose tokens can read secrets or create pods, escalation chains to cluster-admin, dangerous subjects')
    .argument('<paths...>')
    .option('--no-default-roles', 'do not add the Kubernetes v1.34 bootstrap roles and bindings (added by default: every cluster has them)')
    .option('--with-default-roles', 'add the bootstrap roles and bindings (the default)')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (none: never)', parseSeverityOrNone, 'high' as Severity | 'none')
    .option('-f, --format <format>', 'text or json', format, 'text' as Format)
    .action(async (paths: string[], flags: CommonFlags & { defaultRoles: boolean; failOn: Severity | 'none' }) => {
      const objects = await loadObjects(ctx, paths);
      if (!objects) return;
      const rbacIndex = index(objects, flags.defaultRoles !== false);
      const blast = analyseEscalation(rbacIndex, objects).blastRadius();
      const findings = rbacFindings(rbacIndex, objects);
      if (flags.format === 'json') ctx.stdout(`${JSON.stringify({ workloads: blast, findings }, null, 2)}\n`);
      else {
        const lines: string[] = ['Token blast radius:'];
        for (const b of blast) {
          const head = `  ${b.workload.kind} ${b.workload.namespace}/${b.workload.name} (ServiceAccount ${b.serviceAccount.name}${b.token.mounted ? `, token mounted: ${b.token.via.join('+')}` : ', no token'})`;
          lines.push(head);
          const shown = b.summary.length > 0 ? b.summary : ['no dangerous permissions'];
          for (const s of shown) lines.push(`      ${s}`);
        }
        lines.push('', 'Findings:');
        for (const f of findings) lines.push(`  ${f.severity.toUpperCase().padEnd(8)} ${f.ruleId}: ${f.message}`);
        if (findings.length === 0) lines.push('  none');
        ctx.stdout(`${lines.join('\n')}\n`);
      }
      ctx.exitCode = flags.failOn !== 'none' && findings.some((f) => severityRank(f.severity) >= severityRank(flags.failOn as Severity)) ? 1 : 0;
    });
}
