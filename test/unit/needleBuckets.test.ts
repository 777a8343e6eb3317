import * as assert from 'node:assert/strict';
import { OutputMatcher } from '../../src/core/matcher';
import { PatternRegistry } from '../../src/core/patterns/registry';
import { assignBuckets } from '../../src/core/wasm/needleBuckets';

function encoded(needles: readonly string[]): Buffer[] {
  return needles.map((n) => Buffer.from(n.toLowerCase(), 'utf8'));
}

describe('needle buckets of the row search', () => {
  it('gives every needle a bucket 0-7, the same way each time', () => {
    const needles = encoded(['abc', 'build started...', 'error ts', '✓ built in ', ...Array.from({ length: 60 }, (_, i) => `needle ${i} `)]);
    const buckets = assignBuckets(needles);
    assert.equal(buckets.length, needles.length);
    assert.ok(buckets.every((b) => b >= 0 && b < 8));
    assert.deepEqual(assignBuckets(needles), buckets);
    assert.deepEqual([...assignBuckets(encoded(['only one']))], [0]);
  });

  it("spreads a tool's needles that end in a space over several buckets (one bucket of them passed most words)", () => {
    const registry = PatternRegistry.builtin();
    const matcher = new OutputMatcher(registry, { event() {}, problem() {}, toolChanged() {}, commandEcho() {} }, false);
    matcher.setTool(registry.get('vite')!);
    const needles = encoded(matcher.needles);
    const buckets = assignBuckets(needles);
    const spaced = new Set(needles.flatMap((n, i) => (n[n.length - 1] === 0x20 ? [buckets[i]] : [])));
    assert.ok(needles.filter((n) => n[n.length - 1] === 0x20).length >= 10, 'the case this is about');
    assert.ok(spaced.size >= 3, `needles ending in a space are in ${spaced.size} bucket(s)`);
  });
});
