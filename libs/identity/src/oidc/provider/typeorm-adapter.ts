import type { Adapter, AdapterPayload } from 'oidc-provider';
import { DataSource, LessThan } from 'typeorm';
import { Clock } from '@tongfa/core';
import { OidcProviderRecord } from '../../entities';

/** How often one process sweeps expired provider state away. */
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * oidc-provider's storage on the Tongfa database (MariaDB or SQLite), instead of its default
 * in-memory store, so sessions, codes and tokens are shared by every hub process and survive a
 * restart. One table, keyed by (model, id); lookups by grant, interaction uid and user code are
 * indexed columns beside the JSON payload.
 */
export function typeormAdapter(ds: DataSource, clock: Clock): new (model: string) => Adapter {
  const repo = ds.getRepository(OidcProviderRecord);
  let lastSweep = 0;

  const live = (r: OidcProviderRecord | null): AdapterPayload | undefined => {
    if (!r) return undefined;
    if (r.expiresAt && r.expiresAt.getTime() <= clock.now().getTime()) return undefined;
    const payload = JSON.parse(r.payload) as AdapterPayload;
    return r.consumedAt ? { ...payload, consumed: Math.floor(r.consumedAt.getTime() / 1000) } : payload;
  };

  return class TypeormOidcAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const now = clock.now();
      // consumedAt is left out on purpose: re-saving a consumed code must not make it usable again.
      await repo.upsert(
        {
          model: this.model,
          id,
          payload: JSON.stringify(payload),
          grantId: payload.grantId ?? null,
          uid: payload.uid ?? null,
          userCode: payload.userCode ?? null,
          expiresAt: expiresIn ? new Date(now.getTime() + expiresIn * 1000) : null,
        },
        ['model', 'id'],
      );
      if (now.getTime() - lastSweep > SWEEP_EVERY_MS) {
        lastSweep = now.getTime();
        await repo.delete({ expiresAt: LessThan(now) });
      }
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return live(await repo.findOneBy({ model: this.model, id }));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return live(await repo.findOneBy({ model: this.model, uid }));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return live(await repo.findOneBy({ model: this.model, userCode }));
    }

    async consume(id: string): Promise<void> {
      await repo.update({ model: this.model, id }, { consumedAt: clock.now() });
    }

    async destroy(id: string): Promise<void> {
      await repo.delete({ model: this.model, id });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await repo.delete({ grantId });
    }
  };
}
