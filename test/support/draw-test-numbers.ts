/**
 * A stand-in for one test worker process (used by test/unit/support/test-numbers.test.ts): draws
 * `count` mobiles, cycling through the given endings, from the claims directory, and prints them as JSON.
 * Usage: tsx test/support/draw-test-numbers.ts <dir> <count> <ending,ending,…>
 */
import { fileClaim, makeTestNumbers } from './test-numbers';

const [dir, count, endings] = process.argv.slice(2);
if (!dir || !count || !endings) throw new Error('usage: draw-test-numbers <dir> <count> <endings>');
const numbers = makeTestNumbers(fileClaim(dir));
const suffixes = endings.split(',');
const drawn = Array.from({ length: Number(count) }, (_, i) => numbers.mobile(suffixes[i % suffixes.length]));
process.stdout.write(JSON.stringify(drawn));
