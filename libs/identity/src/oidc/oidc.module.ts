import { Module } from '@nestjs/common';
import { AppConfig } from '@tongfa/core';
import { OidcLoginService } from './oidc-login.service';
import { RelyingPartyPort } from './relying-party.port';
import { OpenIdClientRelyingParty } from './openid-client.relying-party';
import { OidcProviderService } from './provider/oidc-provider.service';
import { SigningKeysService } from './provider/signing-keys.service';

/** Single sign-on both ways: relying party to the provincial IdP, and provider for the matrix's apps. */
@Module({
  providers: [
    {
      provide: RelyingPartyPort,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RelyingPartyPort | null => {
        const env = config.env;
        if (!env.TONGFA_OIDC_ISSUER || !env.TONGFA_OIDC_CLIENT_ID || !env.TONGFA_OIDC_REDIRECT_URI || !env.TONGFA_OIDC_MAPPING) return null;
        return new OpenIdClientRelyingParty({
          issuer: env.TONGFA_OIDC_ISSUER,
          clientId: env.TONGFA_OIDC_CLIENT_ID,
          clientSecret: env.TONGFA_OIDC_CLIENT_SECRET,
          redirectUri: env.TONGFA_OIDC_REDIRECT_URI,
          scope: env.TONGFA_OIDC_MAPPING.scope,
        });
      },
    },
    OidcLoginService,
    SigningKeysService,
    OidcProviderService,
  ],
  exports: [OidcLoginService, OidcProviderService],
})
export class OidcModule {}
