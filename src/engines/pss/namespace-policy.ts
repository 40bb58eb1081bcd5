/**
 * Namespace-level policy exactly as Pod Security Admission reads it from namespace labels,
 * and the exemptions of the PodSecurity admission configuration.
 *
 * Labels: pod-security.kubernetes.io/{enforce,audit,warn} = privileged|baseline|restricted
 *         pod-security.kubernetes.io/{enforce,audit,warn}-version = latest|v1.<minor>
 * - an absent label keeps the default (the admission configuration's, privileged/latest unless given);
 * - an invalid level fails closed for enforce (restricted) and open for audit and warn (privileged);
 *   an invalid version means latest; every invalid label is reported in `errors`;
 * - when enforce is set (validly) and warn is not, warn follows enforce if enforce is stricter,
 *   and takes the enforce version too unless warn-version is set.
 */
import { parseLevel, parseVersion } from './registry.js';
import type { PssLevel } from './types.js';

export interface PssModePolicy {
  level: PssLevel;
  version: string;
}

export type PssMode = 'enforce' | 'audit' | 'warn';

export interface NamespacePssPolicy {
  enforce: PssModePolicy;
  audit: PssModePolicy;
  warn: PssModePolicy;
  /** One message per invalid label, e.g. `metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted`. */
  errors: string[];
}

export const PSS_LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const PSS_MODES: readonly PssMode[] = ['enforce', 'audit', 'warn'];

const LEVEL_RANK: Record<PssLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

function invalid(label: string, value: string, message: string): string {
  return `metadata.labels[${label}]: Invalid value: ${JSON.stringify(value)}: ${message}`;
}

export function namespacePolicy(
  labels: Record<string, string> | undefined,
  defaults?: Partial<Record<PssMode, PssModePolicy>>,
): NamespacePssPolicy {
  const base: PssModePolicy = { level: 'privileged', version: 'latest' };
  const p: NamespacePssPolicy = {
    enforce: { ...(defaults?.enforce ?? base) },
    audit: { ...(defaults?.audit ?? base) },
    warn: { ...(defaults?.warn ?? base) },
    errors: [],
  };
  if (labels === undefined || labels === null || typeof labels !== 'object') return p;

  let hasEnforceLevel = false;
  let hasWarnLevel = false;
  let hasWarnVersion = false;
  for (const mode of PSS_MODES) {
    const levelLabel = PSS_LABEL_PREFIX + mode;
    const versionLabel = `${levelLabel}-version`;
    if (Object.hasOwn(labels, levelLabel)) {
      const raw = String(labels[levelLabel]);
      const level = parseLevel(raw);
      if (mode === 'warn') hasWarnLevel = true;
      if (level !== undefined) {
        p[mode].level = level;
        if (mode === 'enforce') hasEnforceLevel = true;
      } else {
        p[mode].level = mode === 'enforce' ? 'restricted' : 'privileged';
        p.errors.push(invalid(levelLabel, raw, 'must be one of privileged, baseline, restricted'));
      }
    }
    if (Object.hasOwn(labels, versionLabel)) {
      const raw = String(labels[versionLabel]);
      const version = parseVersion(raw);
      if (mode === 'warn') hasWarnVersion = true;
      if (version !== undefined) p[mode].version = version;
      else {
        p[mode].version = 'latest';
        p.errors.push(invalid(versionLabel, raw, 'must be "latest" or "v1.x"'));
      }
    }
  }
  if (!hasWarnLevel && hasEnforceLevel && LEVEL_RANK[p.enforce.level] > LEVEL_RANK[p.warn.level]) {
    p.warn.level = p.enforce.level;
    if (!hasWarnVersion) p.warn.version = p.enforce.version;
  }
  return p;
}

/** Exemptions as the PodSecurity admission configuration defines them. */
export interface PssExemptions {
  usernames?: string[];
  runtimeClasses?: string[];
  namespaces?: string[];
}

/** True when the request's user, the pod's runtime class or the namespace is exempt. */
export function isExempt(ex: PssExemptions, req: { username?: string; runtimeClassName?: string; namespace?: string }): boolean {
  if (req.username !== undefined && ex.usernames?.includes(req.username)) return true;
  if (req.runtimeClassName !== undefined && ex.runtimeClasses?.includes(req.runtimeClassName)) return true;
  if (req.namespace !== undefined && ex.namespaces?.includes(req.namespace)) return true;
  return false;
}
