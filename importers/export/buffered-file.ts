import { open, type FileHandle } from 'node:fs/promises';

/**
 * Sequential writes gathered into ~1 MiB chunks, plus positioned writes for headers that are only known
 * at the end (a shapefile's length and extent, a table's record count).
 */
const CHUNK = 1 << 20;

export class BufferedFile {
  private chunks: Buffer[] = [];
  private pending = 0;
  private written: number;

  private constructor(private readonly handle: FileHandle, start: number) {
    this.written = start;
  }

  /** Creates (or truncates) `path`; sequential writes begin at byte `start`. */
  static async create(path: string, start = 0): Promise<BufferedFile> {
    return new BufferedFile(await open(path, 'w'), start);
  }

  /** Bytes from the start of the file to the end of what has been written. */
  get length(): number {
    return this.written + this.pending;
  }

  async write(buf: Buffer): Promise<void> {
    this.chunks.push(buf);
    this.pending += buf.length;
    if (this.pending >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending === 0) return;
    const data = Buffer.concat(this.chunks, this.pending);
    await this.handle.write(data, 0, data.length, this.written);
    this.written += data.length;
    this.chunks = [];
    this.pending = 0;
  }

  /** Overwrites bytes at `position` (a header), after flushing. */
  async patch(position: number, buf: Buffer): Promise<void> {
    await this.flush();
    await this.handle.write(buf, 0, buf.length, position);
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }
}
