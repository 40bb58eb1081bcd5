import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { VulnDatabase, defaultDbPath } from './database.js';
import { importOsv } from './import.js';
import { ZipReader } from './zip.js';
import { matchPackages, recordLookupFrom } from '../match.js';
import { fixturesPresent, loadFixtureRecords, osvFixtures } from '../../../test/helpers/image-fixtures.js';
import type { Package } from '../types.js';

if (!fixturesPresent) console.log('NOTICE: ../shared/fixtures absent; skipping OSV fixture import tests');
const fixtureTest = fixturesPresent ? test : test.skip;

/** A minimal ZIP writer for tests (deflate or store, no ZIP64). */
function makeZip(entries: Array<{ name: string; data: Buffer; store?: boolean; lieSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const comp = e.store ? e.data : deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const crc = crc32(e.data) >>> 0;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(e.store ? 0 : 8, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(e.lieSize ?? e.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(e.store ? 0 : 8, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(e.lieSize ?? e.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, comp);
    centrals.push(ch, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'kubeward-db-test-'));
}

const RECORD_DIRS = ['npm-ghsa', 'debian12-derived', 'alpine-secdb'];
const FIXED_NOW = new Date('2026-12-01T00:00:00Z');

fixtureTest('importing the fixture records: all 20 valid, counted per ecosystem, matching as in memory', () => {
  const dir = tmp();
  try {
    const db = VulnDatabase.open(path.join(dir, 'osv.db'));
    const results = RECORD_DIRS.map((d) => importOsv(db, path.join(osvFixtures, d), { now: () => FIXED_NOW }));
    assert.deepEqual(results.flatMap((r) => r.skipped), []);
    assert.deepEqual(results.map((r) => [r.read, r.inserted, r.ecosystems]), [
      [6, 6, { npm: 6 }],
      [9, 9, { Debian: 9 }],
      [5, 5, { Alpine: 5 }],
    ]);
    // The schema folder holds no records: importing the whole tree reports those two files, never drops them.
    const whole = importOsv(db, osvFixtures, { now: () => FIXED_NOW });
    assert.deepEqual(whole.skipped.map((x) => x.source), ['schema/ecosystems.json', 'schema/osv-schema.json']);
    assert.equal(whole.unchanged, 20);
    const st = db.status(new Date('2026-12-03T12:00:00Z'));
    assert.equal(st.records, 20);
    assert.deepEqual(
      st.ecosystems.map((e) => [e.ecosystem, e.records, e.ageDays]),
      [
        ['Alpine', 5, 2],
        ['Debian', 9, 2],
        ['npm', 6, 2],
      ],
    );
    const pkgs: Package[] = [
      { ecosystem: 'npm', name: 'minimist', version: '0.0.8', location: { layer: 'l', path: 'a' } },
      { ecosystem: 'Debian', name: 'liblzma5', version: '5.4.1-1+deb12u1', sourceName: 'xz-utils', location: { layer: 'l', path: 'b' } },
    ];
    const distro = { id: 'debian', versionId: '12' };
    const viaDb = matchPackages(pkgs, distro, db.lookup);
    const inMemory = matchPackages(pkgs, distro, recordLookupFrom(loadFixtureRecords()));
    assert.deepEqual(viaDb, inMemory);
    assert.equal(viaDb.findings.length, 3);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const goodRecord = (id: string, modified = '2024-01-01T00:00:00Z') =>
  Buffer.from(JSON.stringify({ id, modified, affected: [{ package: { ecosystem: 'PyPI', name: 'Requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.31.0' }] }] }] }));

test('zip import: bad records reported with their reason and skipped; newer copies win', () => {
  const dir = tmp();
  try {
    mkdirSync(path.join(dir, 'PyPI'));
    const zipFile = path.join(dir, 'PyPI', 'all.zip');
    writeFileSync(
      zipFile,
      makeZip([
        { name: 'PYSEC-2023-74.json', data: goodRecord('PYSEC-2023-74') },
        { name: 'PYSEC-2023-75.json', data: goodRecord('PYSEC-2023-75'), store: true },
        { name: 'broken.json', data: Buffer.from('{"id": ') },
        { name: 'invalid.json', data: Buffer.from(JSON.stringify({ id: 'NOPE-1', modified: 'soon' })) },
        { name: 'README.txt', data: Buffer.from('not a record') },
      ]),
    );
    writeFileSync(path.join(dir, 'corrupt.zip'), Buffer.from('PK\u0003\u0004 not really'));
    const db = VulnDatabase.open(path.join(dir, 'osv.db'));
    const r = importOsv(db, dir, { now: () => FIXED_NOW });
    assert.equal(r.read, 2);
    assert.deepEqual(
      r.skipped.map((s) => `${s.source} ${s.id ?? '-'} ${s.reason.split(':')[0]}`),
      [
        'PyPI/all.zip!broken.json - not JSON',
        'PyPI/all.zip!invalid.json NOPE-1 /id has an unsupported value "NOPE-1"; /modified has an unsupported value "soon"; /modified must match format "date-time"',
        'corrupt.zip - unreadable archive',
      ],
    );
    assert.equal(db.lookup('PyPI', 'requests').length, 2);
    // An older copy does not replace a newer one; a newer one does.
    writeFileSync(path.join(dir, 'old.json'), goodRecord('PYSEC-2023-74', '2023-01-01T00:00:00Z'));
    assert.equal(importOsv(db, path.join(dir, 'old.json')).older, 1);
    writeFileSync(path.join(dir, 'new.json'), goodRecord('PYSEC-2023-74', '2025-01-01T00:00:00Z'));
    assert.equal(importOsv(db, path.join(dir, 'new.json')).updated, 1);
    assert.equal(db.record('PYSEC-2023-74')?.modified, '2025-01-01T00:00:00Z');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('zip reader bounds: entry size limit, ratio limit, CRC and size checks', () => {
  const dir = tmp();
  try {
    const bomb = Buffer.alloc(4 * 1024 * 1024, 0x20);
    const file = path.join(dir, 'bomb.zip');
    writeFileSync(file, makeZip([{ name: 'bomb.json', data: bomb }, { name: 'liar.json', data: Buffer.from('{"a":1}'), lieSize: 3 }]));
    const z = ZipReader.open(file, { maxEntryBytes: 1024 * 1024 });
    assert.throws(() => z.read(z.entries[0]!), /exceeds the 1048576-byte entry limit/);
    assert.throws(() => z.read(z.entries[1]!), /size mismatch|cannot inflate/);
    z.close();
    const z2 = ZipReader.open(file, { maxRatio: 100 });
    assert.throws(() => z2.read(z2.entries[0]!), /compression ratio/);
    z2.close();
    writeFileSync(path.join(dir, 'empty.zip'), Buffer.alloc(10));
    assert.throws(() => ZipReader.open(path.join(dir, 'empty.zip')), /not a ZIP archive/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('default database path follows XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(defaultDbPath({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }), '/x/cache/kubeward/osv.db');
  assert.equal(defaultDbPath({ HOME: '/home/u' }), '/home/u/.cache/kubeward/osv.db');
  assert.equal(defaultDbPath({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }), '/home/u/.cache/kubeward/osv.db');
});
