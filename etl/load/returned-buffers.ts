import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { ChunkBuffers } from '../warehouse/raw-row-buffers.ts';

/**
 * The buffers the loading thread gives back once it has copied a chunk, kept by size for the next chunks. Without
 * them each chunk's buffers were new, and those the loading thread had copied lay in its memory until its
 * garbage collector ran, which it seldom does (its own heap hardly grows): 50–70 MB on the 1 GB benchmark file.
 */
export class ReturnedBuffers implements ChunkBuffers {
  private readonly free = new Map<number, ArrayBuffer[]>();
  /** Buffers made because none of the size had come back. */
  made = 0;

  constructor(private readonly returned: MessagePort) {}

  take(byteLength: number): ArrayBuffer {
    let sized = this.free.get(byteLength);
    if (sized === undefined || sized.length === 0) {
      this.receive();
      sized = this.free.get(byteLength);
    }
    const buffer = sized?.pop();
    if (buffer === undefined) {
      this.made++;
      return new ArrayBuffer(byteLength);
    }
    new Uint8Array(buffer).fill(0);
    return buffer;
  }

  /** Takes what has come back so far, without waiting: the port is read synchronously, mid-parse. */
  private receive(): void {
    for (
      let got = receiveMessageOnPort(this.returned);
      got !== undefined;
      got = receiveMessageOnPort(this.returned)
    ) {
      for (const buffer of got.message as ArrayBuffer[]) {
        const sized = this.free.get(buffer.byteLength);
        if (sized === undefined) this.free.set(buffer.byteLength, [buffer]);
        else sized.push(buffer);
      }
    }
  }
}
