/**
 * Attribute objects of one fixed shape, made in one step. A record of a census .dbf has 30–40 fields;
 * filled one computed key at a time, V8 gives up on a hidden class past a few dozen keys and keeps the
 * object as a hash table: ~2 µs to build a record that way against ~0.1 µs for an object literal, and
 * every later read and JSON.stringify of it pays too. So the literal is generated once per file from
 * its field names (each quoted by JSON.stringify, so a name is only ever a string literal) and called
 * per record. A field named `__proto__` is written as a computed key, which makes it an ordinary own
 * property: as a plain `"__proto__": v` it would set the record's prototype instead.
 */
export type RecordMaker = (values: readonly unknown[]) => Record<string, unknown>;

export function recordMaker(names: readonly string[]): RecordMaker {
  const key = (name: string) => (name === '__proto__' ? `[${JSON.stringify(name)}]` : JSON.stringify(name));
  const fields = names.map((name, i) => `${key(name)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${fields} };`) as RecordMaker;
}
