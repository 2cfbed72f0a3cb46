/**
 * A large contact group through the whole local stack, as a user does it: upload a CSV of N contacts
 * (default 100 000), create the group (import-contacts workflow: parse → chunks in S3 → BatchWriteItem),
 * wait until ready; then a list campaign to that group analysed (parse reads the group → chunks →
 * analysis) until ready; then delete the group and wait for the purge. Prints the time of each step.
 * Run: `npx tsx bench/contact-import.bench.ts [count]`. Not a test; starts and stops its own stack.
 */
import { startLocalStack } from '../local/stack';

const count = Number(process.argv[2] ?? 100_000);

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
  const until = async (path: string, key: string, done: (b: Record<string, unknown>) => boolean) => {
    const deadline = Date.now() + 20 * 60_000;
    for (;;) {
      // The local stack runs every Lambda in this one process: a poll may time out while a big task runs.
      const { status, body } = await call('GET', path, key);
      if (status === 200 && done(body)) return body;
      if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  try {
    const account = await call('POST', '/v1/admin/accounts', operatorKey, {
      name: 'Bench',
      requestsPerSecond: 1000,
    });
    const key = account.body.apiKey as string;
    await call('POST', `/v1/admin/accounts/${account.body.id}/credit`, operatorKey, {
      amount: '100000.0000',
    });
    const lines = ['Telefon,Prenume,Nume,Oras'];
    for (let i = 0; i < count; i++) lines.push(`07${String(20_000_000 + i)},Ana${i},Pop,Iasi`);
    const csv = lines.join('\r\n');
    const up = await call('POST', '/v1/uploads', key, { fileName: 'big.csv', contentType: 'text/csv' });
    await fetch(up.body.url as string, {
      method: 'PUT',
      headers: up.body.headers as Record<string, string>,
      body: csv,
    });

    let t = Date.now();
    const group = await call('POST', '/v1/contact-groups', key, {
      name: 'Big',
      uploadId: up.body.uploadId,
      firstRow: 2,
      phoneColumn: 'A',
      firstNameColumn: 'B',
      lastNameColumn: 'C',
    });
    const ready = await until(`/v1/contact-groups/${group.body.id}`, key, (b) => b.status !== 'importing');
    console.log(
      `import of ${count} contacts (${(csv.length / 1e6).toFixed(1)} MB csv): ${ready.status}`,
      ready.import,
      `${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    t = Date.now();
    const batch = await call('POST', '/v1/batches', key, {
      name: 'Big list',
      source: { groups: [group.body.id] },
      text: 'Salut #Prenume din #Oras',
    });
    const analysed = await until(`/v1/batches/${batch.body.id}`, key, (b) => b.status !== 'analysing');
    console.log(
      `list campaign analysis: ${analysed.status}`,
      analysed.reason ?? '',
      analysed.summary,
      `${((Date.now() - t) / 1000).toFixed(1)} s`,
    );

    t = Date.now();
    const deleted = await call('DELETE', `/v1/contact-groups/${group.body.id}`, key);
    console.log(`delete answered ${deleted.status} in ${Date.now() - t} ms`);
  } finally {
    await stack.stop();
  }
}

await main();
