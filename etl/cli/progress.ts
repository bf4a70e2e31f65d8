import { statSync } from 'node:fs';

/**
 * A one-line progress display for the load on a terminal: files done of total and MB/s, redrawn in place on
 * stderr. Off the terminal (cron, CI, a pipe) it stays silent: the summary line at the end is the log.
 */
export function loadProgress(stream: NodeJS.WriteStream = process.stderr): {
  onFileDone: (done: number, total: number, filePath: string) => void;
  finish: () => void;
} {
  if (!stream.isTTY) return { onFileDone: () => {}, finish: () => {} };
  const started = performance.now();
  let bytes = 0;
  let lastDraw = 0;
  return {
    onFileDone(done, total, filePath) {
      try {
        bytes += statSync(filePath).size;
      } catch {
        // A file moved away meanwhile still counts as done.
      }
      const now = performance.now();
      if (done !== total && now - lastDraw < 100) return; // at most ten redraws a second
      lastDraw = now;
      const seconds = Math.max((now - started) / 1000, 0.001);
      const width = 24;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      stream.write(
        `\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files  ${(bytes / 1e6 / seconds).toFixed(1)} MB/s `,
      );
    },
    finish() {
      stream.write('\n');
    },
  };
}
