/**
 * A large blocklist import through the whole local stack, as a shop migrating from another provider does
 * it: upload a CSV of N numbers (default 1 000 000), `POST /v1/blocklist/imports` (above the synchronous
 * threshold: 202, the import-blocklist workflow: parse → chunks in S3 → per chunk BatchGetItem +
 * BatchWriteItem), poll `GET /v1/blocklist/imports/{id}` until completed; then check a sample of numbers
 * is listed. Prints the time of each step.
 * Run: `npx tsx bench/blocklist-import.bench.ts [count]`. Not a test; starts and stops its own stack.
 */
import { startLocalStack } from '../local/stack';

const count = Number(process.argv[2] ?? 1_000_000);

async function main() {
  const stack = await startLocalStack({ port: 0 });
  const { apiUrl, operatorKey } = stack.info;
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  try {
    const account = await call('POST', '/v1/admin/accounts', operatorKey, {
      name: 'Bench',
      requestsPerSecond: 1000,
    });
    const key = account.body.apiKey as string;
    const number = (i: number) => `07${String(20_000_000 + i)}`;
    const lines = ['Telefon'];
    for (let i = 0; i < count; i++) lines.push(number(i));
    // LF, not CRLF: 1M numbers are then 11.0 MB, under the 11 MiB a single PUT to fauxqs's S3 may carry.
    const csv = lines.join('\n');
    const up = await call('POST', '/v1/uploads', key, { fileName: 'optout.csv', contentType: 'text/csv' });
    const put = await fetch(up.body.url as string, {
      method: 'PUT',
      headers: up.body.headers as Record<string, string>,
      body: csv,
    });
    if (put.status !== 200) throw new Error(`upload: ${put.status} ${await put.text()}`);

    const t = Date.now();
    const started = await call('POST', '/v1/blocklist/imports', key, {
      uploadId: up.body.uploadId,
      phoneColumn: 'A',
      firstRow: 2,
      reason: 'migrated',
    });
    console.log(`POST answered ${started.status} in ${Date.now() - t} ms`);
    let done = started.body;
    if (started.status === 202) {
      const deadline = Date.now() + 60 * 60_000;
      let last = '';
      for (;;) {
        // Every Lambda runs in this one process: a poll waits while a chunk task holds the event loop.
        const { status, body } = await call('GET', `/v1/blocklist/imports/${started.body.id}`, key);
        if (status === 200 && body.status !== 'running') {
          done = body;
          break;
        }
        const progress = JSON.stringify(body.progress);
        if (progress !== last) console.log(`${((Date.now() - t) / 1000).toFixed(0)} s`, progress);
        last = progress;
        if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(body)}`);
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
    const seconds = (Date.now() - t) / 1000;
    const { invalidRows: _, ...report } = done;
    console.log(
      `import of ${count} numbers (${(csv.length / 1e6).toFixed(1)} MB csv): ${seconds.toFixed(1)} s,`,
      `${Math.round(count / seconds)} numbers/s`,
      report,
    );
    for (const i of [0, Math.floor(count / 2), count - 1]) {
      const check = await call('GET', `/v1/blocklist/${encodeURIComponent(number(i))}`, key);
      console.log(number(i), check.body.blocked);
    }
  } finally {
    await stack.stop();
  }
}

await main();
