import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, Length, MaxLength, MinLength } from 'class-validator';
import type { Role } from '../../../common/auth/auth.decorators.js';
import { SELF_REGISTER_ROLES, USER_KINDS, type UserKind } from '../identity.types.js';

const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const lowerTrimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class RegisterDto {
  @ApiProperty({ example: 'li.wei@example.com' })
  @Transform(lowerTrimmed)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: 128 })
  @IsString()
  @MinLength(10)
  @MaxLength(128)
  password: string;

  @ApiProperty({
    enum: SELF_REGISTER_ROLES,
    description: 'ADMIN and FINANCE are created only by the CLI.',
  })
  @IsIn(SELF_REGISTER_ROLES, {
    message: 'role must be INVESTOR or FOUNDER (staff accounts are created by the CLI)',
  })
  role: (typeof SELF_REGISTER_ROLES)[number];

  @ApiProperty({ enum: USER_KINDS })
  @IsIn(USER_KINDS)
  kind: UserKind;
}

export class LoginDto {
  @ApiProperty()
  @Transform(lowerTrimmed)
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(128)
  password: string;
}

export class PersonRealNameDto {
  @ApiProperty({ example: '李伟' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 50)
  name: string;

  @ApiProperty({
    example: '11010519491231002X',
    description: '18-character resident ID number (GB 11643)',
  })
  @IsString()
  @Length(1, 40)
  idNumber: string;
}

export class OrganizationRealNameDto {
  @ApiProperty({ example: '北京某某科技有限公司' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({
    example: '91110000600037341L',
    description: 'Unified social credit code (GB 32100)',
  })
  @IsString()
  @Length(1, 40)
  uscc: string;

  @ApiProperty()
  @Transform(trimmed)
  @IsString()
  @Length(1, 50)
  legalRepresentative: string;

  @ApiProperty()
  @IsString()
  @Length(1, 40)
  legalRepresentativeIdNumber: string;
}

export class RegisteredUserDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() role: Role;
  @ApiProperty({ enum: USER_KINDS }) kind: UserKind;
  @ApiProperty() createdAt: string;
}

export class RealNameViewDto {
  @ApiProperty({ enum: ['VERIFIED', 'UNVERIFIED'] }) status: 'VERIFIED' | 'UNVERIFIED';
  @ApiPropertyOptional({ enum: ['RIC', 'USCC'] }) idKind?: 'RIC' | 'USCC';
  @ApiPropertyOptional({ example: '李*' }) nameMasked?: string;
  @ApiPropertyOptional({ example: '110105********002X' }) idNumberMasked?: string;
  @ApiPropertyOptional() legalRepresentativeIdNumberMasked?: string;
  @ApiPropertyOptional() verifiedAt?: string;
}

export class MeDto extends RegisteredUserDto {
  @ApiProperty({ description: 'The e-mail address was verified by its one-time link (issue 13).' })
  emailVerified: boolean;
  @ApiProperty({ description: 'A TOTP second factor is active (required for ADMIN and FINANCE).' })
  totpEnabled: boolean;
  @ApiProperty({ type: RealNameViewDto }) realName: RealNameViewDto;
}
