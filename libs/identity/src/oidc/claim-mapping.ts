import { createHash } from 'node:crypto';
import { ownValue, type OidcMapping } from '@tongfa/core';
import { Role } from '../roles';

/** What the claims of an upstream identity say about the Tongfa user it should be. */
export interface MappedIdentity {
  unit: { match: 'creditCode' | 'id'; value: string } | null;
  roles: { role: Role; level: number | null }[];
  username: string;
  displayName: string;
}

/** Reads a claim by name or by dotted path into nested claims (`org.credit_code`). */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let v: unknown = claims;
  for (const part of path.split('.')) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = Object.hasOwn(v, part) ? (v as Record<string, unknown>)[part] : undefined;
  }
  return v;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.length > 0);
  return [];
}

/**
 * Applies TONGFA_OIDC_MAPPING to verified claims. Pure: finding the unit and the user is the
 * service's job. Unknown role values are ignored; a role mapped twice keeps its highest level.
 */
export function mapClaims(mapping: OidcMapping, claims: Record<string, unknown>, subject: string): MappedIdentity {
  const unitValue = claimAt(claims, mapping.unit.claim);
  const unit =
    typeof unitValue === 'string' && unitValue.trim() ? { match: mapping.unit.match, value: unitValue.trim().toUpperCase() } : null;
  if (unit && mapping.unit.match === 'id') unit.value = unit.value.toLowerCase();

  const byRole = new Map<Role, number | null>();
  for (const value of strings(claimAt(claims, mapping.roles.claim))) {
    const target = ownValue(mapping.roles.map, value);
    if (!target) continue;
    for (const t of target) {
      const role = t.role as Role;
      const level = t.level ?? null;
      const had = byRole.get(role);
      if (had === undefined || (level ?? 0) > (had ?? 0)) byRole.set(role, level);
    }
  }

  const prefix = mapping.username?.prefix ?? '';
  const rawName = claimAt(claims, mapping.username?.claim ?? 'preferred_username');
  const cleaned = typeof rawName === 'string' ? rawName.replace(/[^A-Za-z0-9_.-]/g, '') : '';
  const fallback = `sso-${createHash('sha256').update(subject).digest('hex').slice(0, 12)}`;
  const username = `${prefix}${cleaned.length >= 3 ? cleaned : fallback}`.slice(0, 64);

  const rawDisplay = claimAt(claims, mapping.displayName?.claim ?? 'name');
  const displayName = (typeof rawDisplay === 'string' && rawDisplay.trim() ? rawDisplay.trim() : username).slice(0, 64);

  return { unit, roles: [...byRole].map(([role, level]) => ({ role, level })), username, displayName };
}
