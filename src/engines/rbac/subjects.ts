/**
 * Identities as the API server sees them: service-account usernames and their implied
 * groups, the anonymous user, and what impersonation (`kubectl --as`) turns a requested
 * user and groups into.
 */
import type { BindingSubject, Subject } from './types.js';

export const SA_USER_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS = 'system:serviceaccounts';
export const AUTHENTICATED = 'system:authenticated';
export const UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';
export const MASTERS = 'system:masters';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_USER_PREFIX}${namespace}:${name}`;
}

/** The groups the token authenticator gives a service account of `namespace`. */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS, `${ALL_SERVICE_ACCOUNTS}:${namespace}`, AUTHENTICATED];
}

/** The subject a service-account token authenticates as. */
export function serviceAccountSubject(namespace: string, name: string): Subject {
  return { user: serviceAccountUsername(namespace, name), groups: serviceAccountGroups(namespace) };
}

/** The anonymous user (`--anonymous-auth`): `system:anonymous` in `system:unauthenticated`. */
export function anonymousSubject(): Subject {
  return { user: ANONYMOUS, groups: [UNAUTHENTICATED] };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * `system:serviceaccount:<ns>:<name>` → `{namespace, name}` when both parts are valid
 * (namespace a DNS label, name a DNS subdomain), as the API server's SplitUsername; else undefined.
 */
export function parseServiceAccountUsername(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SA_USER_PREFIX)) return undefined;
  const parts = user.slice(SA_USER_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) return undefined;
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) return undefined;
  return { namespace, name };
}

/**
 * The subject the API server builds when a request impersonates `user` with `groups`
 * (kubectl `--as` / `--as-group`): a service-account username without explicit groups
 * gets that account's groups; a non-anonymous user gets `system:authenticated` unless
 * `system:authenticated` or `system:unauthenticated` was given; `system:anonymous` gets
 * `system:unauthenticated`.
 */
export function impersonatedSubject(user: string, groups: readonly string[] = []): Subject {
  let out = [...groups];
  const sa = parseServiceAccountUsername(user);
  if (sa && out.length === 0) out = [ALL_SERVICE_ACCOUNTS, `${ALL_SERVICE_ACCOUNTS}:${sa.namespace}`];
  if (user !== ANONYMOUS) {
    if (!out.includes(AUTHENTICATED) && !out.includes(UNAUTHENTICATED)) out.push(AUTHENTICATED);
  } else if (!out.includes(UNAUTHENTICATED)) {
    out.push(UNAUTHENTICATED);
  }
  return { user, groups: out };
}

/** The username a binding subject grants to, or undefined for groups / unmatched service accounts. */
export function bindingSubjectUser(s: BindingSubject): string | undefined {
  if (s.kind === 'User') return s.name;
  if (s.kind === 'ServiceAccount') return s.namespace ? serviceAccountUsername(s.namespace, s.name) : undefined;
  return undefined;
}

/** True when a binding subject (namespace already defaulted) applies to `subject`, as the authorizer's appliesToUser. */
export function bindingSubjectApplies(s: BindingSubject, subject: Subject): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === subject.user;
    case 'Group':
      return subject.groups.includes(s.name);
    case 'ServiceAccount':
      return !!s.namespace && serviceAccountUsername(s.namespace, s.name) === subject.user;
    default:
      return false;
  }
}

/** Display form: `User alice`, `Group devs`, `ServiceAccount shop/web`. */
export function formatBindingSubject(s: BindingSubject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ?? ''}/${s.name}` : `${s.kind} ${s.name}`;
}

/**
 * A subject string as users type it: `system:serviceaccount:ns:name`, `User:alice`,
 * `Group:devs`, `ServiceAccount:ns/name`, or a bare user name. Groups become a subject
 * with no user (a user that matches no User binding), so their own rules show.
 */
export function parseSubjectString(text: string, extraGroups: readonly string[] = []): Subject {
  if (text.startsWith('Group:')) return { user: '', groups: [text.slice('Group:'.length), ...extraGroups] };
  if (text.startsWith('ServiceAccount:')) {
    const [ns = '', name = ''] = text.slice('ServiceAccount:'.length).split('/');
    return impersonatedSubject(serviceAccountUsername(ns, name), extraGroups);
  }
  const user = text.startsWith('User:') ? text.slice('User:'.length) : text;
  return impersonatedSubject(user, extraGroups);
}
