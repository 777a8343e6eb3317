import * as assert from 'node:assert/strict';
import { isBlank, visibleText } from '../../src/core/screen';
import { TailBuffer } from '../../src/core/tailBuffer';

describe('TailBuffer', () => {
  it('keeps a raw line exactly when the terminal model would have emitted it, and reads it as the model would', () => {
    const raws = ['', ' ', '  \t ', '\x1b[32m', '\x1b[1m  \x1b[22m ', '\x1b[2K', '\x1b[', '\x1b[3', 'x', ' \x1b[32mok\x1b[39m', '\x1b[0;1mred', '     y'];
    for (const raw of raws) {
      for (const max of [4, 4096]) {
        const tail = new TailBuffer(3, max);
        tail.pushRaw(raw);
        const visible = visibleText(raw, max);
        assert.deepEqual(tail.lines(), isBlank(visible) ? [] : [visible], `${JSON.stringify(raw)} cut at ${max}`);
      }
    }
  });
});
