import { Global, Module } from '@nestjs/common';
import { AccountsService } from './accounts.service';
import { MatrixService } from './matrix.service';
import { AccountImportService } from './account-import.service';
import { BindablePlatformCatalog, PlatformCatalog } from './platform-catalog';
import { CredentialVault } from './vault/credential-vault';
import { AppConfig } from '@tongfa/core';

@Global()
@Module({
  providers: [
    AccountsService,
    MatrixService,
    AccountImportService,
    { provide: PlatformCatalog, useFactory: () => new BindablePlatformCatalog() },
    {
      provide: CredentialVault,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => CredentialVault.fromConfig(c.env.TONGFA_VAULT_KEYS, c.secretKey, c.env.TONGFA_VAULT_ALGORITHM),
    },
  ],
  exports: [AccountsService, MatrixService, AccountImportService, PlatformCatalog, CredentialVault],
})
export class AccountsModule {}
