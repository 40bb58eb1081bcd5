/**
 * The check registry: every check with the versions at which it starts or changes, the
 * level/version resolution rules of Pod Security Admission, and a precomputed evaluation
 * plan per (level, version) so that evaluating a pod is a flat loop over functions.
 *
 * Resolution, as upstream does it:
 * - a check applies at version v through its newest implementation whose minimumVersion <= v;
 * - the restricted level runs every baseline and restricted check that applies, minus the
 *   baseline checks that an applicable restricted implementation overrides;
 * - `latest`, and any version newer than the newest implementation of any check, evaluate
 *   as that newest version (LATEST_PSS_VERSION).
 */
import { checkAllowPrivilegeEscalation } from './check-allow-privilege-escalation.js';
import { checkAppArmorProfile } from './check-app-armor-profile.js';
import { checkCapabilitiesBaseline } from './check-capabilities-baseline.js';
import { checkCapabilitiesRestricted } from './check-capabilities-restricted.js';
import { checkHostNamespaces } from './check-host-namespaces.js';
import { checkHostPathVolumes } from './check-host-path-volumes.js';
import { checkHostPorts } from './check-host-ports.js';
import { checkHostProbesAndHostLifecycle } from './check-host-probes-and-host-lifecycle.js';
import { checkPrivileged } from './check-privileged.js';
import { checkProcMount } from './check-proc-mount.js';
import { checkProcMountRestricted } from './check-proc-mount-restricted.js';
import { checkRestrictedVolumes } from './check-restricted-volumes.js';
import { checkRunAsNonRoot } from './check-run-as-non-root.js';
import { checkRunAsUser } from './check-run-as-user.js';
import { checkSeLinuxOptions } from './check-se-linux-options.js';
import { checkSeccompProfileBaseline } from './check-seccomp-profile-baseline.js';
import { checkSeccompProfileRestricted } from './check-seccomp-profile-restricted.js';
import { checkSysctls } from './check-sysctls.js';
import { checkWindowsHostProcess } from './check-windows-host-process.js';
import { compareStrings } from './helpers.js';
import { PSS_CHECK_IDS, PSS_LEVELS } from './types.js';
import type { CheckDefinition, CheckPodFn, PssCheckId, PssLevel } from './types.js';

/** Every check, in no particular order (plans sort them). */
export const PSS_CHECKS: readonly CheckDefinition[] = [
  checkHostNamespaces,
  checkPrivileged,
  checkCapabilitiesBaseline,
  checkHostPathVolumes,
  checkHostPorts,
  checkAppArmorProfile,
  checkSeLinuxOptions,
  checkProcMount,
  checkSeccompProfileBaseline,
  checkSysctls,
  checkWindowsHostProcess,
  checkHostProbesAndHostLifecycle,
  checkRestrictedVolumes,
  checkAllowPrivilegeEscalation,
  checkRunAsNonRoot,
  checkRunAsUser,
  checkSeccompProfileRestricted,
  checkCapabilitiesRestricted,
  checkProcMountRestricted,
];

/** Problems with the registry itself (empty when it is well formed); a test asserts this. */
export function validateRegistry(checks: readonly CheckDefinition[] = PSS_CHECKS): string[] {
  const problems: string[] = [];
  const byId = new Map<string, CheckDefinition>();
  for (const c of checks) {
    if (byId.has(c.id)) problems.push(`duplicate check id ${c.id}`);
    byId.set(c.id, c);
    if (!(PSS_CHECK_IDS as readonly string[]).includes(c.id)) problems.push(`unknown check id ${c.id}`);
    if (c.versions.length === 0) problems.push(`${c.id}: no versions`);
    for (let i = 0; i < c.versions.length; i++) {
      const v = c.versions[i]!;
      if (!Number.isInteger(v.minimumVersion) || v.minimumVersion < 0) problems.push(`${c.id}: bad minimumVersion ${v.minimumVersion}`);
      if (i > 0 && v.minimumVersion <= c.versions[i - 1]!.minimumVersion) problems.push(`${c.id}: versions not strictly ascending`);
      for (const o of v.overrideCheckIds ?? []) {
        const target = byId.get(o) ?? checks.find((x) => x.id === o);
        if (c.level !== 'restricted') problems.push(`${c.id}: only restricted checks may override`);
        if (target === undefined) problems.push(`${c.id}: overrides unknown check ${o}`);
        else if (target.level !== 'baseline') problems.push(`${c.id}: overrides non-baseline check ${o}`);
      }
    }
  }
  for (const id of PSS_CHECK_IDS) if (!byId.has(id)) problems.push(`check ${id} is not registered`);
  return problems;
}

/** The newest minor version at which any check starts or changes. */
export const LATEST_MINOR: number = Math.max(...PSS_CHECKS.flatMap((c) => c.versions.map((v) => v.minimumVersion)));

