/**
 * Throughput and peak memory of the spreadsheet reader, alone and under the batch pipeline, on 100k-
 * and 1M-row workbooks (phone, name, a Romanian text) with inline strings and with shared strings
 * (as Excel writes them), and exceljs 4.4's streaming reader on the 100k files for comparison.
 * Run: `npx tsx bench/spreadsheet.bench.ts [rows…]` (default 100000 1000000). Not a test.
 *
 * Each measurement runs in a fresh child process, pinned to one core with `taskset` when available
 * (so the inflater's thread shares that core), and reports wall time, CPU time and the child's peak RSS
 * (`process.resourceUsage().maxRSS`, the Node runtime included). Files are generated once into
 * `.local/bench/` (git-ignored) by the fast generator in test/support/spreadsheet-fixtures.ts.
 *
 * The pipeline per row is what a batch does before chunks go to S3: normalise the phone number
 * (makePhoneNumberNormaliser, RO), drop duplicates (a Set) and blocklisted numbers (a Set), render
 * `Salut #nume, #detalii.` (compileTemplate), count parts (analyseText), price (quote), and serialise
 * chunks of 1 000 priced messages as JSON (then dropped, as after an S3 PUT).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { type CellValue, openSpreadsheet, type SheetRow } from '#adapters/spreadsheet/spreadsheet';
import { analyseText } from '#domain/message/encoding';
import { compileTemplate } from '#domain/message/template';
import { makePhoneNumberNormaliser } from '#domain/phone/phone-number';
import { DEFAULT_PRICE_LIST } from '#domain/pricing/default-price-list';
import { quote } from '#domain/pricing/price-list';
import { syntheticRow, writeSyntheticXlsx } from '../test/support/spreadsheet-fixtures';

type Mode = 'inline' | 'shared';
type Scenario = 'reader' | 'pipeline' | 'exceljs-reader' | 'exceljs-pipeline';

interface Result {
  scenario: Scenario;
  mode: Mode;
  rows: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  messages?: number;
  replacementChars?: number;
}

const DIR = '.local/bench';
const TEMPLATE = 'Salut #nume, #detalii. Răspunde STOP la 1899 pentru dezabonare.';
/**
 * Messages per priced chunk, as the batch workflow writes them (CHUNK_ROWS in parse-batch-file.ts);
 * BENCH_CHUNK overrides. Peak RSS depends on it: what a chunk holds until it is written is promoted to
 * V8's old generation, which then grows before it is collected.
 */
const CHUNK = Number(process.env.BENCH_CHUNK ?? 1_000);

function fileFor(rows: number, mode: Mode): string {
  return `${DIR}/xlsx-${rows}-${mode}.xlsx`;
}

// ---- child: one measurement ------------------------------------------------------------------------

type RowSource = (onBatch: (rows: SheetRow[]) => void) => Promise<void>;

function ourRows(path: string): RowSource {
  return async (onBatch) => {
    const book = await openSpreadsheet(readFileSync(path));
    for await (const batch of book.rowBatches()) onBatch(batch);
  };
}

function exceljsRows(path: string): RowSource {
  return async (onBatch) => {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      worksheets: 'emit',
    });
    for await (const worksheet of reader) {
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells: CellValue[] = [];
        for (let c = 1; c < values.length; c++) {
          const value = values[c];
          cells.push(value === undefined ? null : (value as CellValue));
        }
        onBatch([{ rowNumber: row.number, cells }]);
      }
    }
  };
}

function readerOnly(source: RowSource): Promise<{ rows: number; replacementChars: number }> {
  let rows = 0;
  let replacementChars = 0;
  return source((batch) => {
    rows += batch.length;
    for (const row of batch) {
      for (const cell of row.cells)
        if (typeof cell === 'string' && cell.includes('\uFFFD')) replacementChars++;
    }
  }).then(() => ({ rows, replacementChars }));
}

async function pipeline(source: RowSource): Promise<{ rows: number; messages: number }> {
  const normalise = makePhoneNumberNormaliser({ defaultCountry: 'RO' });
  const seen = new Set<string>();
  const blocklist = new Set(
    Array.from({ length: 1000 }, (_, i) => `+4072${String(2_000_000 + i * 997).padStart(7, '0')}`),
  );
  let headers: string[] | undefined;
  let render: ((row: Record<string, string | number | null>) => string | undefined) | undefined;
  let rows = 0;
  let messages = 0;
  let chunk: unknown[] = [];
  let serialisedBytes = 0;
  const flush = () => {
    serialisedBytes += JSON.stringify(chunk).length;
    chunk = [];
  };
  await source((batch) => {
    for (const { rowNumber, cells } of batch) {
      rows++;
      if (headers === undefined) {
        headers = cells.map((c) => String(c ?? ''));
        const compiled = compileTemplate(TEMPLATE, headers);
        if (!compiled.ok) throw new Error(`template: ${compiled.code}`);
        render = (row) => {
          const result = compiled.render(row);
          return result.ok ? result.text : undefined;
        };
        continue;
      }
      const phone = cells[0];
      const number = normalise(typeof phone === 'string' || typeof phone === 'number' ? phone : null);
      if (!number.ok || seen.has(number.e164)) continue;
      seen.add(number.e164);
      if (blocklist.has(number.e164)) continue;
      const row: Record<string, string | number | null> = Object.create(null);
      for (let c = 0; c < headers.length; c++) {
        const value = cells[c] ?? null;
        row[headers[c] as string] =
          value instanceof Date ? value.toISOString() : (value as string | number | null);
      }
      const text = render?.(row);
      if (text === undefined) continue;
      const { encoding, parts } = analyseText(text);
      const price = quote(DEFAULT_PRICE_LIST, number.e164, parts);
      if (!price.ok) continue;
      chunk.push({ rowNumber, to: number.e164, text, encoding, parts, cost: price.cost });
      messages++;
      if (chunk.length === CHUNK) flush();
    }
  });
  flush();
  if (serialisedBytes === 0) throw new Error('nothing serialised');
  return { rows, messages };
}

