import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks that a path parameter is a UUID (any version: ids are UUIDv7) and names the parameter
 * in the 400, which Nest's ParseUUIDPipe does not. Use it for every `:id`-like parameter.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, meta: ArgumentMetadata): string {
    if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
    const field = meta.data ?? 'id';
    throw new BadRequestException({
      message: `请求参数有误 invalid fields: ${field}`,
      code: 'VALIDATION_FAILED',
      details: [{ field, code: 'isUuid', message: `${field} must be a UUID` }],
    });
  }
}
