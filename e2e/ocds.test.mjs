// `svhub export ocds` on the demo data must validate against the OCDS 1.1.5
// release package schema (JSON Schema draft-04), shipped with the tests in
// e2e/testdata/ocds-schema-1.1.5 (SVHUB_OCDS_SCHEMA names another copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const schemaDir = process.env.SVHUB_OCDS_SCHEMA || resolve(here, 'testdata', 'ocds-schema-1.1.5');

function validator() {
  assert.ok(existsSync(join(schemaDir, 'release-package-schema.json')), `OCDS 1.1.5 schema not found at ${schemaDir} (set SVHUB_OCDS_SCHEMA)`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, 'release-schema.json'), 'utf8')));
  return ajv.compile(JSON.parse(readFileSync(join(schemaDir, 'release-package-schema.json'), 'utf8')));
}

test('svhub export ocds on the demo data validates against OCDS 1.1.5', () => {
  const validate = validator();
  const dir = mkdtempSync(join(tmpdir(), 'svhub-ocds-'));
  try {
    const db = 'sqlite:' + join(dir, 'hub.db');
    execFileSync(process.env.SVHUB_BIN, ['seed', 'demo', '--db', db, '--demo-password', 'ocds-test-password'], { stdio: 'pipe' });
    const out = join(dir, 'ocds.json');
    execFileSync(process.env.SVHUB_BIN, ['export', 'ocds', '--db', db, '--out', out], { stdio: 'pipe' });
    const pkg = JSON.parse(readFileSync(out, 'utf8'));
    const ok = validate(pkg);
    assert.ok(ok, 'schema errors:\n' + JSON.stringify(validate.errors?.slice(0, 20), null, 2));
    const tags = pkg.releases.map((r) => r.tag[0]);
    for (const t of ['tender', 'award', 'contract', 'tenderCancellation']) assert.ok(tags.includes(t), `no ${t} release`);
    // Social value commitments travel in contracts[].implementation with the
    // Metrics extension declared; worth carries its price year.
    assert.ok(pkg.extensions?.some((u) => u.includes('ocds_metrics_extension')), 'metrics extension not declared');
    const impls = pkg.releases.flatMap((r) => r.contracts ?? []).map((c) => c.implementation).filter(Boolean);
    // One metric per commitment milestone, plus one per KPI (Procurement Act s.52).
    assert.ok(impls.length > 0 && impls.some((i) => i.milestones?.length > 0) && impls.every((i) => (i.metrics?.length ?? 0) >= (i.milestones?.length ?? 0)), 'no implementation milestones and metrics');
    // Every tenderer is named once a tender is awarded (never before its
    // deadline), as a party with the tenderer role.
    const awarded = pkg.releases.filter((r) => r.tag.includes('award'));
    assert.ok(awarded.some((r) => r.tender?.tenderers?.length >= 2), 'no awarded tender names its tenderers');
    for (const r of awarded) {
      for (const tt of r.tender?.tenderers ?? []) assert.ok(r.parties.some((p) => p.id === tt.id && p.roles.includes('tenderer')), `tenderer ${tt.name} is not a party`);
      assert.equal(r.tender.numberOfTenderers, r.tender.tenderers.length);
    }
    for (const r of pkg.releases.filter((r) => r.tag.includes('tender') && r.tender?.status === 'active')) assert.equal(r.tender.tenderers, undefined, `open tender ${r.ocid} names tenderers`);
    // The demo's first contract has KPIs (Procurement Act s.52), each a metric with its assessment.
    const kpis = impls.flatMap((i) => i.metrics).filter((m) => m.id.startsWith('kpi-'));
    assert.ok(kpis.length >= 3 && kpis.every((m) => m.observations.length >= 1 && m.description.startsWith('Key performance indicator.')), 'no KPIs with assessments');
    // The demo's tender with two lots lists them (Lots extension, declared),
    // one item per lot pointing at it; its lots are not processes of their own.
    assert.ok(pkg.extensions?.some((u) => u.includes('ocds_lots_extension')), 'lots extension not declared');
    const withLots = pkg.releases.filter((r) => (r.tender?.lots?.length ?? 0) >= 2);
    assert.ok(withLots.length > 0 && withLots.every((r) => r.tender.items.every((it) => r.tender.lots.some((l) => l.id === it.relatedLot))), 'no tender with lots and items related to them');
    assert.ok(!pkg.releases.some((r) => r.tender?.title === 'Libraries'), 'a lot was exported as a contracting process');
    // Residents' concerns and the buyer's responses are contract documents.
    const concerns = pkg.releases.flatMap((r) => r.contracts ?? []).flatMap((c) => c.documents ?? []).filter((d) => d.documentType === 'publicConcern');
    assert.ok(concerns.length > 0 && concerns.every((d) => d.description.startsWith("A resident's concern: ")), 'no residents\' concerns as documents');
    const worth = impls.flatMap((i) => i.metrics.flatMap((m) => m.observations)).filter((o) => o.value);
    assert.ok(worth.length > 0 && worth.every((o) => o.dimensions.priceYear && o.value.currency === 'GBP'), 'no priced observations with a price year');
    // And a broken package really is rejected, so the check has teeth.
    const broken = structuredClone(pkg);
    delete broken.releases[0].ocid;
    broken.releases[1].tag = ['bogus'];
    assert.equal(validate(broken), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
