import { open, type FileHandle } from 'node:fs/promises';

/**
 * Positional and sequential reads over a file handle, so the binary readers (.shp, .shx, .dbf) hold one
 * chunk at a time whatever the file size: memory is bounded by the chunk and the largest record.
 */
export class FileBytes {
  private constructor(private readonly handle: FileHandle, readonly size: number, readonly path: string) {}

  static async open(path: string): Promise<FileBytes> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      return new FileBytes(handle, size, path);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Up to `length` bytes at `position`; fewer only at the end of the file. */
  async readAt(position: number, length: number): Promise<Buffer> {
    const n = Math.max(0, Math.min(length, this.size - position));
    const buf = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await this.handle.read(buf, done, n - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === n ? buf : buf.subarray(0, done);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

const CHUNK = 1 << 20;

/**
 * Reads consecutive byte runs from `start`, refilling a 1 MiB window. Every refill allocates a fresh
 * buffer, so slices handed out earlier stay valid.
 */
export class SequentialReader {
  private buf: Buffer = Buffer.alloc(0);
  private bufStart: number;

  constructor(private readonly file: FileBytes, start: number, private readonly end = file.size) {
    this.bufStart = start;
  }

  /** File position of the next byte take() returns. */
  get position(): number {
    return this.bufStart;
  }

  /** The next `n` bytes, or fewer when `end` comes first (the caller decides whether that is truncation). */
  async take(n: number): Promise<Buffer> {
    if (this.buf.length < n) await this.fill(n);
    const out = this.buf.subarray(0, Math.min(n, this.buf.length));
    this.buf = this.buf.subarray(out.length);
    this.bufStart += out.length;
    return out;
  }

  /** Move forward to `position` (never back: the readers only skip gaps). */
  skipTo(position: number): void {
    const skip = position - this.bufStart;
    if (skip <= 0) return;
    this.buf = skip < this.buf.length ? this.buf.subarray(skip) : Buffer.alloc(0);
    this.bufStart = position;
  }

  private async fill(n: number): Promise<void> {
    const from = this.bufStart + this.buf.length;
    const want = Math.min(Math.max(CHUNK, n - this.buf.length), this.end - from);
    if (want <= 0) return;
    const more = await this.file.readAt(from, want);
    this.buf = this.buf.length ? Buffer.concat([this.buf, more]) : more;
  }
}
