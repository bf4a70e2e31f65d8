import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ReturnedBuffers } from '../../etl/load/returned-buffers.ts';

describe('ReturnedBuffers', () => {
  it('takes the buffers given back, zero-filled, before making new ones, and keeps sizes apart', () => {
    const { port1: giveBack, port2: returned } = new MessageChannel();
    const buffers = new ReturnedBuffers(returned);
    const used = [new ArrayBuffer(32), new ArrayBuffer(32), new ArrayBuffer(8)];
    for (const buffer of used) new Uint8Array(buffer).fill(0xff);
    // As the loading thread gives them back: one message per chunk, its buffers moved.
    giveBack.postMessage(used.slice(0, 2), used.slice(0, 2));
    giveBack.postMessage(used.slice(2), used.slice(2));
    expect(used[0]?.byteLength).toBe(0); // moved, as a transfer leaves it

    const taken = [buffers.take(32), buffers.take(32), buffers.take(8)];
    expect(buffers.made).toBe(0);
    for (const buffer of taken) expect([...new Uint8Array(buffer)].every((byte) => byte === 0)).toBe(true);
    expect(taken.map((b) => b.byteLength)).toEqual([32, 32, 8]);

    // None of these sizes left: new ones, zero-filled.
    const fresh = [buffers.take(32), buffers.take(16)];
    expect(buffers.made).toBe(2);
    expect(fresh.map((b) => b.byteLength)).toEqual([32, 16]);
    expect(new Uint8Array(fresh[0] as ArrayBuffer).every((byte) => byte === 0)).toBe(true);
    giveBack.close();
  });
});