async function child(scenario: Scenario, mode: Mode, path: string): Promise<void> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const source = scenario.startsWith('exceljs') ? exceljsRows(path) : ourRows(path);
  const outcome = scenario.endsWith('pipeline') ? await pipeline(source) : await readerOnly(source);
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const result: Result = {
    scenario,
    mode,
    wallSeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...outcome,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

// ---- parent: generate, run, report -----------------------------------------------------------------

function ensureFile(rows: number, mode: Mode): string {
  const path = fileFor(rows, mode);
  if (!existsSync(path)) {
    mkdirSync(DIR, { recursive: true });
    const start = Date.now();
    writeFileSync(path, writeSyntheticXlsx(rows + 1, mode, syntheticRow));
    console.log(`generated ${path} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
  return path;
}

const pinned = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
})();

function measure(scenario: Scenario, mode: Mode, path: string): Promise<Result> {
  const args = [...process.execArgv, process.argv[1] as string, '--child', scenario, mode, path];
  const [command, commandArgs] = pinned
    ? ['taskset', ['-c', '0', process.execPath, ...args]]
    : [process.execPath, args];
  return new Promise((resolve, reject) => {
    const proc = spawn(command as string, commandArgs as string[], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (data: Buffer) => {
      out += data.toString();
    });
    proc.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || line === undefined) reject(new Error(`${scenario} ${mode} failed (${code}): ${out}`));
      else resolve(JSON.parse(line.slice(7)) as Result);
    });
  });
}

function format(r: Result, size: number): string {
  const who = r.scenario.startsWith('exceljs') ? 'exceljs' : 'ours   ';
  const what = r.scenario.endsWith('pipeline') ? 'pipeline' : 'reader  ';
  const extra = [
    r.messages === undefined ? '' : `${r.messages} messages`,
    r.replacementChars === undefined ? '' : `${r.replacementChars} cells with U+FFFD`,
  ].join('');
  return [
    `${String(size).padStart(8)} rows ${r.mode.padEnd(6)} ${what} ${who}`,
    `${r.wallSeconds.toFixed(2).padStart(6)} s wall`,
    `${r.cpuSeconds.toFixed(2).padStart(6)} s cpu`,
    `${Math.round(r.rows / r.wallSeconds)
      .toLocaleString('en')
      .padStart(10)} rows/s`,
    `peak RSS ${Math.round(r.peakRssMb).toString().padStart(5)} MB`,
    extra,
  ].join('  ');
}

function summarise(rows: number, mode: Mode, results: Map<Scenario, Result>): string {
  const reader = results.get('reader');
  const pipeline = results.get('pipeline');
  if (!reader || !pipeline) return '';
  const memoryGoal = mode === 'inline' ? 400 : 800;
  const met = pipeline.wallSeconds <= 8 && pipeline.peakRssMb <= memoryGoal;
  const parts = [
    `SUMMARY ${rows} rows ${mode}: reader ${reader.wallSeconds.toFixed(2)} s (cpu ${reader.cpuSeconds.toFixed(2)} s, peak ${Math.round(reader.peakRssMb)} MB)`,
    `pipeline ${pipeline.wallSeconds.toFixed(2)} s (cpu ${pipeline.cpuSeconds.toFixed(2)} s, peak ${Math.round(pipeline.peakRssMb)} MB)`,
  ];
  if (rows === 1_000_000) parts.push(`goal ≤ 8 s and ≤ ${memoryGoal} MB: ${met ? 'met' : 'NOT met'}`);
  const exceljsReader = results.get('exceljs-reader');
  const exceljsPipeline = results.get('exceljs-pipeline');
  if (exceljsReader && exceljsPipeline) {
    parts.push(
      `exceljs: reader ${exceljsReader.wallSeconds.toFixed(2)} s (peak ${Math.round(exceljsReader.peakRssMb)} MB, ${exceljsReader.replacementChars} cells with U+FFFD), pipeline ${exceljsPipeline.wallSeconds.toFixed(2)} s (peak ${Math.round(exceljsPipeline.peakRssMb)} MB)`,
    );
  }
  return parts.join('; ');
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  const counts = sizes.length > 0 ? sizes : [100_000, 1_000_000];
  console.log(
    `spreadsheet bench: ${counts.join(', ')} rows; ${pinned ? 'pinned to one core (taskset -c 0)' : 'not pinned'}`,
  );
  const summary: string[] = [];
  for (const rows of counts) {
    for (const mode of ['inline', 'shared'] as const) {
      const path = ensureFile(rows, mode);
      const sizeMb = (statSync(path).size / 1024 / 1024).toFixed(1);
      console.log(`\n${path} (${sizeMb} MB)`);
      const scenarios: Scenario[] = ['reader', 'pipeline'];
      if (rows <= 100_000) scenarios.push('exceljs-reader', 'exceljs-pipeline');
      const results = new Map<Scenario, Result>();
      for (const scenario of scenarios) {
        const result = await measure(scenario, mode, path);
        results.set(scenario, result);
        console.log(format(result, rows));
      }
      summary.push(summarise(rows, mode, results));
    }
  }
  console.log(`\n${summary.join('\n')}`);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as Scenario, process.argv[4] as Mode, process.argv[5] as string);
} else {
  await main();
}
