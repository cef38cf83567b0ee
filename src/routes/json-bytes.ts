/**
 * JSON text written straight into Buffers, for answers of tens of megabytes (the full lookup batch).
 *
 * Building such an answer as JS strings costs more than the lookups: the per-item strings are joined
 * (flattened), then encoded to UTF-8 as they are sent, and the garbage of both is collected. Here ASCII
 * parts are written byte for byte, pieces repeated across items (a grid's answer) are encoded once by
 * the caller and copied, and the answer leaves as ~1 MiB Buffers a stream can push as they fill.
 */
export class JsonBytes {
  private chunk: Buffer;
  private pos = 0;
  private readonly full: Buffer[] = [];

  constructor(private readonly chunkSize = 1 << 20) {
    this.chunk = Buffer.allocUnsafe(chunkSize);
  }

  /** Bytes written so far and not yet taken. */
  get pending(): number {
    let n = this.pos;
    for (const b of this.full) n += b.length;
    return n;
  }

  /** Text known to be ASCII (JSON punctuation, keys, digits): one byte per character. */
  ascii(text: string): this {
    this.room(text.length);
    this.pos += this.chunk.write(text, this.pos, 'latin1');
    return this;
  }

  /** Any text, as UTF-8. */
  utf8(text: string): this {
    this.room(text.length * 3);
    this.pos += this.chunk.write(text, this.pos, 'utf8');
    return this;
  }

  /** Bytes encoded beforehand (a cached piece of JSON, a constant key). */
  bytes(piece: Uint8Array): this {
    const n = piece.length;
    this.room(n);
    // A call into C++ (Buffer#copy, even TypedArray#set) costs more than copying a key's few bytes.
    if (n < 32) for (let i = 0; i < n; i++) this.chunk[this.pos + i] = piece[i];
    else this.chunk.set(piece, this.pos);
    this.pos += n;
    return this;
  }

  /** A finite number exactly as JSON.stringify writes it. */
  number(n: number): this {
    const scaled = Math.round(n * 1e6);
    // Coordinates carry at most ~6 decimals: write those digits directly. Anything else (converted
    // coordinates with all 17 digits, huge or tiny values) goes through String(), which is exact.
    if (scaled / 1e6 !== n || Math.abs(n) >= 1e9) return this.ascii(String(n));
    this.room(20);
    let a = scaled;
    if (a < 0) {
      this.chunk[this.pos++] = 0x2d; // '-'
      a = -a;
    }
    const whole = Math.floor(a / 1e6);
    this.digits(whole);
    let frac = a - whole * 1e6;
    if (frac > 0) {
      let places = 6;
      while (frac % 10 === 0) {
        frac /= 10;
        places--;
      }
      this.chunk[this.pos++] = 0x2e; // '.'
      this.pos += places;
      for (let i = 1; i <= places; i++) {
        this.chunk[this.pos - i] = 0x30 + (frac % 10);
        frac = Math.floor(frac / 10);
      }
    }
    return this;
  }

  /** Everything written so far, as the Buffers to send in order; the writer starts afresh. */
  take(): Buffer[] {
    if (this.pos > 0) this.seal();
    return this.full.splice(0);
  }

  /** A non-negative integer below 2^53, in decimal. */
  private digits(n: number): void {
    let length = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) length++;
    this.pos += length;
    for (let i = 1; i <= length; i++) {
      this.chunk[this.pos - i] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    }
  }

  /** Makes sure `n` more bytes fit in the current chunk, sealing it (or growing for one huge piece). */
  private room(n: number): void {
    if (this.pos + n <= this.chunk.length) return;
    if (this.pos > 0) this.seal();
    if (n > this.chunk.length) this.chunk = Buffer.allocUnsafe(n);
  }

  private seal(): void {
    this.full.push(this.chunk.subarray(0, this.pos));
    this.chunk = Buffer.allocUnsafe(this.chunkSize);
    this.pos = 0;
  }
}
