// DuckDB reference for the spend report (issue 5): read the 5,000,000-row
// CSV that bench/spendgen writes and compute the report's SQL core — net
// spend, payments and top 300 payees for one financial year — timing the
// query over a table loaded once (like our rollups) and straight from the
// CSV (like a one-off analysis).
//
//   node report.mjs /tmp/svhub-spend5m/spend-5m.csv
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
const csv = `read_csv('${file}', header = true, all_varchar = true)`;
const report = (from) => `SELECT BeneficiaryName, SUM(CAST(Amount AS DECIMAL(18,2))) AS net, COUNT(*) AS payments FROM ${from}
  WHERE PaymentDate BETWEEN '2024-04-01' AND '2025-03-31' GROUP BY BeneficiaryName ORDER BY net DESC LIMIT 300`;
console.log('| DuckDB | runs | median | p99 | result |');
console.log('| --- | ---: | ---: | ---: | ---: |');
const t0 = performance.now();
await c.run(`CREATE TABLE spend AS SELECT * FROM ${csv}`);
console.log(`| load the CSV into a table | 1 | ${(performance.now() - t0).toFixed(0)} ms | | |`);
await time('report from the loaded table', report('spend'), 30);
await time('report straight from the CSV', report(csv), 3);
