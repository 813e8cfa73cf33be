import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JOB_HANDLER } from './job-handler.decorator';
import { JobName, JobPayloads } from './job-catalogue';

type Handler = (payload: unknown) => Promise<unknown>;

/** Finds every @JobHandler method at start-up; both adapters dispatch through it. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<JobName, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, fn as () => unknown);
        if (!name) continue;
        if (this.handlers.has(name)) throw new Error(`two handlers for job ${name}`);
        this.handlers.set(name, (payload) => (fn as Handler).call(instance, payload));
      }
    }
  }

  has(name: string): boolean {
    return this.handlers.has(name as JobName);
  }

  async run<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<unknown> {
    const h = this.handlers.get(name);
    if (!h) throw new Error(`no handler for job ${name}`);
    return h(payload);
  }
}
