import { Injectable } from '@nestjs/common';

/**
 * What start-up still has to finish before the hub may take traffic (the demo's sandbox accounts,
 * for one). `/health/ready` answers 503 while anything is held, so a load balancer or a script
 * waiting for readiness never reaches a half-seeded hub.
 */
@Injectable()
export class StartupGate {
  private readonly pending = new Set<string>();

  /** Holds readiness until the returned function is called. */
  hold(what: string): () => void {
    this.pending.add(what);
    return () => void this.pending.delete(what);
  }

  get waitingFor(): string[] {
    return [...this.pending];
  }
}