/** The newest policy version the registry knows, e.g. `v1.37`; what `latest` evaluates as. */
export const LATEST_PSS_VERSION = `v1.${LATEST_MINOR}`;

const VERSION_RE = /^v1\.(0|[1-9][0-9]*)$/;

/** A level exactly as Pod Security Admission accepts it. */
export function parseLevel(s: string): PssLevel | undefined {
  return (PSS_LEVELS as readonly string[]).includes(s) ? (s as PssLevel) : undefined;
}

/** `latest` or `v1.<minor>` exactly as Pod Security Admission accepts it (returned unchanged), else undefined. */
const MAX_INT64 = 2n ** 63n - 1n;

export function parseVersion(s: string): string | undefined {
  if (s === 'latest') return s;
  // Upstream reads the minor with strconv.Atoi: any 64-bit integer is valid (then clamped).
  return VERSION_RE.test(s) && BigInt(s.slice(3)) <= MAX_INT64 ? s : undefined;
}

/** The minor version a version string evaluates as: clamped to LATEST_MINOR; invalid → latest. */
export function resolveMinor(version: string): number {
  if (version === 'latest' || !VERSION_RE.test(version)) return LATEST_MINOR;
  const minor = Number(version.slice(3));
  return minor > LATEST_MINOR ? LATEST_MINOR : minor;
}

export interface PlannedCheck {
  id: PssCheckId;
  checkPod: CheckPodFn;
}

/** What runs at a (level, minor): baseline checks by id, then restricted checks by id. */
export interface EvaluationPlan {
  level: PssLevel;
  version: string;
  checks: readonly PlannedCheck[];
}

function implementationAt(c: CheckDefinition, minor: number) {
  let found: CheckDefinition['versions'][number] | undefined;
  for (const v of c.versions) if (v.minimumVersion <= minor) found = v;
  return found;
}

export function buildPlan(level: PssLevel, minor: number, checks: readonly CheckDefinition[] = PSS_CHECKS): EvaluationPlan {
  const version = `v1.${minor}`;
  if (level === 'privileged') return { level, version, checks: [] };
  const applicable: Array<{ def: CheckDefinition; impl: NonNullable<ReturnType<typeof implementationAt>> }> = [];
  for (const def of checks) {
    if (level === 'baseline' && def.level !== 'baseline') continue;
    const impl = implementationAt(def, minor);
    if (impl !== undefined) applicable.push({ def, impl });
  }
  const overridden = new Set<string>();
  for (const a of applicable) for (const o of a.impl.overrideCheckIds ?? []) overridden.add(o);
  const kept = applicable.filter((a) => !overridden.has(a.def.id));
  kept.sort((a, b) => (a.def.level === b.def.level ? compareStrings(a.def.id, b.def.id) : a.def.level === 'baseline' ? -1 : 1));
  return { level, version, checks: kept.map((a) => ({ id: a.def.id, checkPod: a.impl.checkPod })) };
}

/** Plans for every (level, minor 0..LATEST_MINOR), built once. */
const PLANS: Readonly<Record<PssLevel, readonly EvaluationPlan[]>> = (() => {
  const out = {} as Record<PssLevel, EvaluationPlan[]>;
  for (const level of PSS_LEVELS) {
    out[level] = [];
    for (let m = 0; m <= LATEST_MINOR; m++) out[level].push(buildPlan(level, m));
  }
  return out;
})();

/** Resolved plans by level and version string; only valid version strings are remembered. */
const PLAN_CACHE: Record<PssLevel, Map<string, EvaluationPlan>> = { privileged: new Map(), baseline: new Map(), restricted: new Map() };

/** The precomputed plan for a level and version string (invalid level → restricted, invalid version → latest, as upstream fails closed). */
export function planFor(level: string, version: string): EvaluationPlan {
  const lv: PssLevel = level === 'restricted' || level === 'baseline' || level === 'privileged' ? level : 'restricted';
  const cache = PLAN_CACHE[lv];
  const hit = cache.get(version);
  if (hit !== undefined) return hit;
  const plan = PLANS[lv][resolveMinor(version)]!;
  if (parseVersion(version) !== undefined && cache.size < 1024) cache.set(version, plan);
  return plan;
}

/** Which checks (and which implementation, by its minimum version) apply at each version: the table behind the plans. */
export function versionTable(): Array<{ id: PssCheckId; level: 'baseline' | 'restricted'; versions: Array<{ from: string; overrides: readonly string[] }> }> {
  return [...PSS_CHECKS]
    .sort((a, b) => (a.level === b.level ? compareStrings(a.id, b.id) : a.level === 'baseline' ? -1 : 1))
    .map((c) => ({
      id: c.id,
      level: c.level,
      versions: c.versions.map((v) => ({ from: `v1.${v.minimumVersion}`, overrides: v.overrideCheckIds ?? [] })),
    }));
}
