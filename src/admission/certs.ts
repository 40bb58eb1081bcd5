/**
 * TLS material for the webhook: a private CA and a serving certificate signed by it
 * (ECDSA P-256, SHA-256), generated with @peculiar/x509 over node's WebCrypto.
 * The CA's certificate becomes the webhook configurations' `caBundle`.
 */
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto;
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

export interface CertificateOptions {
  /** DNS names of the serving certificate (first one is the common name). */
  dnsNames: string[];
  /** Validity of the serving certificate in days (the CA gets ten times that). */
  days?: number;
  /** Clock, for tests. */
  now?: Date;
}

export interface CertificateBundle {
  caCert: string;
  /** Kept in memory only: `certs --out` does not write it, so nobody can sign further certificates by accident. */
  caKey: string;
  tlsCert: string;
  tlsKey: string;
}

function serial(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[0] = (b[0] ?? 0) & 0x7f; // positive
  return Buffer.from(b).toString('hex');
}

type X509 = typeof import('@peculiar/x509');
let x509Module: Promise<X509> | undefined;
/** Loaded on first use, after the metadata shim its dependency injection container needs. */
function loadX509(): Promise<X509> {
  x509Module ??= import('./reflect-shim.js').then(() => import('@peculiar/x509'));
  return x509Module;
}

async function pemKey(x509: X509, key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** `kubeward-admission.kubeward.svc` → the names a Service is reached by in-cluster. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

export async function generateCertificates(options: CertificateOptions): Promise<CertificateBundle> {
  if (options.dnsNames.length === 0) throw new Error('at least one DNS name is required');
  const x509 = await loadX509();
  const now = options.now ?? new Date();
  const days = options.days ?? 365;
  const notBefore = new Date(now.getTime() - 5 * 60 * 1000); // clock skew
  const caKeys = (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: 'CN=kubeward admission CA',
      notBefore,
      notAfter: new Date(now.getTime() + days * 10 * DAY),
      signingAlgorithm: ALG,
      keys: caKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const keys = (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const first = options.dnsNames[0] as string;
  const leaf = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: `CN=${first.replace(/[,+"\\<>;=]/g, '')}`,
      issuer: ca.subject,
      notBefore,
      notAfter: new Date(now.getTime() + days * DAY),
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(
          options.dnsNames.map((value) => (/^[0-9.]+$|:/.test(value) ? { type: 'ip' as const, value } : { type: 'dns' as const, value })),
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { caCert: ca.toString('pem') + '\n', caKey: (await pemKey(x509, caKeys.privateKey)) + '\n', tlsCert: leaf.toString('pem') + '\n', tlsKey: (await pemKey(x509, keys.privateKey)) + '\n' };
}

/** Writes `ca.crt`, `tls.crt` and `tls.key` (mode 0600) into `dir`; returns the paths. */
export async function writeCertificates(dir: string, bundle: CertificateBundle): Promise<{ ca: string; cert: string; key: string }> {
  await mkdir(dir, { recursive: true });
  const paths = { ca: join(dir, 'ca.crt'), cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') };
  await writeFile(paths.ca, bundle.caCert, { mode: 0o644 });
  await writeFile(paths.cert, bundle.tlsCert, { mode: 0o644 });
  await writeFile(paths.key, bundle.tlsKey, { mode: 0o600 });
  return paths;
}
