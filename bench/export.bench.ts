/**
 * Throughput and peak memory of a results export: `ROWS` result rows (default 1 000 000, the promise:
 * "fast on a million-row file") through the export's own cells (`RESULT_COLUMNS`, `resultCells`) and the
 * streaming writer, into a sink that discards the bytes after counting them (as the S3 part upload
 * does once a part is sent). Run: `npx tsx bench/export.bench.ts [xlsx|csv] [rows]`. Not a test.
 *
 * Prints rows/s (wall and per CPU-second), the file size and the peak RSS of this process
 * (`process.resourceUsage().maxRSS`, the Node runtime included).
 */
import { csvWriter } from '#adapters/spreadsheet-writer/csv-writer';
import { makeXlsxWriter } from '#adapters/spreadsheet-writer/xlsx-writer';
import type { SpreadsheetCell } from '#ports/spreadsheet-writer';
import { RESULT_COLUMNS, type ResultRow, resultCells } from '#use-cases/batches/export-results';

const format = process.argv[2] === 'csv' ? 'csv' : 'xlsx';
const rows = Number(process.argv[3] ?? 1_000_000);
const writer = format === 'csv' ? csvWriter : makeXlsxWriter();

/** A sent row as a finished batch has it: every column filled, Romanian text, a hostile text now and then. */
function row(n: number): ResultRow {
  const to = `+4072${String(n).padStart(7, '0')}`;
  return {
    row: n + 2,
    to,
    text: n % 97 === 0 ? `=HYPERLINK("x${n}")` : `Salut Ana ${n}, comanda ta a fost expediată. STOP la 1899`,
    encoding: 'UCS-2',
    parts: 1,
    cost: 450,
    status: 'ok',
    from: 'SHOP',
    message: { id: `b1R${n + 2}`, status: 'delivered', at: '2026-11-24T09:00:03.000Z' },
  };
}

async function* cells(): AsyncGenerator<SpreadsheetCell[]> {
  for (let n = 0; n < rows; n++) yield resultCells(row(n));
}

let bytes = 0;
const startCpu = process.cpuUsage();
const start = performance.now();
await writer.writeTo(RESULT_COLUMNS, cells(), {
  write: async (chunk) => {
    bytes += chunk.byteLength;
  },
});
const wall = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(startCpu);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `${format} ${rows} rows: ${wall.toFixed(1)} s wall, ${Math.round(rows / wall)} rows/s ` +
    `(${Math.round(rows / cpuSeconds)} rows per CPU-second), ${(bytes / 1024 / 1024).toFixed(1)} MiB, ` +
    `peak RSS ${peakRssMb.toFixed(0)} MiB`,
);
