import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@tongfa/identity';
import { RankingsService } from '@tongfa/supervision';
import { CurrentActor } from '../common/decorators';
import { RankingDto, RankingQueryDto } from './supervision.dto';

@ApiTags('supervision')
@ApiBearerAuth()
@Controller('rankings')
export class RankingsController {
  constructor(private readonly rankings: RankingsService) {}

  @Get()
  @ApiOperation({
    summary:
      '账号周榜/月榜：按单位层级排名，公式有版本，得分旁列出输入 / Weekly or monthly ranking per level, versioned formula, inputs shown',
  })
  @ApiOkResponse({ type: RankingDto })
  rank(@CurrentActor() actor: Actor, @Query() q: RankingQueryDto) {
    return this.rankings.rank(actor, q);
  }
}
