import { Global, Module } from '@nestjs/common';
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
        secret: `${config.secretKey}:access`,
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
