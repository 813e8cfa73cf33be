import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '@tongfa/identity';

export const IS_PUBLIC = 'tongfa:public';
export const ALLOW_RESTRICTED = 'tongfa:allow-restricted';

/** The route needs no sign-in. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The route stays reachable while a session must change its password or enrol a second factor. */
export const AllowRestricted = () => SetMetadata(ALLOW_RESTRICTED, true);

/** The authenticated caller. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<Request & { actor: Actor }>();
  return req.actor;
});
