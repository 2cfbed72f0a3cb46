/**
 * The legacy .xls reader on a full BIFF8 sheet: 65 535 rows (the format's limit) of phone (a number for
 * most rows), name and a Romanian text, written by SheetJS into `.local/bench/` (git-ignored) once.
 * Reading runs in a fresh child process and reports the file size, the wall time to open the file and
 * read every row, and the child's peak RSS (`process.resourceUsage().maxRSS`, the Node runtime included).
 * Run: `npx tsx bench/xls.bench.ts [rows]` (default 65535). Not a test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { openSpreadsheet } from '#adapters/spreadsheet/spreadsheet';
import { syntheticRow } from '../test/support/spreadsheet-fixtures';
import { xlsWorkbook } from '../test/support/xls-fixtures';

const [mode, count] = process.argv[2] === 'read' ? ['read', process.argv[3]] : ['main', process.argv[2]];
const rows = Number(count ?? 65_535);
const file = `.local/bench/xls-${rows}.xls`;

if (mode === 'read') {
  const bytes = readFileSync(file);
  const started = performance.now();
  const book = await openSpreadsheet(bytes);
  let read = 0;
  for await (const batch of book.rowBatches()) read += batch.length;
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  console.log(
    JSON.stringify({
      rows: read,
      fileMb: +(bytes.length / 1e6).toFixed(1),
      seconds: +seconds.toFixed(2),
      peakRssMb,
    }),
  );
} else {
  if (!existsSync(file)) {
    mkdirSync('.local/bench', { recursive: true });
    writeFileSync(
      file,
      xlsWorkbook([{ name: 'Clienți', rows: Array.from({ length: rows }, (_, i) => syntheticRow(i)) }]),
    );
  }
  execFileSync('npx', ['tsx', 'bench/xls.bench.ts', 'read', String(rows)], { stdio: 'inherit' });
}
