import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ACCESS_TOKENS } from '../../common/auth/access-tokens.port.js';
import { SECOND_FACTOR_VERIFIER } from '../../common/auth/second-factor.port.js';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { ACCOUNT_CONTROLLERS, ACCOUNT_PROVIDERS } from './accounts.providers.js';
import { IdentityController } from './identity.controller.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityService } from './identity.service.js';
import { AccessTokens } from './access-tokens.service.js';
import { PasswordHasher } from './password-hasher.js';
import { PiiVault } from './pii-vault.js';
import { UserDirectory } from './user-directory.service.js';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [authConfig.KEY],
      useFactory: (auth: AuthConfig) => ({
        secret: auth.jwtSecret,
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [IdentityController, ...ACCOUNT_CONTROLLERS],
  providers: [
    IdentityService,
    IdentityRepository,
    PasswordHasher,
    PiiVault,
    AccessTokens,
    { provide: ACCESS_TOKENS, useExisting: AccessTokens },
    UserDirectory,
    ...ACCOUNT_PROVIDERS,
  ],
  // The repository stays inside (DESIGN §2): other modules read users through UserDirectory.
  exports: [IdentityService, UserDirectory, PiiVault, SECOND_FACTOR_VERIFIER, ACCESS_TOKENS],
})
export class IdentityModule {}
