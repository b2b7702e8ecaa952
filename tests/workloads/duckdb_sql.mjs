// duckdb_sql - run SQL files with DuckDB (@duckdb/node-api) in the current
// directory and print the rows of each file's last statement, one line per
// row, values separated by single spaces (for tests/t6010-export-duckdb.sh).
//
//   node duckdb_sql.mjs MODULE_DIR FILE.sql...
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(path.resolve(process.argv[2], 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
for (const file of process.argv.slice(3)) {
  const statements = readFileSync(file, 'utf8').split(';').map(s => s.trim())
    .filter(s => s.replace(/--.*$/gm, '').trim());
  let rows = [];
  for (const sql of statements)
    rows = (await con.runAndReadAll(sql)).getRowObjectsJson();
  for (const row of rows)
    console.log(Object.values(row).map(v => String(v)).join(' '));
}
