import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, catchError, from, mergeMap } from 'rxjs';
import { AuditTrail } from './audit-trail';
import { statusOf } from './http-exception.filter';

/**
 * 留痕 for every state-changing request: one audit record with the route, the caller and the
 * outcome, unless the controller already wrote a richer domain record during the request.
 * The record is written before the response leaves, so a client never sees an unaudited success.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly trail: AuditTrail) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next.handle();
    const route = ((req.route as { path?: string } | undefined)?.path ?? req.path).slice(0, 64);
    const write = (result: 'success' | 'failure', status: number) =>
      this.trail.recordRequest({
        action: `http.${req.method.toLowerCase()}`,
        route,
        result,
        status,
        params: req.params as Record<string, string>,
      });
    return next.handle().pipe(
      mergeMap((value) => from(write('success', ctx.switchToHttp().getResponse<Response>().statusCode).then(() => value))),
      catchError((err: unknown) => {
        // Domain exceptions carry a kind, not an HTTP status: record the status the client gets.
        const status = statusOf(err);
        return from(
          write('failure', status).then(
            () => Promise.reject(err),
            () => Promise.reject(err),
          ),
        );
      }),
    );
  }
}
