/** The request fields a deployment may rename (keys) and their default names on the wire (values). */
export const DEFAULT_FIELDS = {
  title: 'title',
  summary: 'summary',
  content: 'content',
  cover: 'cover_image_id',
  source: 'source',
  sourceType: 'source_type',
  sourceUrl: 'source_url',
  category: 'category',
  clientRequestId: 'client_request_id',
} as const;

export type FieldName = keyof typeof DEFAULT_FIELDS;
export type FieldMap = Record<FieldName, string>;

function parseMap(raw: unknown, what: string): Record<string, string> {
  if (raw === undefined || raw === '' || raw === null) return {};
  let v: unknown;
  try {
    v = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw new Error(`${what} 不是合法的 JSON / ${what} is not valid JSON`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string' || !x)) {
    throw new Error(`${what} 须为字符串到字符串的对象 / ${what} must be an object of non-empty strings`);
  }
  return v as Record<string, string>;
}

/** The wire field names: defaults overridden by the `fieldMap` setting. */
export function fieldMapOf(settings: Readonly<Record<string, unknown>>): FieldMap {
  const over = parseMap(settings.fieldMap, 'fieldMap');
  const unknown = Object.keys(over).filter((k) => !Object.hasOwn(DEFAULT_FIELDS, k));
  if (unknown.length) throw new Error(`fieldMap 含未知字段 / fieldMap has unknown keys: ${unknown.join(', ')}`);
  return { ...DEFAULT_FIELDS, ...over };
}

/** The platform's column for a manuscript category (the category itself when unmapped). */
export function categoryOf(settings: Readonly<Record<string, unknown>>, category: string): string {
  const map = parseMap(settings.categoryMap, 'categoryMap');
  return Object.hasOwn(map, category) ? map[category]! : category;
}
