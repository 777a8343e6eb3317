import * as assert from 'node:assert/strict';
import { TailBuffer } from '../../src/core/tailBuffer';

describe('TailBuffer', () => {
  it('keeps the last lines, oldest first, across wrap-around', () => {
    const tail = new TailBuffer(3);
    assert.deepEqual(tail.lines(), []);
    tail.push('a');
    tail.push('b');
    assert.deepEqual(tail.lines(), ['a', 'b']);
    for (const line of ['c', 'd', 'e']) tail.push(line);
    assert.deepEqual(tail.lines(), ['c', 'd', 'e']);
    assert.deepEqual(tail.lines(2), ['d', 'e']);
    assert.deepEqual(tail.lines(10), ['c', 'd', 'e']);
  });
});
