import { Global, Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@tongfa/core';
import { UnitsService } from './units.service';
import { UsersService } from './users.service';
import { Argon2PasswordHasher, PasswordHasher } from './auth/password-hasher';
import { SessionsService } from './auth/sessions.service';
import { TotpService } from './auth/totp.service';
import { AuthService } from './auth/auth.service';
import { ActorLoader } from './auth/actor-loader';
import { ApiKeysService } from './auth/api-keys.service';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject: given a string, jsonwebtoken first tries it as a PEM public key on every
        // verify and builds the HMAC key only after that throws (a few % of a list request's CPU).
        // Same bytes as the string (UTF-8), so tokens signed before still verify.
        secret: createSecretKey(Buffer.from(`${config.secretKey}:access`, 'utf8')),
        signOptions: { expiresIn: config.env.TONGFA_ACCESS_TOKEN_TTL, algorithm: 'HS256', issuer: 'tongfa' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'tongfa' },
      }),
    }),
  ],
  providers: [
    UnitsService,
    UsersService,
    { provide: PasswordHasher, useClass: Argon2PasswordHasher },
    SessionsService,
    TotpService,
    AuthService,
    ActorLoader,
    ApiKeysService,
  ],
  exports: [UnitsService, UsersService, PasswordHasher, SessionsService, TotpService, AuthService, ActorLoader, ApiKeysService],
})
export class IdentityModule {}
