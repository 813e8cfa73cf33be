import { DataSource } from 'typeorm';

/** Multi-row INSERTs of `rows` in chunks (one round trip per 1,000 rows), for seeding benchmarks. */
export async function insertMany(ds: DataSource, table: string, cols: string[], rows: unknown[][]): Promise<void> {
  const one = `(${cols.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await ds.query(
      `INSERT INTO \`${table}\` (${cols.map((c) => `\`${c}\``).join(',')}) VALUES ${chunk.map(() => one).join(',')}`,
      chunk.flat(),
    );
  }
}

/** The p-th percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
