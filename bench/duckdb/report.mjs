// DuckDB reference for the spend import and report (issues 5 and 16): read
// the 5,000,000-row CSV that bench/spendgen writes and
//
//  1. load it into a table three ways, timing each (wall and the
//     process's CPU, user + system, all threads):
//     - as text: read_csv(…, all_varchar = true) — splits the CSV and
//       stores the strings, no typing or validation;
//     - typed, DuckDB's default: read_csv_auto(…), which sniffs the
//       column types on the first 20,480 rows and parses dates and
//       numbers. On the spendgen file it fails: TransactionNumber looks
//       like integers in the first rows and is not in the second copy
//       ("5100482005-1"). The script reports that, then times
//       read_csv_auto(…, sample_size = -1), which sniffs the whole file
//       (DuckDB's own suggestion);
//     - typed as svhub reads it: PaymentDate as DATE and Amount as
//       DECIMAL(18,2), every other column as text — the closest to
//       svhub's work (svhub also validates, rounds, de-duplicates, keeps
//       rejects, builds rollups and commits durably, which DuckDB does
//       not);
//     - the same typed load into a database file rather than memory,
//       with a CHECKPOINT inside the timing, since svhub writes a
//       durable database file (the file is deleted afterwards);
//  2. compute the report's SQL core — net spend, payments and top 300
//     payees for one financial year — over a loaded table (like our
//     rollups) and straight from the CSV (like a one-off analysis).
//
//   node report.mjs /tmp/svhub-spend5m/spend-5m.csv
import { rm, stat } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) throw new Error('usage: node report.mjs FILE.csv');
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const time = async (label, sql, runs) => {
  const took = [];
  let rows;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = (await c.runAndReadAll(sql)).getRows();
    took.push(performance.now() - t0);
  }
  took.sort((a, b) => a - b);
  console.log(`| ${label} | ${runs} | ${took[Math.floor(took.length / 2)].toFixed(1)} ms | ${took[Math.floor((took.length - 1) * 0.99)].toFixed(1)} ms | ${rows.length} rows |`);
};
// load times one CREATE TABLE … AS, in wall and CPU seconds.
const load = async (label, table, from) => {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await c.run(`CREATE TABLE ${table} AS SELECT * FROM ${from}`);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const n = Number((await c.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(`| ${label} | ${wall.toFixed(2)} s | ${cpuSeconds.toFixed(2)} s | ${n} | ${Math.round(n / wall)} |`);
  return { wall, cpu: cpuSeconds };
};
const text = `read_csv('${file}', header = true, all_varchar = true)`;
const report = (from, amount) => `SELECT BeneficiaryName, SUM(${amount}) AS net, COUNT(*) AS payments FROM ${from}
  WHERE PaymentDate BETWEEN '2024-04-01' AND '2025-03-31' GROUP BY BeneficiaryName ORDER BY net DESC LIMIT 300`;

console.log('| DuckDB load | wall | CPU (user + sys) | rows | rows/s |');
console.log('| --- | ---: | ---: | ---: | ---: |');
const walls = {};
walls.text = await load('as text: read_csv(…, all_varchar = true)', 'spend', text);
await c.run('DROP TABLE spend'); // one table in memory at a time
let autoError = '';
try {
  walls.auto = await load('typed, default: read_csv_auto(…)', 'spend', `read_csv_auto('${file}')`);
} catch (e) {
  autoError = String(e.message).split('\n').slice(0, 3).join(' ');
  console.log('| typed, default: read_csv_auto(…) | failed | | | |');
}
if (walls.auto === undefined) {
  walls.auto = await load('typed, default types sniffed on the whole file: read_csv_auto(…, sample_size = -1)', 'spend', `read_csv_auto('${file}', sample_size = -1)`);
}
const autoTypes = (await c.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE spend)`)).getRows();
await c.run('DROP TABLE spend');
walls.svhub = await load('typed as svhub reads it: PaymentDate DATE, Amount DECIMAL(18,2), the rest text', 'spend',
  `read_csv('${file}', header = true, auto_type_candidates = ['VARCHAR'], types = {'PaymentDate': 'DATE', 'Amount': 'DECIMAL(18,2)'})`);
// The same typed load into a database file, as svhub writes a durable
// database: a new file next to the CSV (or DUCKDB_FILE), with the
// checkpoint that makes it durable inside the timing. The in-memory loads
// above stay the reference quoted so far.
const dbFile = process.env.DUCKDB_FILE || `${file.replace(/\.csv$/, '')}.duckdb`;
for (const f of [dbFile, `${dbFile}.wal`]) await rm(f, { force: true });
{
  const fileDB = await DuckDBInstance.create(dbFile);
  const fc = await fileDB.connect();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fc.run(`CREATE TABLE spend AS SELECT * FROM read_csv('${file}', header = true, auto_type_candidates = ['VARCHAR'], types = {'PaymentDate': 'DATE', 'Amount': 'DECIMAL(18,2)'})`);
  await fc.run('CHECKPOINT');
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const n = Number((await fc.runAndReadAll('SELECT count(*) FROM spend')).getRows()[0][0]);
  walls.file = { wall, cpu: (cpu.user + cpu.system) / 1e6 };
  console.log(`| typed as svhub reads it, into a database file (with CHECKPOINT) | ${wall.toFixed(2)} s | ${walls.file.cpu.toFixed(2)} s | ${n} | ${Math.round(n / wall)} |`);
  fc.closeSync();
  fileDB.closeSync();
  const { size } = await stat(dbFile);
  console.log(`\nDuckDB database file: ${(size / 1e6).toFixed(0)} MB`);
  for (const f of [dbFile, `${dbFile}.wal`]) await rm(f, { force: true });
}
if (autoError) console.log(`\nread_csv_auto with its default sample failed: ${autoError}`);
console.log(`\nTypes read_csv_auto chose: ${autoTypes.map(([n, t]) => `${n} ${t}`).join(', ')}`);
console.log(`Load wall times for the ratios: as text ${walls.text.wall.toFixed(2)} s, read_csv_auto ${walls.auto.wall.toFixed(2)} s, typed as svhub reads it ${walls.svhub.wall.toFixed(2)} s, typed into a file ${walls.file.wall.toFixed(2)} s`);
console.log(`Load CPU times for the ratios: as text ${walls.text.cpu.toFixed(2)} s, read_csv_auto ${walls.auto.cpu.toFixed(2)} s, typed as svhub reads it ${walls.svhub.cpu.toFixed(2)} s, typed into a file ${walls.file.cpu.toFixed(2)} s`);
console.log('\n| DuckDB report | runs | median | p99 | result |');
console.log('| --- | ---: | ---: | ---: | ---: |');
await time('report from the typed table', report('spend', 'Amount'), 30);
await time('report straight from the CSV', report(text, 'CAST(Amount AS DECIMAL(18,2))'), 3);
