import { z } from 'zod';

/**
 * Roles an upstream identity provider may hand out through TONGFA_OIDC_MAPPING. The three
 * separated administrator roles (系统管理员、安全管理员、审计管理员) are deliberately absent: 三员
 * are appointed inside Tongfa by the security administrator, never by an external claim.
 */
export const OIDC_MAPPABLE_ROLES = ['supervisor', 'unit_admin', 'editor', 'reviewer', 'duty_officer'] as const;

const roleTarget = z.preprocess(
  (v) => (typeof v === 'string' ? { role: v } : v),
  z
    .object({
      role: z.enum(OIDC_MAPPABLE_ROLES, { error: () => `must be one of ${OIDC_MAPPABLE_ROLES.join(', ')}` }),
      level: z.number().int().min(1).max(3).optional(),
    })
    .strict()
    .refine((t) => t.role !== 'reviewer' || t.level !== undefined, 'a reviewer needs a level 1–3: {"role":"reviewer","level":1}'),
);

/**
 * How the claims of the provincial identity provider become a Tongfa user: which claim names the
 * unit (its 统一社会信用代码 or its Tongfa id), which claim carries roles or groups and how each
 * value maps to Tongfa roles at that unit. Claim names may be dotted paths into nested claims.
 */
export const oidcMappingSchema = z
  .object({
    unit: z.object({ claim: z.string().min(1), match: z.enum(['creditCode', 'id']).default('creditCode') }).strict(),
    roles: z
      .object({
        claim: z.string().min(1),
        map: z.record(
          z.string().min(1),
          z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(roleTarget).min(1)),
        ),
      })
      .strict(),
    username: z
      .object({
        claim: z.string().min(1).default('preferred_username'),
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{0,16}$/)
          .default(''),
      })
      .strict()
      .optional(),
    displayName: z
      .object({ claim: z.string().min(1).default('name') })
      .strict()
      .optional(),
    scope: z
      .string()
      .regex(/(^|\s)openid(\s|$)/, 'must include openid')
      .default('openid profile'),
  })
  .strict();

export type OidcMapping = z.output<typeof oidcMappingSchema>;

/** A relying party of Tongfa's own OpenID provider (a unit's app in the matrix). */
export const oidcProviderClientSchema = z
  .object({
    client_id: z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, 'client_id must be 3–64 of A-Z a-z 0-9 _ . -'),
    client_secret: z.string().min(16, 'client_secret must be at least 16 characters'),
    redirect_uris: z.array(z.string().url()).min(1),
    post_logout_redirect_uris: z.array(z.string().url()).optional(),
    client_name: z.string().max(100).optional(),
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
    /** First-party apps of the matrix get consent automatically; others see a consent page. */
    first_party: z.boolean().default(true),
  })
  .strict();

export const oidcProviderClientsSchema = z.array(oidcProviderClientSchema).superRefine((clients, ctx) => {
  const seen = new Set<string>();
  for (const c of clients) {
    if (seen.has(c.client_id)) ctx.addIssue({ code: 'custom', message: `client_id ${c.client_id} appears twice` });
    seen.add(c.client_id);
  }
});

export type OidcProviderClient = z.output<typeof oidcProviderClientSchema>;

/** A variable holding JSON checked against `schema`; every problem folds into the variable's one line. */
export function jsonEnv<T extends z.ZodType>(schema: T, example: string) {
  return z.string().transform((raw, ctx): z.output<T> => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be JSON, e.g. ${example}` });
      return z.NEVER;
    }
    const r = schema.safeParse(value);
    if (!r.success) {
      const problems = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
      ctx.addIssue({ code: 'custom', message: problems.join('; ') });
      return z.NEVER;
    }
    return r.data;
  });
}

export const OIDC_MAPPING_EXAMPLE = '{"unit":{"claim":"org_credit_code"},"roles":{"claim":"groups","map":{"xmt-editor":"editor"}}}';
export const OIDC_CLIENTS_EXAMPLE = '[{"client_id":"city-app","client_secret":"…16+ chars…","redirect_uris":["https://app.example/cb"]}]';

/** Single sign-on to the provincial IdP is all or nothing: a half configuration stops start-up. */
export function checkOidcEnv(env: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const needs = ['TONGFA_OIDC_CLIENT_ID', 'TONGFA_OIDC_REDIRECT_URI', 'TONGFA_OIDC_MAPPING'];
  if (env.TONGFA_OIDC_ISSUER) {
    for (const name of needs) {
      if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'required when TONGFA_OIDC_ISSUER is set' });
    }
  } else {
    const given = needs.find((name) => env[name] !== undefined);
    if (given) ctx.addIssue({ code: 'custom', path: ['TONGFA_OIDC_ISSUER'], message: `required when ${given} is set` });
  }
}
