/**
 * Throughput of analyseText, the hot path of the live counter and of batch pricing.
 * Run: `npx tsx bench/message-parts.bench.ts [count]` (default 1 000 000 messages). Not a test.
 *
 * The corpus is generated with a seeded PRNG so every run measures the same texts: short and long
 * GSM-7, GSM-7 with extension characters, Romanian with diacritics (UCS-2) and texts with emoji.
 */
import { analyseText } from '#domain/message/encoding';

const GOAL_PER_SECOND = 2_000_000;
const count = Number(process.argv[2] ?? 1_000_000);

/** mulberry32: tiny, fast, deterministic. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20240601);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const GSM_WORDS = [
  'Salut',
  'comanda',
  'dvs.',
  'a fost',
  'livrata',
  'Cod:',
  '4821',
  'Reducere',
  '20%',
  'azi!',
];
const EXT = ['€', '[', ']', '{', '}', '|', '~', '^', '\\'];
const RO_WORDS = ['Bună', 'ziua', 'Comanda', 'dumneavoastră', 'în', 'curând', 'mulțumim', 'țară', 'așa'];
const EMOJI = ['😀', '🎉', '👍', '❤️', '🛒'];

function sentence(words: readonly string[], length: number, extras: readonly string[] = []): string {
  let text = '';
  while (text.length < length) {
    const pool = extras.length > 0 && random() < 0.15 ? extras : words;
    text += `${pool[int(0, pool.length - 1)]} `;
  }
  return text.slice(0, length);
}

/** Mix: 45% short GSM, 15% long GSM, 10% GSM with extension chars, 20% Romanian UCS-2, 10% emoji. */
function message(): string {
  const kind = random();
  if (kind < 0.45) return sentence(GSM_WORDS, int(20, 160));
  if (kind < 0.6) return sentence(GSM_WORDS, int(161, 480));
  if (kind < 0.7) return sentence(GSM_WORDS, int(40, 320), EXT);
  if (kind < 0.9) return sentence(RO_WORDS, int(30, 200));
  return sentence(GSM_WORDS, int(20, 140), EMOJI);
}

// Texts reach the platform through JSON.parse (API bodies) or a file parser, which yield flat strings;
// the round trip turns the generator's concatenated/sliced strings into the same kind.
const messages: string[] = Array.from({ length: count }, () => JSON.parse(JSON.stringify(message())));
const totalUnits = messages.reduce((sum, text) => sum + text.length, 0);

function run(): number {
  let parts = 0;
  for (const text of messages) parts += analyseText(text).parts;
  return parts;
}

let peakRss = process.memoryUsage().rss;
const sampler = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

// Warm-up lets the JIT optimise analyseText before anything is timed.
for (let round = 0; round < 3; round++) run();
sampler();

// Wall time suffers when other processes share the cores; CPU time (user + system) is what one core
// spends, so both are measured and the goal is judged on CPU time.
const ROUNDS = 7;
const wall: number[] = [];
const cpu: number[] = [];
let parts = 0;
for (let round = 0; round < ROUNDS; round++) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  parts = run();
  wall.push(Number(process.hrtime.bigint() - start) / 1e9);
  const used = process.cpuUsage(cpuStart);
  cpu.push((used.user + used.system) / 1e6);
  sampler();
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const perSecond = count / median(cpu);
const perWallSecond = count / median(wall);
const maxRssMb = Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20;

const fmt = (n: number) => Math.round(n).toLocaleString('en');
console.log(
  `analyseText: ${fmt(perSecond)} messages/s per CPU-second (${fmt(perWallSecond)}/s wall), ` +
    `${(totalUnits / median(cpu) / 1e6).toFixed(0)}M UTF-16 units/s; ` +
    `${fmt(count)} messages, avg ${(totalUnits / count).toFixed(0)} units, ${fmt(parts)} parts; ` +
    `median of ${ROUNDS} runs after warm-up; peak RSS ${maxRssMb.toFixed(0)} MiB; ` +
    `goal ${fmt(GOAL_PER_SECOND)}/s: ${perSecond >= GOAL_PER_SECOND ? 'MET' : 'NOT MET'}`,
);
