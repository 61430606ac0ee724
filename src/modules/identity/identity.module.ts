import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { authConfig, type AuthConfig } from '../../config/namespaces.js';
import { IdentityController } from './identity.controller.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityService } from './identity.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { LoginRateLimitGuard } from './login-rate-limit.guard.js';
import { PasswordHasher } from './password-hasher.js';
import { PiiVault } from './pii-vault.js';
import { UserDirectory } from './user-directory.service.js';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [authConfig.KEY],
      useFactory: (auth: AuthConfig) => ({
        secret: auth.jwtSecret,
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [IdentityController],
  providers: [
    LoginRateLimitGuard,
    IdentityService,
    IdentityRepository,
    PasswordHasher,
    PiiVault,
    JwtStrategy,
    UserDirectory,
  ],
  // The repository stays inside (DESIGN §2): other modules read users through UserDirectory.
  exports: [IdentityService, UserDirectory],
})
export class IdentityModule {}
