import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { JwtAuthGuard, RolesGuard } from './common/auth/auth.guards.js';
import type { Clock } from './common/clock/clock.js';
import { PaginationModule } from './common/pagination/pagination.module.js';
import { ClockModule } from './common/clock/clock.module.js';
import { AllErrorsFilter } from './common/errors/all-errors.filter.js';
import { HealthController } from './common/health/health.controller.js';
import { MailModule } from './common/mail/mail.module.js';
import { NOTICES } from './common/notices/notices.port.js';
import type { AppConfig } from './config/app-config.js';
import { configNamespaces } from './config/namespaces.js';
import { DatabaseModule } from './database/database.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { EscrowLedgerModule } from './modules/escrow-ledger/escrow-ledger.module.js';
import { WALLET_OWNERS, type WalletOwners } from './modules/escrow-ledger/wallet-owners.port.js';
import { FinanceModule } from './modules/finance/finance.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { UserDirectory } from './modules/identity/index.js';
import { CampaignModule } from './modules/campaign/campaign.module.js';
import { CAMPAIGN_BACKERS } from './modules/campaign/campaign-backers.port.js';
import { COMMITMENTS } from './modules/investor-classification/commitments.port.js';
import { PledgeCommitmentsReader } from './modules/pledge/pledge-commitments.reader.js';
import { PledgePortsModule } from './modules/pledge/pledge-ports.module.js';
import { PledgeModule } from './modules/pledge/pledge.module.js';
import { SettlementModule } from './modules/settlement/settlement.module.js';
import { LendingModule } from './modules/lending/lending.module.js';
import { LinesModule } from './modules/lines/lines.module.js';
import { CreditModule } from './modules/credit/credit.module.js';
import { RiskDisclosureModule } from './modules/risk-disclosure/risk-disclosure.module.js';
import { InvestorClassificationModule } from './modules/investor-classification/investor-classification.module.js';
import {
  NotificationOutbox,
  NotificationOutboxModule,
} from './modules/notifications/notification-outbox.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { FulfilmentModule } from './modules/fulfilment/fulfilment.module.js';
import { CharityModule } from './modules/charity/charity.module.js';
import { HoldingsModule } from './modules/holdings/holdings.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  /** The database actually used (DATABASE_URL, or the embedded server's). */
  databaseUrl: string;
  /** A streaming replica for the finance office's reads (DATABASE_REPLICA_URL), if any. */
  replicaUrl?: string;
  /** The clock every "now" comes from; the system clock by default. */
  clock?: Clock;
}

/** Everything shared by the HTTP app and the CLI's application context. */
export function coreImports(options: AppModuleOptions): DynamicModule['imports'] {
  return [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: configNamespaces(options.config),
    }),
    DatabaseModule.forRoot({
      url: options.databaseUrl,
      poolSize: options.config.database.poolSize,
      poolIdleMs: options.config.database.poolIdleMs,
      replicaUrl: options.replicaUrl,
      replicaMaxWaitMs: options.config.database.replicaMaxWaitMs,
    }),
    ClockModule.forRoot(options.clock),
    PaginationModule,
    MailModule,
    AuditModule,
    IdentityModule,
    PortsModule,
    EscrowLedgerModule,
    FinanceModule,
    InvestorClassificationModule,
    CreditModule,
    RiskDisclosureModule,
    CampaignModule,
    PledgeModule,
    SettlementModule,
    NotificationsModule,
    LendingModule,
    LinesModule,
    FulfilmentModule,
    CharityModule,
    HoldingsModule,
  ];
}

/** Ports that one module defines and another fills, wired here so the modules stay independent. */
@Global()
@Module({
  imports: [IdentityModule, PledgePortsModule, NotificationOutboxModule],
  providers: [
    {
      provide: WALLET_OWNERS,
      inject: [UserDirectory],
      useFactory: (users: UserDirectory): WalletOwners => ({
        roleOf: async (userId) => (await users.findUserById(userId))?.role ?? null,
      }),
    },
    { provide: COMMITMENTS, useExisting: PledgeCommitmentsReader },
    { provide: CAMPAIGN_BACKERS, useExisting: PledgeCommitmentsReader },
    // Notices are outbox rows written in the caller's transaction (issue 13).
    { provide: NOTICES, useExisting: NotificationOutbox },
  ],
  exports: [WALLET_OWNERS, COMMITMENTS, CAMPAIGN_BACKERS, NOTICES],
})
class PortsModule {}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [...(coreImports(options) ?? []), TerminusModule],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_FILTER, useClass: AllErrorsFilter },
      ],
    };
  }
}
