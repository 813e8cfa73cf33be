import {
  applyDecorators,
  CallHandler,
  CanActivate,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  mixin,
  NestInterceptor,
  SetMetadata,
  Type,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { pickLang } from '@tongfa/core';
import type { Actor } from '@tongfa/identity';

const UPLOAD_CHECK = 'tongfa:upload-check';

/** Decides whether `actor` may send this request's body at all; throws the domain's refusal. */
export type UploadCheck = (actor: Actor, req: Request, refs: ModuleRef) => void | Promise<void>;

/**
 * Runs the route's upload check as a guard. Nest runs guards before interceptors, so the check
 * (after the global sign-in guard) answers 401/403 while multer, an interceptor, has not read a
 * byte. A refusal also closes the connection, so Node does not go on reading and discarding a
 * large body the client is still sending.
 */
@Injectable()
export class UploadGateGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly refs: ModuleRef,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const check = this.reflector.get<UploadCheck | undefined>(UPLOAD_CHECK, ctx.getHandler());
    if (!check) return true;
    const req = ctx.switchToHttp().getRequest<Request & { actor: Actor }>();
    try {
      await check(req.actor, req, this.refs);
    } catch (e) {
      const res = ctx.switchToHttp().getResponse<Response>();
      if (!res.headersSent) res.setHeader('Connection', 'close');
      throw e;
    }
    return true;
  }
}

/** Declares who may upload to this route, checked before the body is read. */
export function UploadGate(check: UploadCheck): MethodDecorator {
  return applyDecorators(SetMetadata(UPLOAD_CHECK, check), UseGuards(UploadGateGuard));
}

export interface FileUploadOptions {
  /** The form field of the one file. */
  field: string;
  /** multer's options, built once from the module (the storage and limits may come from configuration). */
  multer: (refs: ModuleRef) => multer.Options;
  /** The domain's answer to a file over `limits.fileSize` (default 413 UPLOAD_TOO_LARGE). */
  tooLarge?: (limitBytes: number, refs: ModuleRef) => Error;
}

/**
 * One file from a multipart form, like Nest's FileInterceptor, but with options from the module
 * and multer's refusals in the API's error shape (Chinese first). multer removes what it wrote
 * when it fails (a limit, a broken form, the client gone mid-stream).
 */
export function FileUpload(opts: FileUploadOptions): MethodDecorator {
  @Injectable()
  class FileUploadInterceptor implements NestInterceptor {
    private handler: RequestHandler | undefined;
    private options: multer.Options | undefined;

    constructor(@Inject(ModuleRef) private readonly refs: ModuleRef) {}

    async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      if (!this.handler) {
        this.options = opts.multer(this.refs);
        this.handler = multer(this.options).single(opts.field);
      }
      const req = ctx.switchToHttp().getRequest<Request>();
      const res = ctx.switchToHttp().getResponse<Response>();
      await new Promise<void>((resolve, reject) =>
        this.handler!(req, res, (err?: unknown) => (err ? reject(this.translate(err, req)) : resolve())),
      );
      return next.handle();
    }

    private translate(err: unknown, req: Request): unknown {
      if (!(err instanceof MulterError)) return err;
      const lang = pickLang(req.headers['accept-language']);
      const limit = Number(this.options?.limits?.fileSize ?? 0);
      if (err.code === 'LIMIT_FILE_SIZE') {
        if (opts.tooLarge) return opts.tooLarge(limit, this.refs);
        const zh = `文件超过 ${Math.round(limit / 1024 / 1024)} MB 的上限`;
        const en = `The file exceeds ${Math.round(limit / 1024 / 1024)} MB`;
        return new HttpException(
          { message: lang === 'en' ? en : zh, code: 'UPLOAD_TOO_LARGE', details: [{ field: opts.field, message: zh }] },
          413,
        );
      }
      const field = err.field ?? opts.field;
      const zh =
        err.code === 'LIMIT_UNEXPECTED_FILE'
          ? `只接受一个名为 ${opts.field} 的文件`
          : err.code.startsWith('LIMIT_')
            ? '上传表单的字段或文件过多'
            : '上传表单格式有误';
      return new HttpException(
        {
          message: lang === 'en' ? `The upload form was refused (${err.code})` : zh,
          code: 'UPLOAD_MALFORMED',
          details: [{ field, code: err.code, message: zh }],
        },
        400,
      );
    }
  }
  return UseInterceptors(mixin(FileUploadInterceptor) as Type<NestInterceptor>);
}
