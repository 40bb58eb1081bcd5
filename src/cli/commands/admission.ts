/**
 * `kubeward admission serve|test|certs|manifests`: thin wrappers over src/admission.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { NamespaceSource, WatchedNamespaceSource } from '../../admission/namespace-watch.js';
import type { CompiledPolicy, ReloadEvent } from '../../admission/policy.js';
import type { AdmissionReviewResponse } from '../../admission/review.js';
import { UsageError } from '../../core/errors.js';
import { DEFAULT_TIMEOUT_SECONDS, requestTimeoutMsFor } from '../../admission/timeouts.js';
import type { KubeObject } from '../../core/types.js';
import { isWorkloadKind } from '../../model/workloads.js';
import type { CliContext } from '../context.js';
import { collect, oneOf } from '../options.js';

// The webhook's modules (HTTPS server, metrics, logging, policy schema, certificates) are
// loaded by the subcommand that runs, so that other commands do not pay for them at start-up.

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}

function parsePositive(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

/** A parser for a whole number in [min, max]. */
function integerIn(min: number, max: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** `a=b,c=d` (repeatable) → labels. */
function parseLabels(v: string, prev: Record<string, string> = {}): Record<string, string> {
  const out = { ...prev };
  for (const pair of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new InvalidArgumentError(`expected key=value, got "${pair}"`);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

interface ServeFlags {
  cert: string;
  key: string;
  port: number;
  host: string;
  policy?: string;
  namespaceSource: 'auto' | 'cluster' | 'policy';
  logLevel: string;
  shutdownDelay: number;
  requestTimeout: number;
  db?: string;
  insecureRegistry?: boolean;
}

interface TestFlags {
  policy?: string;
  namespaceLabels?: Record<string, string>;
  namespace?: string;
  operation: 'CREATE' | 'UPDATE';
  user?: string;
  group?: string[];
  dryRun?: boolean;
}

export function registerAdmission(program: Command, ctx: CliContext): void {
  const admission = program.command('admission').description('validating and mutating admission webhook enforcing Pod Security Standards and kubeward rules');

  admission
    .command('serve')
    .description('serve the webhook over HTTPS: /validate, /mutate, /healthz, /readyz, /metrics')
    .requiredOption('--cert <file>', 'PEM serving certificate (reloaded when it changes)')
    .requiredOption('--key <file>', 'PEM private key (reloaded when it changes)')
    .option('--port <n>', 'port to listen on', parsePort, 8443)
    .option('--host <addr>', 'address to bind', '0.0.0.0')
    .option('--db <file>', "vulnerability database with image verdicts, for the policy's images section (unknown images are scanned in the background)")
    .option('--insecure-registry', 'background image scans pull over plain HTTP (local registries only)')
    .option('--policy <file>', 'admission policy (YAML; reloaded when it changes). Default: restricted enforced everywhere')
    .option('--namespace-source <source>', 'namespace labels from the API (cluster), only the policy file (policy), or cluster when in a pod (auto)', oneOf(['auto', 'cluster', 'policy'] as const), 'auto')
    .option('--log-level <level>', 'pino log level', oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const), 'info')
    .option('--request-timeout <ms>', "whole-request timeout; keep it below the webhooks' timeoutSeconds (the manifests set 80 % of it)", parsePositive, requestTimeoutMsFor(DEFAULT_TIMEOUT_SECONDS))
    .option('--shutdown-delay <ms>', 'on SIGTERM, keep serving this long before draining (endpoint removal)', parsePositive, 3000)
    .action(async (flags: ServeFlags) => {
      const { default: pino } = await import('pino');
      const { compilePolicy, defaultPolicy, PolicyFileWatcher } = await import('../../admission/policy.js');
      const { inCluster, kubeNamespaceWatch, StaticNamespaceSource, WatchedNamespaceSource } = await import('../../admission/namespace-watch.js');
      const { createAdmissionServer } = await import('../../admission/server.js');
      const logger = pino({ name: 'kubeward-admission', level: flags.logLevel }, pino.destination({ dest: 1, sync: false }));
      let onReload: ((e: ReloadEvent) => void) | undefined;
      const watcher = flags.policy ? new PolicyFileWatcher(flags.policy, { onReload: (e) => onReload?.(e) }) : undefined;
      const fixed = watcher ? undefined : compilePolicy(defaultPolicy());
      const policy = { current: (): CompiledPolicy => watcher?.current() ?? (fixed as CompiledPolicy) };
      let namespaces: NamespaceSource = new StaticNamespaceSource();
      const useCluster = flags.namespaceSource === 'cluster' || (flags.namespaceSource === 'auto' && inCluster(ctx.env));
      let watched: WatchedNamespaceSource | undefined;
      if (useCluster) {
        watched = new WatchedNamespaceSource(await kubeNamespaceWatch(), { onError: (e) => logger.warn({ error: String(e) }, 'namespace watch failed; retrying') });
        namespaces = watched;
      }
      const db = flags.db !== undefined ? await (await import('./db.js')).openExistingDb(ctx, flags.db) : undefined;
      const { BackgroundImageScans } = await import('../../admission/background-scans.js');
      const scans = db ? new BackgroundImageScans(db, logger, flags.insecureRegistry ? { insecure: true } : {}) : undefined;
      const server = createAdmissionServer({
        certFile: flags.cert,
        keyFile: flags.key,
        requestTimeoutMs: flags.requestTimeout,
        port: flags.port,
        host: flags.host,
        policy,
        namespaces,
        logger,
        ...(scans ? { images: scans.cache } : {}),
      });
      // An images section without a verdict database cannot be applied: say so, at start and on every reload.
      const inertImages = (p: CompiledPolicy): void => {
        if (!scans && p.policy.images.mode !== 'off') logger.warn({ mode: p.policy.images.mode }, "the policy's images section is not applied: it needs --db (image verdicts)");
      };
      onReload = (e) => {
        server.policyReloaded(e);
        if (e.ok) inertImages(policy.current());
      };
      watcher?.start();
      inertImages(policy.current());
      await server.listen();
      if (watched) watched.start().catch((e: unknown) => logger.error({ error: String(e) }, 'initial namespace list failed; retrying'));
      await new Promise<void>((resolveStopped) => {
        const stop = (signal: string): void => {
          logger.info({ signal }, 'shutting down');
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          server
            .close({ delayMs: signal === 'SIGTERM' ? flags.shutdownDelay : 0 })
            .then(async () => {
              watcher?.close();
              scans?.close();
              db?.close();
              await namespaces.close();
              logger.flush();
            })
            .finally(resolveStopped);
        };
        const onTerm = (): void => stop('SIGTERM');
        const onInt = (): void => stop('SIGINT');
        process.on('SIGTERM', onTerm);
        process.on('SIGINT', onInt);
      });
    });

  admission
    .command('test')
    .description('evaluate manifests as the webhook would and print the AdmissionReview response(s)')
    .argument('<manifests...>', 'files or directories of manifests, or - for standard input')
    .option('--policy <file>', 'admission policy file')
    .option('--namespace-labels <k=v,...>', 'labels of the target namespace (e.g. pod-security.kubernetes.io/enforce=baseline)', parseLabels)
    .option('-n, --namespace <name>', 'namespace to evaluate in (default: the object\'s, else default)')
    .option('--operation <op>', 'CREATE or UPDATE', oneOf(['CREATE', 'UPDATE'] as const), 'CREATE')
    .option('--user <name>', 'requesting user name', 'kubeward-test')
    .option('--group <names>', 'requesting user groups (repeatable, comma-separated)', collect)
    .option('--dry-run', 'mark the request as a dry run')
    .action(async (paths: string[], flags: TestFlags) => {
      const { compilePolicy, defaultPolicy, loadPolicyFile } = await import('../../admission/policy.js');
      const { StaticNamespaceSource } = await import('../../admission/namespace-watch.js');
      const { buildReviewResponse, requestFor } = await import('../../admission/review.js');
      const { mutate, validate } = await import('../../admission/decide.js');
      const { applyJsonPatch } = await import('../../admission/json-patch.js');
      const { loadPaths } = await import('../../load/index.js');
      const policy = compilePolicy(flags.policy ? loadPolicyFile(flags.policy) : defaultPolicy());
      if (policy.policy.images.mode !== 'off') ctx.stderr("notice: the policy's images section is not applied here (it needs the webhook's --db image verdicts)\n");
      const { resources, problems } = await loadPaths(paths, { readStdin: ctx.readStdin });
      for (const p of problems) ctx.stderr(`${p.level} ${p.file}:${p.line}:${p.column}: ${p.message}\n`);
      if (problems.some((p) => p.level === 'error')) {
        ctx.exitCode = 2;
        return;
      }
      // What the webhook evaluates: pods, pod-owning workloads and PodTemplates.
      const objects = resources.map((r) => r.object).filter((o) => isWorkloadKind(o.kind) || o.kind === 'PodTemplate');
      if (objects.length === 0) throw new UsageError('no Pod, pod-owning workload or PodTemplate found in the input');
      const results: Array<{ object: string; mutate?: AdmissionReviewResponse; validate: AdmissionReviewResponse }> = [];
      let denied = false;
      objects.forEach((obj, i) => {
        const namespace = flags.namespace ?? obj.metadata.namespace ?? 'default';
        const namespaces = new StaticNamespaceSource(flags.namespaceLabels ? { [namespace]: flags.namespaceLabels } : {});
        const opts = { operation: flags.operation, username: flags.user ?? 'kubeward-test', groups: flags.group ?? ['system:authenticated'], namespace, dryRun: flags.dryRun === true, uid: `kubeward-test-${i}` };
        const review = requestFor(obj, opts);
        const m = mutate(review.request, policy);
        const entry: (typeof results)[number] = { object: `${obj.kind}/${namespace}/${obj.metadata.name ?? ''}`, validate: undefined as unknown as AdmissionReviewResponse };
        let patched: KubeObject = review.request.object as KubeObject;
        if (m.patch && m.patch.length > 0) {
          entry.mutate = buildReviewResponse('admission.k8s.io/v1', review.request.uid, m);
          patched = applyJsonPatch(patched, m.patch);
        }
        // As the API server does: validating webhooks see the object after all mutations.
        const v = validate({ ...review.request, object: patched }, policy, { namespaces });
        entry.validate = buildReviewResponse('admission.k8s.io/v1', review.request.uid, v);
        if (!v.allowed) denied = true;
        results.push(entry);
      });
      ctx.stdout(`${JSON.stringify(results.length === 1 && !results[0]?.mutate ? results[0]?.validate : results, null, 2)}\n`);
      ctx.exitCode = denied ? 1 : 0;
    });

  admission
    .command('certs')
    .description('generate a CA and a serving certificate: writes ca.crt, tls.crt, tls.key')
    .requiredOption('--out <dir>', 'directory to write to')
    .requiredOption('--dns <names...>', 'DNS names (or IPs) of the serving certificate')
    .option('--days <n>', 'validity of the serving certificate in days', parsePositive, 365)
    .action(async (flags: { out: string; dns: string[]; days: number }) => {
      const { generateCertificates, writeCertificates } = await import('../../admission/certs.js');
      const bundle = await generateCertificates({ dnsNames: flags.dns, days: flags.days });
      const paths = await writeCertificates(flags.out, bundle);
      ctx.stdout(`wrote ${paths.ca}, ${paths.cert}, ${paths.key}\n`);
    });

  admission
    .command('manifests')
    .description('print everything needed to install the webhook (YAML), with freshly generated TLS material')
    .option('--namespace <name>', 'namespace to install into', 'kubeward-system')
    .option('--name <name>', 'name of the Deployment, Service and webhooks', 'kubeward-admission')
    .option('--image <ref>', 'container image (pin it by digest)')
    .option('--replicas <n>', 'replicas (a PodDisruptionBudget is added from 2)', integerIn(1, 100), 2)
    .option('--policy <file>', 'policy file to ship in the ConfigMap (default: restricted enforced)')
    .option('--no-watch-namespaces', 'do not watch namespace labels (no RBAC, no API token; levels come from the policy file)')
    .option('--failure-policy <policy>', 'validating webhook failurePolicy', oneOf(['Fail', 'Ignore'] as const), 'Fail')
    .option('--timeout-seconds <n>', 'webhook timeoutSeconds (1-30, as the API allows)', integerIn(1, 30), DEFAULT_TIMEOUT_SECONDS)
    .action(async (flags: { namespace: string; name: string; image?: string; replicas: number; policy?: string; watchNamespaces: boolean; failurePolicy: 'Fail' | 'Ignore'; timeoutSeconds: number }) => {
      const { loadPolicyFile } = await import('../../admission/policy.js');
      const { generateCertificates, serviceDnsNames } = await import('../../admission/certs.js');
      const { DEFAULT_POLICY_TEXT, renderManifests } = await import('../../admission/manifests.js');
      const { dump } = await import('js-yaml');
      let policyText = DEFAULT_POLICY_TEXT;
      if (flags.policy) {
        loadPolicyFile(flags.policy); // validate before shipping it
        policyText = await readFile(flags.policy, 'utf8');
      }
      const bundle = await generateCertificates({ dnsNames: serviceDnsNames(flags.name, flags.namespace) });
      const objects = renderManifests({
        namespace: flags.namespace,
        name: flags.name,
        ...(flags.image ? { image: flags.image } : {}),
        replicas: flags.replicas,
        caCert: bundle.caCert,
        tlsCert: bundle.tlsCert,
        tlsKey: bundle.tlsKey,
        watchNamespaces: flags.watchNamespaces,
        failurePolicy: flags.failurePolicy,
        timeoutSeconds: flags.timeoutSeconds,
        policyText,
      });
      ctx.stdout(objects.map((o) => dump(o, { lineWidth: -1 })).join('---\n'));
    });
}
