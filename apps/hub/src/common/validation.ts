import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail } from '@tongfa/core';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    for (const [code, message] of Object.entries(e.constraints ?? {})) {
      out.push({ field, code, message: code === 'whitelistValidation' ? `${field} 是未知字段 / unknown field` : message });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/**
 * Strict input: unknown fields are refused, types are checked and converted, and the 400 names
 * every offending field in `message` and `details`.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const fields = [...new Set(details.map((d) => d.field))].join(', ');
      // Bilingual: an English reader gets the English half only (the error filter picks the half).
      return new BadRequestException({
        message: `请求参数有误（${fields}） / invalid fields: ${fields}`,
        code: 'VALIDATION_FAILED',
        details,
      });
    },
  });
}
