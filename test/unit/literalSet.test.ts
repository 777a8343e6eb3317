import * as assert from 'node:assert/strict';
import { LiteralSet } from '../../src/core/literalSet';

/** LiteralSet must say exactly what `includes` says, for every literal, on every text. */
function check(literals: string[], texts: string[]): void {
  const set = new LiteralSet(literals);
  for (const text of texts) {
    set.scan(text);
    literals.forEach((literal, id) => assert.equal(set.has(id), text.includes(literal), `${JSON.stringify(literal)} in ${JSON.stringify(text)}`));
    const found = [...set.found.subarray(0, set.foundCount)].sort((a, b) => a - b);
    assert.deepEqual(found, literals.flatMap((l, id) => (text.includes(l) ? [id] : [])), `found in ${JSON.stringify(text)}`);
  }
}

describe('LiteralSet', () => {
  it('finds literals anywhere, overlapping, repeated, at the ends, one unit long and outside ASCII', () => {
    check(
      ['error', 'err', 'rror', 'built in ', '⚠', '▲ [warning] ', '✨ built in ', '🚨 build failed.', 'x', '[!] ', 'aa'],
      ['', 'e', 'error', 'an error occurred', 'errerror', 'xerr', 'built in 3ms', '✨ built in 3ms', '⚠ careful', '▲ [warning] x', '🚨 build failed.', '[!] rolluperror', 'aaa', 'a'],
    );
  });

  it('forgets the previous text on each scan', () => {
    const set = new LiteralSet(['ready in', 'failed']);
    set.scan('vite ready in 300 ms');
    assert.ok(set.has(0));
    set.scan('nothing here');
    assert.ok(!set.has(0) && !set.has(1));
  });

  it('agrees with includes on random texts over a small alphabet (bucket collisions, chains)', () => {
    const alphabet = 'abc✨ ';
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (max: number) => Array.from({ length: 1 + random(max) }, () => alphabet[random(alphabet.length)]).join('');
    const literals = [...new Set(Array.from({ length: 40 }, () => word(4)))];
    check(literals, Array.from({ length: 300 }, () => word(30)));
  });
});
