import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ManuscriptCategory, ManuscriptsService, ReviewService } from '@tongfa/manuscripts';
import { ActorLoader, User } from '@tongfa/identity';

/** The city's release the demo starts with: approved, ready to be relayed by the counties. */
export const DEMO_RELEASE_TITLE = '青山市关于做好今冬明春安全生产工作的通知';

/**
 * Content a newcomer needs to try more than the core path: an approved release of 青山市 written
 * and reviewed by the city's demo newsroom through its ordinary two-step chain, so
 * supervisor.qingshan can issue a joint post (矩阵联动) to the counties at once. Seeded once, with
 * the demo province.
 */
export async function seedDemoContent(deps: {
  ds: DataSource;
  actors: ActorLoader;
  manuscripts: ManuscriptsService;
  review: ReviewService;
}): Promise<void> {
  const logger = new Logger('DemoContent');
  const user = async (username: string) => deps.actors.forUser((await deps.ds.getRepository(User).findOneByOrFail({ username })).id);
  try {
    const editor = await user('editor.qingshan');
    const created = await deps.manuscripts.create(editor, {
      title: DEMO_RELEASE_TITLE,
      summary: '全市开展安全生产大检查，压实企业主体责任，做好冬季防火、燃气和道路交通安全工作。',
      body:
        '<p>为切实做好今冬明春安全生产工作，市政府决定在全市范围内开展安全生产大检查。</p>' +
        '<p>一是压实企业主体责任，重点检查危险化学品、燃气、建筑施工等行业领域；二是做好冬季森林防火和城镇燃气安全；三是加强道路交通安全管理，严查超载超限。</p>' +
        '<p>请各区县、各部门结合实际抓好落实。</p>',
      category: ManuscriptCategory.News,
      source: { type: 'original' },
    });
    await deps.review.submit(editor, created.id);
    for (const reviewer of ['reviewer1.qingshan', 'reviewer2.qingshan']) {
      await deps.review.decide(await user(reviewer), created.id, { decision: 'approve', comment: '同意发布' });
    }
  } catch (e) {
    // The demo still starts; the banner's users work, only the ready-made release is missing.
    logger.warn(`demo release not seeded: ${e instanceof Error ? e.message : String(e)}`);
  }
}
