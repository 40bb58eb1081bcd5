/** Registry credentials from the Docker client configuration (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`). */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export interface RegistryCredentials {
  username: string;
  password: string;
}

function keyHost(key: string): string {
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/**
 * Looks up `auths` for `registry` (matching `host`, `https://host`, `http://host[/v1/]`; Docker Hub also as
 * `index.docker.io`). Only inline `auth` (base64 user:password) and username/password entries are read;
 * credential helpers are not run. Returns undefined when absent or unreadable.
 */
export function dockerConfigCredentials(registry: string, configPath?: string): RegistryCredentials | undefined {
  const file = configPath ?? path.join(process.env['DOCKER_CONFIG'] ?? path.join(homedir(), '.docker'), 'config.json');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const auths = (doc as Record<string, unknown>)['auths'];
  if (typeof auths !== 'object' || auths === null) return undefined;
  const hosts = registry === 'docker.io' ? ['docker.io', 'index.docker.io', 'registry-1.docker.io'] : [registry];
  for (const [key, value] of Object.entries(auths as Record<string, unknown>)) {
    if (!hosts.includes(keyHost(key)) || typeof value !== 'object' || value === null) continue;
    const v = value as Record<string, unknown>;
    if (typeof v['auth'] === 'string' && v['auth'] !== '') {
      const decoded = Buffer.from(v['auth'], 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
    }
    if (typeof v['username'] === 'string' && typeof v['password'] === 'string') {
      return { username: v['username'], password: v['password'] };
    }
  }
  return undefined;
}
