/**
 * AdmissionReview (admission.k8s.io/v1, and v1beta1 answered in kind): parsing with
 * clear error messages, and responses built exactly as the API defines them.
 * Pure: no I/O.
 */
import type { KubeObject } from '../core/types.js';
import type { JsonPatchOp } from '../core/finding.js';
import { isRecord } from '../core/records.js';

export const ADMISSION_API_VERSIONS = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'] as const;
export type AdmissionApiVersion = (typeof ADMISSION_API_VERSIONS)[number];

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** The `request` of an AdmissionReview, with the fields kubeward reads typed. */
export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource?: string;
  requestKind?: GroupVersionKind;
  requestResource?: GroupVersionResource;
  requestSubResource?: string;
  name?: string;
  namespace?: string;
  operation: Operation;
  userInfo: UserInfo;
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  dryRun?: boolean;
  options?: unknown;
}

export interface AdmissionReviewRequest {
  apiVersion: AdmissionApiVersion;
  kind: 'AdmissionReview';
  request: AdmissionRequest;
}

export interface Status {
  code: number;
  message: string;
  reason?: string;
  /** `Failure` on denials, as metav1.Status has it. */
  status?: 'Failure';
  /** What was refused (metav1.StatusDetails: `kind` holds the resource, as the API server puts it). */
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ reason: string; message: string; field: string }> };
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: Status;
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

export interface AdmissionReviewResponse {
  apiVersion: AdmissionApiVersion;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

/** What a decision produces before it is wrapped into a response. */
export interface Verdict {
  allowed: boolean;
  /** Set when denied (code 403, reason Forbidden) or on a request error. */
  status?: Status;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
  patch?: JsonPatchOp[];
}

export type ParseResult =
  | { ok: true; review: AdmissionReviewRequest }
  | { ok: false; message: string; /** the request uid when one could be read */ uid?: string };

const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];


function isGvk(v: unknown): v is GroupVersionKind {
  return isRecord(v) && typeof v['group'] === 'string' && typeof v['version'] === 'string' && typeof v['kind'] === 'string' && v['kind'] !== '';
}

function isGvr(v: unknown): v is GroupVersionResource {
  return isRecord(v) && typeof v['group'] === 'string' && typeof v['version'] === 'string' && typeof v['resource'] === 'string';
}

function isObjectOrNull(v: unknown): boolean {
  return v === undefined || v === null || isRecord(v);
}

/**
 * Validates a decoded JSON body as an AdmissionReview request. Every failure names what is
 * wrong, so a misconfigured webhook or a hand-written test body is fixed in one look.
 */
