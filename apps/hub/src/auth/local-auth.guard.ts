import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { createValidationPipe } from '../common/validation';
import { LoginDto } from './auth.dto';

const pipe = createValidationPipe();

/**
 * Runs the passport-local strategy. Guards run before pipes, so the body is validated here
 * first: a malformed login gets the usual 400 naming the fields, not a sign-in attempt.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    req.body = await pipe.transform(req.body ?? {}, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(ctx)) as boolean;
  }
}
