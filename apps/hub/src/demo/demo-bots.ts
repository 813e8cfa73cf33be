import { INestApplication, Logger } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { ActorLoader, Role, RoleAssignment, User } from '@tongfa/identity';
import {
  BotChannelsService,
  BotProvider,
  BotTransport,
  HttpBotTransport,
  NotificationChannel,
  NotificationKind,
} from '@tongfa/notifications';
import type { RunningSandbox } from '../../../sandbox/src/sandbox';
import { DEMO_USERNAMES } from './demo-seeder';

/** The groups every demo unit admin's unit gets: one 政务微信 group bot and one signed 钉钉 robot. */
export const DEMO_BOTS = [
  { provider: BotProvider.WeCom, name: '值班政务微信群（演示）' },
  { provider: BotProvider.DingTalk, name: '工作钉钉群（演示）', sign: true },
] as const;

/**
 * Makes the demo's notification bots work out of the box: the bot transport sends to the sandbox's
 * 政务微信 / 钉钉 simulators (unless the operator configured the bot URLs), and each unit of a demo
 * unit admin gets the two demo groups with keys the simulators know. The simulators keep their
 * keys in memory, so every start registers fresh ones and updates the units' channels (kept by
 * name: a channel a person added is left alone). Returns the banner line.
 */
export async function connectDemoBots(app: INestApplication, sandbox: RunningSandbox): Promise<string[]> {
  const transport = app.get(BotTransport);
  if (!(transport instanceof HttpBotTransport) || !transport.useDemoSandbox(sandbox.url)) return [];
  const logger = new Logger('DemoBots');
  const ds = app.get(DataSource);
  const channels = app.get(BotChannelsService);
  const actors = app.get(ActorLoader);
  const admins = await ds.getRepository(User).find({ where: { username: In(DEMO_USERNAMES) } });
  const grants = admins.length
    ? await ds.getRepository(RoleAssignment).find({
        where: { role: Role.UnitAdmin, userId: In(admins.map((u) => u.id)) },
        order: { unitPath: 'ASC' },
      })
    : [];
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox answered ${res.status}`);
    return (await res.json()) as { key?: string; accessToken?: string; secret?: string };
  };
  let ready = 0;
  const done = new Set<string>();
  for (const g of grants) {
    if (done.has(g.unitId)) continue;
    done.add(g.unitId);
    try {
      const actor = await actors.forUser(g.userId);
      const existing = await ds.getRepository(NotificationChannel).find({ where: { unitId: g.unitId } });
      for (const bot of DEMO_BOTS) {
        const secret =
          bot.provider === BotProvider.WeCom
            ? { key: (await post('/_sandbox/bots/wecom/hooks', {})).key }
            : await post('/_sandbox/bots/dingtalk/robots', { sign: true }).then((r) => ({
                accessToken: r.accessToken,
                signSecret: r.secret,
              }));
        const same = existing.find((c) => c.provider === bot.provider && c.name === bot.name);
        if (same) await channels.update(actor, same.id, secret);
        else
          await channels.create(actor, g.unitId, {
            provider: bot.provider,
            name: bot.name,
            kinds: Object.values(NotificationKind),
            ...secret,
          });
        ready++;
      }
    } catch (e) {
      logger.warn(`demo bots of unit ${g.unitId} not set up: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return [
    `演示通知机器人 demo bots: ${ready} 个发往沙箱模拟群 sent to the sandbox's simulated groups; 收到的消息 messages received: ${sandbox.url}/_sandbox/bots/messages`,
  ];
}
