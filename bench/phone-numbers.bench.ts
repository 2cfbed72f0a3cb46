/**
 * Throughput and exactness of normalisePhoneNumber against the pure-libphonenumber-js reference.
 * Run: `npx tsx bench/phone-numbers.bench.ts [count] [seed]` (default 1 000 000 inputs). Not a test.
 *
 * The inputs come from the seeded generator the differential test uses (sample-inputs.ts): Romanian
 * mobiles in every written shape, Romanian fixed lines, wrong lengths, DE/HU/BG/MD/GB/US/IT numbers,
 * spreadsheet artefacts, Unicode look-alikes and garbage, under ten account settings. Every input goes
 * through both implementations; any disagreement is printed and makes the exit code 1.
 */
import { cleanPhoneInput } from '#domain/phone/clean-input';
import {
  makePhoneNumberNormaliser,
  type NormalisedNumber,
  type NormaliseOptions,
  type NormaliserProbe,
  normalisePhoneNumber,
  type PhoneInput,
  type PhoneNormaliser,
} from '#domain/phone/phone-number';
import { normalisePhoneNumberReference } from '#domain/phone/reference';
import { makePhoneSampleGenerator } from '#domain/phone/sample-inputs';

type Normalise = (input: PhoneInput, options: NormaliseOptions) => NormalisedNumber;

const GOAL_PER_SECOND = 1_000_000;
const count = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 20_250_601);

// Values reach the platform through JSON.parse or a file parser, which yield flat strings; the round
// trip turns the generator's concatenated strings into the same kind.
const next = makePhoneSampleGenerator(seed);
const inputs: PhoneInput[] = [];
const settings: NormaliseOptions[] = [];
for (let i = 0; i < count; i++) {
  const { input, options } = next();
  inputs.push(typeof input === 'string' ? JSON.parse(JSON.stringify(input)) : input);
  settings.push(options);
}

const rssWithInputsKb = Math.round(process.memoryUsage().rss / 1024);

function run(normalise: Normalise, limit = count): number {
  let accepted = 0;
  for (let i = 0; i < limit; i++) if (normalise(inputs[i], settings[i] as NormaliseOptions).ok) accepted++;
  return accepted;
}

/** CPU seconds (user + system) and wall seconds of one run. */
function timed(normalise: Normalise): { cpu: number; wall: number } {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  run(normalise);
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpuStart);
  return { cpu: (used.user + used.system) / 1e6, wall };
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

// 1. Throughput. Warm-up first so the JIT has optimised both before anything is timed; the goal is
// judged on CPU time, which other processes sharing the cores do not inflate.
run(normalisePhoneNumber, Math.min(count, 200_000));
run(normalisePhoneNumberReference, Math.min(count, 50_000));
const ROUNDS = 5;
const fast = Array.from({ length: ROUNDS }, () => timed(normalisePhoneNumber));
const reference = timed(normalisePhoneNumberReference); // ~10 s per million: one round
const fastPerSecond = count / median(fast.map((r) => r.cpu));
const fastPerWallSecond = count / median(fast.map((r) => r.wall));
const referencePerSecond = count / reference.cpu;

// 2. Exactness and where each verdict was made: by the cleaner, the fast path, or libphonenumber-js.
const probe: NormaliserProbe = { libphonenumberCalls: 0 };
const normalisers = new Map<NormaliseOptions, PhoneNormaliser>();
const verdicts = new Map<string, number>();
const disagreements: string[] = [];
let decidedByCleaner = 0;
let delegated = 0;
for (let i = 0; i < count; i++) {
  const input = inputs[i];
  const options = settings[i] as NormaliseOptions;
  let normalise = normalisers.get(options);
  if (!normalise) {
    normalise = makePhoneNumberNormaliser(options, probe);
    normalisers.set(options, normalise);
  }
  const callsBefore = probe.libphonenumberCalls;
  const actual = normalise(input);
  if (probe.libphonenumberCalls > callsBefore) delegated++;
  else if (typeof cleanPhoneInput(input) !== 'string') decidedByCleaner++;
  const expected = normalisePhoneNumberReference(input, options);
  const verdict = actual.ok ? 'ok' : actual.reason;
  verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    disagreements.push(
      `#${i} ${JSON.stringify(input)} ${JSON.stringify(options)}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`,
    );
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const pct = (n: number) => `${((100 * n) / count).toFixed(1)}%`;
const fastPath = count - decidedByCleaner - delegated;
console.log(`phone numbers: ${fmt(count)} inputs (seed ${seed})`);
console.log(`  verdicts:      ${[...verdicts].map(([v, n]) => `${v} ${pct(n)}`).join(', ')}`);
console.log(
  `  decided by:    cleaner ${pct(decidedByCleaner)}, fast path ${pct(fastPath)}, ` +
    `libphonenumber-js ${pct(delegated)} (fast-path share of parsed numbers ${((100 * fastPath) / (count - decidedByCleaner)).toFixed(2)}%)`,
);
console.log(
  `  throughput:    normalisePhoneNumber ${fmt(fastPerSecond)}/s per CPU-second (${fmt(fastPerWallSecond)}/s wall, median of ${ROUNDS}); ` +
    `reference ${fmt(referencePerSecond)}/s; ×${(fastPerSecond / referencePerSecond).toFixed(1)}`,
);
console.log(`  disagreements: ${disagreements.length}`);
for (const line of disagreements.slice(0, 10)) console.log(`    ${line}`);
console.log(
  `  peak RSS:      ${fmt(process.resourceUsage().maxRSS)} KB (of which ${fmt(rssWithInputsKb)} KB before the first call: ` +
    'runtime and the generated inputs)',
);
console.log(
  `  goal ${fmt(GOAL_PER_SECOND)}/s with 0 disagreements: ` +
    `${fastPerSecond >= GOAL_PER_SECOND && disagreements.length === 0 ? 'MET' : 'NOT MET'}`,
);
if (disagreements.length > 0) process.exitCode = 1;
