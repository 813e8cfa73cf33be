import { invalidateTotals } from '@tongfa/database';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorLoader, UsersService, UserView } from '@tongfa/identity';
import { Page } from '@tongfa/core';
import { CurrentActor } from '../common/decorators';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { AuditTrail } from '../common/audit-trail';
import { CreateUserDto, SetRolesDto, UpdateUserDto, UserListQueryDto } from './users.dto';
import { UserPageDto, UserResponseDto } from './users.responses';

const summary = (u: UserView) => ({ username: u.username, displayName: u.displayName, unitId: u.unitId, status: u.status, roles: u.roles });

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly actors: ActorLoader,
    private readonly trail: AuditTrail,
  ) {}

  @Get()
  @ApiOperation({ summary: '用户列表（仅限管辖范围）/ Users in the caller’s subtree' })
  @ApiOkResponse({ type: UserPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: UserListQueryDto): Promise<Page<UserView>> {
    return this.users.list(actor, q);
  }

  @Post()
  @ApiOperation({ summary: '新建用户（临时密码，首次登录须修改）/ Create a user with a temporary password' })
  @ApiCreatedResponse({ type: UserResponseDto })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserView> {
    const user = await this.users.create(actor, dto);
    invalidateTotals('user');
    this.actors.invalidate();
    await this.trail.record({ action: 'user.create', targetType: 'user', targetId: user.id, unitId: user.unitId, after: summary(user) });
    return user;
  }

  @Get(':id')
  @ApiOperation({ summary: '用户详情 / One user' })
  @ApiOkResponse({ type: UserResponseDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<UserView> {
    return this.users.get(actor, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: '修改、停用、解锁或重置密码 / Edit, disable, unlock or reset the password' })
  @ApiOkResponse({ type: UserResponseDto })
  async update(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserView> {
    const { before, after } = await this.users.update(actor, id, dto);
    invalidateTotals('user');
    await this.trail.record({
      action: dto.unlock ? 'user.unlock' : dto.password ? 'user.password.reset' : 'user.update',
      targetType: 'user',
      targetId: id,
      unitId: after.unitId,
      before: summary(before),
      after: summary(after),
    });
    return after;
  }

  @Post(':id/roles')
  @HttpCode(200)
  @ApiOperation({ summary: '设置角色（安全管理员）/ Set the roles the caller manages on a user' })
  @ApiOkResponse({ type: UserResponseDto })
  async setRoles(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string, @Body() dto: SetRolesDto): Promise<UserView> {
    const { before, after } = await this.users.setRoles(actor, id, dto.roles);
    invalidateTotals('user');
    this.actors.invalidate();
    await this.trail.record({
      action: 'user.roles.set',
      targetType: 'user',
      targetId: id,
      unitId: after.unitId,
      before: { roles: before.roles },
      after: { roles: after.roles },
    });
    return after;
  }
}
