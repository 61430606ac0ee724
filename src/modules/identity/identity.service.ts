import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { validateInput } from '../../common/http/validation.js';
import {
  type MeDto,
  OrganizationRealNameDto,
  PersonRealNameDto,
  type RegisteredUserDto,
} from './dto/identity.dto.js';
import {
  ageInYears,
  type CalendarDate,
  checkResidentIdNumber,
  checkUscc,
  maskIdentifier,
  maskName,
  shanghaiDate,
} from './id-numbers.js';
import { EmailNotVerifiedError } from './account.errors.js';
import { EmailVerificationService } from './email-verification.service.js';
import { InvalidIdNumberError, InvalidUsccError, UnderageError } from './identity.errors.js';
import { IdentityRepository } from './identity.repository.js';
import type { UserKind } from './identity.types.js';
import { PasswordHasher } from './password-hasher.js';
import { PiiVault } from './pii-vault.js';
import type { RealNameIdentityEntity } from './real-name-identity.entity.js';
import { TotpService } from './totp.service.js';
import type { UserEntity } from './user.entity.js';

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  kind: UserKind;
}

@Injectable()
export class IdentityService {
  constructor(
    private readonly users: IdentityRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly passwords: PasswordHasher,
    private readonly vault: PiiVault,
    private readonly verification: EmailVerificationService,
    private readonly totp: TotpService,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly rulePack: RulePackConfig,
  ) {}

  /** POST /auth/register: the account, then the mail with its verification link (issue 13). */
  async register(input: NewUser): Promise<RegisteredUserDto> {
    const user = await this.createUser(input, 'self-registration');
    await this.verification.send(user.id, user.email, 'registration');
    return user;
  }

  /**
   * Issue 13: an unverified e-mail cannot pledge or submit a campaign. 403
   * IDENTITY.EMAIL_NOT_VERIFIED (the pledge path may read `emailVerified` from pledgerFacts instead).
   */
  async assertEmailVerified(userId: string): Promise<void> {
    const user = await this.users.findUserById(userId);
    if (!user) throw new NotFoundError('User');
    if (!user.emailVerifiedAt) throw new EmailNotVerifiedError();
  }

  /** Self-registration (INVESTOR/FOUNDER, checked by the DTO) and the CLI's staff accounts. */
  async createUser(input: NewUser, via: 'self-registration' | 'cli'): Promise<RegisteredUserDto> {
    const user: UserEntity = {
      id: randomUUID(),
      email: input.email.trim().toLowerCase(),
      passwordHash: await this.passwords.hash(input.password),
      role: input.role,
      kind: input.kind,
      emailVerifiedAt: null,
      createdAt: this.clock.now(),
    };
    await this.transactions.run(async (tx) => {
      await this.users.insertUser(user, tx);
      await this.audit.append(
        {
          occurredAt: user.createdAt,
          actorId: via === 'self-registration' ? user.id : null,
          action: 'user.created',
          subjectType: 'user',
          subjectId: user.id,
          details: { role: user.role, kind: user.kind, via },
        },
        tx,
      );
    });
    return toRegisteredUser(user);
  }

  async me(userId: string): Promise<MeDto> {
    const user = await this.users.findUserById(userId);
    if (!user) throw new NotFoundError('User');
    const identity = await this.users.findRealNameIdentity(userId);
    return {
      ...toRegisteredUser(user),
      emailVerified: user.emailVerifiedAt !== null,
      totpEnabled: await this.totp.enabled(userId),
      realName: toRealNameView(identity),
    };
  }

  /** PLAT-01: the body is a person's or an organisation's, by the account's kind. */
  async verifyRealName(userId: string, body: unknown): Promise<MeDto> {
    const user = await this.users.findUserById(userId);
    if (!user) throw new NotFoundError('User');
    return user.kind === 'PERSON'
      ? this.verifyPerson(user.id, await validateInput(PersonRealNameDto, body))
      : this.verifyOrganization(user.id, await validateInput(OrganizationRealNameDto, body));
  }

  /** PLAT-01 for a natural person: ID-RIC-01..04 and PLAT-02. */
  private async verifyPerson(userId: string, input: PersonRealNameDto): Promise<MeDto> {
    const today = shanghaiDate(this.clock.now());
    const ric = this.checkAdultRic('idNumber', input.idNumber, today);
    await this.storeIdentity(userId, {
      idKind: 'RIC',
      name: input.name,
      number: ric.normalized,
      birthDate: ric.birthDate,
    });
    return this.me(userId);
  }

