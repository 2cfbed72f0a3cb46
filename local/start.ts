import { startLocalStack } from './stack';

/**
 * `npm start`: the whole platform on this machine. Prints READY and the API URL once every part
 * accepts requests; Ctrl-C / SIGTERM stops everything it started (java and the simulator included).
 */
const startedAt = Date.now();
const stack = await startLocalStack({
  port: Number(process.env.PORT ?? 3000),
  writeStackFile: true,
  log: (line) => console.error(line),
});
const { info } = stack;
console.log(`API        ${info.apiUrl}`);
console.log(`Carrier    ${info.carrierUrl}`);
console.log(`Demo key   ${info.demo.apiKey}`);
console.log(`Details    .local/stack.json (operator key, demo account)`);
console.log(`READY ${info.apiUrl} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping…');
    const force = setTimeout(() => process.exit(1), 9_000);
    stack.stop().then(() => {
      clearTimeout(force);
      process.exit(0);
    });
  });
}
