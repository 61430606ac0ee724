import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  AllowWithoutSecondFactor,
  type AuthUser,
  CurrentUser,
  Public,
  Roles,
} from '../../common/auth/auth.decorators.js';
import { ApiErrors } from '../../common/openapi/api-docs.decorators.js';
import {
  MeDto,
  OrganizationRealNameDto,
  PersonRealNameDto,
  RegisterDto,
  RegisteredUserDto,
} from './dto/identity.dto.js';
import { IdentityService } from './identity.service.js';
import { CredentialRateLimit } from './credential-rate-limit.guard.js';

@ApiTags('identity')
@Controller()
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  @Public()
  @CredentialRateLimit('register')
  @Post('auth/register')
  @ApiOperation({
    summary: 'Create an INVESTOR or FOUNDER account; a verification link is e-mailed',
  })
  @ApiCreatedResponse({ type: RegisteredUserDto })
  @ApiErrors('AUTH.EMAIL_TAKEN', 'RATE_LIMITED')
  register(@Body() body: RegisterDto): Promise<RegisteredUserDto> {
    return this.identity.register(body);
  }

  @Get('me')
  @AllowWithoutSecondFactor()
  @ApiOperation({ summary: 'Own profile with masked ID number and verification state' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors('NOT_FOUND')
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.identity.me(user.id);
  }

  @Post('me/real-name')
  @HttpCode(200)
  @Roles('INVESTOR', 'FOUNDER')
  @ApiOperation({
    summary: 'Real-name verification (GB 11643 / GB 32100 checks, age >= 18)',
    description:
      'A PERSON account sends PersonRealNameDto, an ORGANIZATION account OrganizationRealNameDto (PLAT-01, PLAT-02, ID-RIC-01..04, ID-USCC-01..03).',
  })
  @ApiExtraModels(PersonRealNameDto, OrganizationRealNameDto)
  @ApiBody({
    required: true,
    schema: {
      oneOf: [
        { $ref: getSchemaPath(PersonRealNameDto) },
        { $ref: getSchemaPath(OrganizationRealNameDto) },
      ],
    },
  })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(
    'NOT_FOUND',
    'IDENTITY.ID_NUMBER_IN_USE',
    'IDENTITY.ALREADY_VERIFIED',
    'IDENTITY.INVALID_ID_NUMBER',
    'IDENTITY.INVALID_USCC',
    'IDENTITY.UNDERAGE',
  )
  verifyRealName(@CurrentUser() caller: AuthUser, @Body() body: unknown): Promise<MeDto> {
    // The body's shape depends on the account's kind: the service validates it for that kind.
    return this.identity.verifyRealName(caller.id, body);
  }
}