  /** PLAT-01 for an organisation: ID-USCC-01..03 and the legal representative's own RIC check. */
  private async verifyOrganization(userId: string, input: OrganizationRealNameDto): Promise<MeDto> {
    const today = shanghaiDate(this.clock.now());
    const uscc = checkUscc(input.uscc);
    if (!uscc.ok) throw new InvalidUsccError('uscc', uscc.problem);
    const representative = this.checkAdultRic(
      'legalRepresentativeIdNumber',
      input.legalRepresentativeIdNumber,
      today,
    );
    await this.storeIdentity(userId, {
      idKind: 'USCC',
      name: input.name,
      number: uscc.normalized,
      legalRepresentative: { name: input.legalRepresentative, idNumber: representative.normalized },
      organizationCodeWarning: uscc.organizationCodeWarning,
    });
    return this.me(userId);
  }

  private checkAdultRic(field: string, idNumber: string, today: CalendarDate) {
    const { minimumBirthYear, minimumAgeYears } = this.rulePack.parameters;
    const ric = checkResidentIdNumber(idNumber, { today, minimumBirthYear });
    if (!ric.ok) throw new InvalidIdNumberError(field, ric.problem);
    if (ageInYears(ric.birthDate, today) < minimumAgeYears)
      throw new UnderageError(field, minimumAgeYears);
    return ric;
  }

  private async storeIdentity(
    userId: string,
    input: {
      idKind: 'RIC' | 'USCC';
      name: string;
      number: string;
      birthDate?: CalendarDate;
      legalRepresentative?: { name: string; idNumber: string };
      organizationCodeWarning?: boolean;
    },
  ): Promise<void> {
    const context = (field: string): string => `real_name_identities.${field}:${userId}`;
    const representative = input.legalRepresentative;
    const identity: Omit<RealNameIdentityEntity, 'user'> = {
      userId,
      idKind: input.idKind,
      nameEncrypted: this.vault.encrypt(input.name, context('name')),
      nameMasked: maskName(input.name),
      idNumberDigest: this.vault.lookupDigest(input.idKind, input.number),
      idNumberEncrypted: this.vault.encrypt(input.number, context('id_number')),
      idNumberMasked: maskIdentifier(input.number),
      birthDate: input.birthDate ? formatDate(input.birthDate) : null,
      legalRepresentativeNameEncrypted: representative
        ? this.vault.encrypt(representative.name, context('legal_representative_name'))
        : null,
      legalRepresentativeIdEncrypted: representative
        ? this.vault.encrypt(representative.idNumber, context('legal_representative_id'))
        : null,
      legalRepresentativeIdMasked: representative ? maskIdentifier(representative.idNumber) : null,
      verifiedAt: this.clock.now(),
    };
    await this.transactions.run(async (tx) => {
      await this.users.insertRealNameIdentity(identity as RealNameIdentityEntity, tx);
      await this.audit.append(
        {
          occurredAt: identity.verifiedAt,
          actorId: userId,
          action: 'identity.real_name_verified',
          subjectType: 'user',
          subjectId: userId,
          details: {
            idKind: identity.idKind,
            idNumberMasked: identity.idNumberMasked,
            rulePack: this.rulePack.effectiveId,
            rules:
              input.idKind === 'RIC'
                ? ['ID-RIC-01', 'ID-RIC-03', 'ID-RIC-04', 'PLAT-02']
                : ['ID-USCC-01', 'ID-USCC-03', 'ID-RIC-04'],
            organizationCodeWarning: input.organizationCodeWarning ?? false,
          },
        },
        tx,
      );
    });
  }
}

function formatDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function toRegisteredUser(user: UserEntity): RegisteredUserDto {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    kind: user.kind,
    createdAt: user.createdAt.toISOString(),
  };
}

function toRealNameView(identity: RealNameIdentityEntity | null): MeDto['realName'] {
  if (!identity) return { status: 'UNVERIFIED' };
  return {
    status: 'VERIFIED',
    idKind: identity.idKind,
    nameMasked: identity.nameMasked,
    idNumberMasked: identity.idNumberMasked,
    ...(identity.legalRepresentativeIdMasked
      ? { legalRepresentativeIdNumberMasked: identity.legalRepresentativeIdMasked }
      : {}),
    verifiedAt: identity.verifiedAt.toISOString(),
  };
}
