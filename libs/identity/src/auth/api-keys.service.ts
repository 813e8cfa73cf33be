import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock, CommonError, CommonException, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { whereInScope, pathInScope } from '@tongfa/database';
import { ApiKey, ApiKeyGrant, ApiKeyScope, Unit, User } from '../entities';
import { UsersService } from '../users.service';
import { Actor } from '../actor';
import { Permission, Role, ROLE_NAMES } from '../roles';
import { IdentityError, IdentityException } from '../identity.exception';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const PREFIX = 'tfk_';

/**
 * Whether a held grant covers a wanted one: same role over the same or a wider subtree; a
 * reviewer's level is a distinct step of the chain (初审/复审/终审), so it must match exactly.
 */
export function grantCovers(
  held: { role: string; unitPath: string; level?: number | null },
  wanted: { role: string; unitPath: string; level?: number | null },
): boolean {
  if (held.role !== wanted.role || !wanted.unitPath.startsWith(held.unitPath)) return false;
  return held.role !== Role.Reviewer || (held.level ?? null) === (wanted.level ?? null);
}

export interface ApiKeyView {
  id: string;
  name: string;
  ownerId: string;
  unitId: string;
  grants: ApiKeyGrant[];
  scopes: ApiKeyScope[];
  allowedOrigins: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

/**
 * API keys for machine clients: `tfk_<id>_<secret>`. The secret has 256 random bits, so a plain
 * SHA-256 of it is a safe verifier (no slow hash needed); it is shown once, at creation.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  static looksLikeKey(token: string): boolean {
    return token.startsWith(PREFIX);
  }

  /** A key must not mint or revoke keys: a short-lived or narrowed key could outlive itself. */
  private static assertSignedIn(actor: Actor): void {
    if (actor.via.apiKeyId) throw new IdentityException(IdentityError.ApiKeyNotByKey);
  }

  async create(
    actor: Actor,
    input: {
      name: string;
      unitId: string;
      grants: ApiKeyGrant[];
      scopes?: ApiKeyScope[];
      allowedOrigins?: string[];
      expiresAt?: Date | null;
    },
  ): Promise<{ key: ApiKeyView; token: string }> {
    ApiKeysService.assertSignedIn(actor);
    if (!actor.can(Permission.ApiKeyManage)) throw new CommonException(CommonError.Forbidden);
    const unit = await this.ds.getRepository(Unit).findOne({ where: { id: input.unitId } });
    if (!unit || !actor.canAt(Permission.ApiKeyManage, unit.path)) throw new IdentityException(IdentityError.UnitNotFound);
    // A key needs something to act with: a role grant or a scope such as qa:query.
    if (input.grants.length === 0 && !input.scopes?.length) throw new IdentityException(IdentityError.ApiKeyNoGrants);
    if (input.expiresAt && input.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new IdentityException(IdentityError.ApiKeyExpiryPast, {}, [{ field: 'expiresAt', message: 'must be in the future' }]);
    }
    // A key may only carry roles its creator holds over the same or a wider subtree.
    for (const g of input.grants) {
      const gu = await this.ds.getRepository(Unit).findOne({ where: { id: g.unitId } });
      if (!gu || !actor.grants.some((o) => grantCovers(o, { ...g, unitPath: gu.path }))) {
        throw new IdentityException(IdentityError.RoleNotGrantable, { role: ROLE_NAMES[g.role] ?? g.role });
      }
    }
    const id = newId();
    const secret = randomBytes(32).toString('base64url');
    const key = this.ds.getRepository(ApiKey).create({
      id,
      name: input.name,
      ownerId: actor.userId,
      unitId: unit.id,
      unitPath: unit.path,
      secretHash: sha256(secret),
      grants: input.grants.map((g) => ({ role: g.role, unitId: g.unitId, level: g.level ?? null })),
      scopes: input.scopes?.length ? [...new Set(input.scopes)] : null,
      allowedOrigins: input.allowedOrigins?.length ? [...new Set(input.allowedOrigins)] : null,
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
    });
    await this.ds.getRepository(ApiKey).save(key);
    return { key: this.view(key), token: `${PREFIX}${id}_${secret}` };
  }

  async list(actor: Actor, q: PageQuery): Promise<Page<ApiKeyView>> {
    if (!actor.can(Permission.ApiKeyManage)) throw new CommonException(CommonError.Forbidden);
    const qb = this.ds.getRepository(ApiKey).createQueryBuilder('k');
    whereInScope(qb, 'k.unitPath', actor.scope(Permission.ApiKeyManage));
    const { skip, take } = pageOffset(q);
    const [rows, total] = await qb.orderBy('k.createdAt', 'DESC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map((k) => this.view(k)), total };
  }

  async revoke(actor: Actor, id: string): Promise<ApiKeyView> {
    ApiKeysService.assertSignedIn(actor);
    return this.ds.transaction(async (m) => {
      const key = await m.findOne(ApiKey, { where: { id } });
      if (!key || !pathInScope(key.unitPath, actor.scope(Permission.ApiKeyManage)))
        throw new IdentityException(IdentityError.ApiKeyNotFound);
      // Someone else's key is part of their account: the rules of changing that user apply.
      if (key.ownerId !== actor.userId) {
        const owner = await m.findOne(User, { where: { id: key.ownerId } });
        if (owner) await this.users.assertMayManage(m, actor, owner);
      }
      key.revokedAt ??= this.clock.now();
      await m.save(key);
      return this.view(key);
    });
  }

  async authenticate(token: string): Promise<ApiKey> {
    const m = /^tfk_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) throw new IdentityException(IdentityError.TokenInvalid);
    const key = await this.ds.getRepository(ApiKey).findOne({ where: { id: m[1]! } });
    const now = this.clock.now();
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= now.getTime())) {
      throw new IdentityException(IdentityError.TokenInvalid);
    }
    const a = Buffer.from(key.secretHash, 'hex');
    const b = Buffer.from(sha256(m[2]!), 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new IdentityException(IdentityError.TokenInvalid);
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) {
      await this.ds.getRepository(ApiKey).update({ id: key.id }, { lastUsedAt: now });
    }
    return key;
  }

  /** The key behind an API-key actor (scopes, unit, origins), for edges that check scopes. */
  async keyOf(actor: Actor): Promise<ApiKey | null> {
    if (!actor.via.apiKeyId) return null;
    return this.ds.getRepository(ApiKey).findOne({ where: { id: actor.via.apiKeyId } });
  }

  private view(k: ApiKey): ApiKeyView {
    return {
      id: k.id,
      name: k.name,
      ownerId: k.ownerId,
      unitId: k.unitId,
      grants: k.grants,
      scopes: k.scopes ?? [],
      allowedOrigins: k.allowedOrigins ?? [],
      expiresAt: k.expiresAt,
      lastUsedAt: k.lastUsedAt,
      revokedAt: k.revokedAt,
      createdAt: k.createdAt,
    };
  }
}
