// js-yaml arrives with @nestjs/swagger (which serves the OpenAPI document as YAML too); the
// deployment spec borrows it to read docker-compose.yml rather than add a parser of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsYaml = require('js-yaml') as { load(src: string): unknown };

/** Parses YAML, resolving `<<:` merge keys (YAML 1.1, used by compose files; js-yaml 5 leaves them). */
export function parseYaml(src: string): unknown {
  return resolveMerges(jsYaml.load(src));
}

function resolveMerges(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(resolveMerges);
  if (!v || typeof v !== 'object') return v;
  const own = Object.entries(v as Record<string, unknown>).filter(([k]) => k !== '<<');
  const bases = ([] as unknown[]).concat((v as Record<string, unknown>)['<<'] ?? []).map(resolveMerges) as Record<string, unknown>[];
  return Object.assign({}, ...bases, Object.fromEntries(own.map(([k, x]) => [k, resolveMerges(x)])));
}
