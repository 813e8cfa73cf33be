import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

/**
 * Puts the API's `details[].field` problems on the form's fields (nested paths such as
 * `source.unitName` included); returns the message for the rest, or null if all found a field.
 */
export function applyFieldErrors(form: FormInstance, e: unknown): string | null {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const known = new Set(Object.keys(flatten(form.getFieldsValue(true))));
  const placed: { name: (string | number)[]; errors: string[] }[] = [];
  const rest: string[] = [];
  for (const d of e.details) {
    const path = d.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (known.has(d.field) || known.has(String(path[0]))) placed.push({ name: path, errors: [d.message] });
    else rest.push(d.message);
  }
  if (placed.length) form.setFields(placed);
  if (placed.length && rest.length === 0) return null;
  return [e.message, ...rest].join('：');
}

function flatten(o: unknown, prefix = '', out: Record<string, true> = {}): Record<string, true> {
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix ? `${prefix}.${k}` : k;
      out[key] = true;
      flatten(v, key, out);
    }
  }
  return out;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