export function parseAdmissionReview(body: unknown): ParseResult {
  if (!isRecord(body)) return { ok: false, message: 'body must be a JSON object (an AdmissionReview)' };
  const apiVersion = body['apiVersion'];
  const kind = body['kind'];
  if (kind !== 'AdmissionReview') {
    return { ok: false, message: `kind must be "AdmissionReview", got ${describe(kind)}` };
  }
  if (typeof apiVersion !== 'string' || !(ADMISSION_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    return { ok: false, message: `apiVersion must be one of ${ADMISSION_API_VERSIONS.join(', ')}, got ${describe(apiVersion)}` };
  }
  const req = body['request'];
  if (req === undefined || req === null) return { ok: false, message: 'AdmissionReview has no request' };
  if (!isRecord(req)) return { ok: false, message: 'request must be an object' };
  const uid = req['uid'];
  if (typeof uid !== 'string' || uid === '') return { ok: false, message: 'request.uid must be a non-empty string' };
  const fail = (message: string): ParseResult => ({ ok: false, message, uid });
  if (!isGvk(req['kind'])) return fail('request.kind must be {group, version, kind}');
  if (!isGvr(req['resource'])) return fail('request.resource must be {group, version, resource}');
  const op = req['operation'];
  if (typeof op !== 'string' || !OPERATIONS.includes(op)) return fail(`request.operation must be one of ${OPERATIONS.join(', ')}, got ${describe(op)}`);
  const userInfo = req['userInfo'] ?? {};
  if (!isRecord(userInfo)) return fail('request.userInfo must be an object');
  if (userInfo['groups'] !== undefined && !(Array.isArray(userInfo['groups']) && userInfo['groups'].every((g) => typeof g === 'string'))) {
    return fail('request.userInfo.groups must be a list of strings');
  }
  if (!isObjectOrNull(req['object'])) return fail('request.object must be an object');
  if (!isObjectOrNull(req['oldObject'])) return fail('request.oldObject must be an object');
  if (req['namespace'] !== undefined && typeof req['namespace'] !== 'string') return fail('request.namespace must be a string');
  if (req['dryRun'] !== undefined && typeof req['dryRun'] !== 'boolean') return fail('request.dryRun must be a boolean');
  if ((op === 'CREATE' || op === 'UPDATE') && !isRecord(req['object'])) return fail(`request.object is required for ${op}`);
  const request = { ...req, userInfo } as unknown as AdmissionRequest;
  return { ok: true, review: { apiVersion: apiVersion as AdmissionApiVersion, kind: 'AdmissionReview', request } };
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  return v === null ? 'null' : typeof v;
}

/** Base64 of a JSON Patch, as `response.patch` carries it. */
export function encodePatch(ops: readonly JsonPatchOp[]): string {
  return Buffer.from(JSON.stringify(ops), 'utf8').toString('base64');
}

/**
 * The AdmissionReview answering `uid`, in the caller's API version. Empty warnings,
 * annotations and patches are left out, as the API server expects.
 */
export function buildReviewResponse(apiVersion: AdmissionApiVersion, uid: string, verdict: Verdict): AdmissionReviewResponse {
  const response: AdmissionResponse = { uid, allowed: verdict.allowed };
  if (verdict.status) response.status = verdict.status;
  if (verdict.patch && verdict.patch.length > 0 && verdict.allowed) {
    response.patchType = 'JSONPatch';
    response.patch = encodePatch(verdict.patch);
  }
  if (verdict.warnings && verdict.warnings.length > 0) response.warnings = verdict.warnings;
  if (verdict.auditAnnotations && Object.keys(verdict.auditAnnotations).length > 0) response.auditAnnotations = verdict.auditAnnotations;
  return { apiVersion, kind: 'AdmissionReview', response };
}

/**
 * A denial with the status Pod Security Admission gives (the API server's Forbidden error for
 * the request's resource and name): `pods "web" is forbidden: violates PodSecurity …`, which
 * the user sees behind `admission webhook "…" denied the request: `.
 */
export function forbidden(req: Pick<AdmissionRequest, 'resource' | 'name' | 'object'>, reason: string): Status {
  const { group, resource } = req.resource;
  const name = req.name || (typeof req.object?.metadata?.name === 'string' ? req.object.metadata.name : '');
  const qualified = group ? `${resource}.${group}` : resource;
  const message = !qualified ? `forbidden: ${reason}` : name ? `${qualified} ${JSON.stringify(name)} is forbidden: ${reason}` : `${qualified} is forbidden: ${reason}`;
  const details: NonNullable<Status['details']> = {};
  if (name) details.name = name;
  if (group) details.group = group;
  if (resource) details.kind = resource;
  return { status: 'Failure', code: 403, reason: 'Forbidden', message, details };
}

/** A skeleton request for evaluating a manifest as the webhook would (CLI `admission test`, tests). */
export function requestFor(
  object: KubeObject,
  options: { operation?: 'CREATE' | 'UPDATE'; username?: string; groups?: string[]; namespace?: string; oldObject?: KubeObject; dryRun?: boolean; uid?: string } = {},
): AdmissionReviewRequest {
  const [group, version] = splitApiVersion(object.apiVersion);
  const namespace = options.namespace ?? object.metadata.namespace ?? 'default';
  const request: AdmissionRequest = {
    uid: options.uid ?? '00000000-0000-0000-0000-000000000000',
    kind: { group, version, kind: object.kind },
    resource: { group, version, resource: resourceName(object.kind) },
    namespace,
    operation: options.operation ?? 'CREATE',
    userInfo: { username: options.username ?? 'kubeward-test', groups: options.groups ?? ['system:authenticated'] },
    object: { ...object, metadata: { ...object.metadata, namespace } },
    dryRun: options.dryRun ?? false,
  };
  if (object.metadata.name !== undefined) request.name = object.metadata.name;
  if (options.oldObject) request.oldObject = options.oldObject;
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
}

export function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

/** Plural resource name of a kind as the API uses it (`Pod` → `pods`, `CronJob` → `cronjobs`). */
export function resourceName(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
