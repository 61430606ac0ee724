import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Injectable, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsString, Length } from 'class-validator';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError, RuleViolationError } from '../../common/errors/domain-error.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import { ApiBoolean, ApiDateTime, ApiUuid } from '../../common/openapi/api-properties.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { InstitutionalInvestorsRepository } from './institutional-investors.repository.js';
import { UserDirectory } from '../identity/index.js';

/** ADMIN's decision that an organisation investor is (or no longer is) an institutional investor. */
export interface InstitutionalView {
  investorId: string;
  institutional: boolean;
  /** null when no decision was ever made (not institutional). */
  reason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

/**
 * Institutional investors (issue 15, 领投; CN-ECF-04's deemed-qualified institutions, CN-PF-02):
 * ADMIN flags an ORGANIZATION investor as a VC/PE fund that may lead a campaign. Every decision is
 * kept (append-only) with its reason and audited; the latest one holds.
 */
@Injectable()
export class InstitutionalInvestors {
  constructor(
    private readonly repo: InstitutionalInvestorsRepository,
    private readonly users: UserDirectory,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async decide(
    admin: AuthUser,
    investorId: string,
    input: { institutional: boolean; reason: string },
  ): Promise<InstitutionalView> {
    const user = await this.users.findUserById(investorId);
    if (!user || user.role !== 'INVESTOR') throw new NotFoundError('Investor');
    if (user.kind !== 'ORGANIZATION')
      throw new RuleViolationError(
        'CLASSIFICATION.NOT_AN_ORGANIZATION',
        'Only an organisation investor (a fund) can be an institutional investor.',
        { rules: ['CN-PF-02'] },
      );
    const reason = input.reason.trim();
    const decidedAt = this.clock.now();
    await this.transactions.run(async (tx) => {
      await this.repo.insert(
        { id: randomUUID(), investorId, institutional: input.institutional, reason },
        admin.id,
        decidedAt,
        tx,
      );
      await this.audit.append(
        {
          occurredAt: decidedAt,
          actorId: admin.id,
          action: 'classification.institutional_decided',
          subjectType: 'user',
          subjectId: investorId,
          details: { institutional: input.institutional, reason, rules: ['CN-PF-02'] },
        },
        tx,
      );
    });
    return {
      investorId,
      institutional: input.institutional,
      reason,
      decidedBy: admin.id,
      decidedAt: decidedAt.toISOString(),
    };
  }

  async view(investorId: string): Promise<InstitutionalView> {
    const user = await this.users.findUserById(investorId);
    if (!user || user.role !== 'INVESTOR') throw new NotFoundError('Investor');
    const latest = await this.latest(investorId);
    return {
      investorId,
      institutional: latest?.institutional ?? false,
      reason: latest?.reason ?? null,
      decidedBy: latest?.decided_by ?? null,
      decidedAt: latest?.decided_at.toISOString() ?? null,
    };
  }

  /** Whether the investor is an institutional investor now (the latest decision). */
  async isInstitutional(investorId: string, tx?: Tx): Promise<boolean> {
    return (await this.latest(investorId, tx))?.institutional ?? false;
  }

  private latest(investorId: string, tx?: Tx) {
    return this.repo.latest(investorId, tx);
  }
}

export class InstitutionalDecisionDto {
  @ApiProperty() @IsBoolean() institutional: boolean;
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) reason: string;
}

export class InstitutionalDto implements InstitutionalView {
  @ApiUuid() investorId: string;
  @ApiBoolean() institutional: boolean;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiUuid({ nullable: true }) decidedBy: string | null;
  @ApiDateTime({ nullable: true }) decidedAt: string | null;
}

@ApiTags('investor classification')
@Roles('ADMIN')
@Controller('admin/investors/:id/institutional')
export class InstitutionalInvestorsController {
  constructor(private readonly institutions: InstitutionalInvestors) {}

  @Get()
  @ApiOperation({ summary: 'Whether an investor is an institutional investor (VC/PE fund)' })
  @ApiUuidParam('id', 'An investor')
  @ApiOkResponse({ type: InstitutionalDto })
  @ApiErrors('NOT_FOUND')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<InstitutionalView> {
    return this.institutions.view(id);
  }

  @Put()
  @ApiOperation({
    summary: 'Flag an organisation investor as institutional (may lead a campaign), or unflag it',
  })
  @ApiUuidParam('id', 'An investor')
  @ApiOkResponse({ type: InstitutionalDto })
  @ApiErrors('NOT_FOUND', 'CLASSIFICATION.NOT_AN_ORGANIZATION')
  decide(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: InstitutionalDecisionDto,
  ): Promise<InstitutionalView> {
    return this.institutions.decide(admin, id, body);
  }
}
