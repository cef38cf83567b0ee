/** Command-line options every benchmark shares: `--name=value` flags, the PostgreSQL URL, the city size. */
export const args = process.argv.slice(2);

export function option(name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

export const pgUrl = option('pg') ?? 'postgresql://postgres@127.0.0.1:5432/test';
/** The seeded city: demo scale 4.58 (~25,000 grids) topped up to 1,000,000 components; smaller to try a script out. */
export const SCALE = Number(option('scale') ?? 4.58);
export const COMPONENTS = Number(option('components') ?? 1_000_000);
