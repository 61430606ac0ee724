import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
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
  @ApiResponse({ status: 201, type: RegisteredUserDto })
  register(@Body() body: RegisterDto): Promise<RegisteredUserDto> {
    return this.identity.register(body);
  }

  @Get('me')
  @AllowWithoutSecondFactor()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Own profile with masked ID number and verification state' })
  @ApiResponse({ status: 200, type: MeDto })
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.identity.me(user.id);
  }

  @Post('me/real-name')
  @HttpCode(200)
  @Roles('INVESTOR', 'FOUNDER')
  @ApiOperation({ summary: 'Real-name verification (GB 11643 / GB 32100 checks, age >= 18)' })
  @ApiExtraModels(PersonRealNameDto, OrganizationRealNameDto)
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(PersonRealNameDto) },
        { $ref: getSchemaPath(OrganizationRealNameDto) },
      ],
    },
  })
  @ApiResponse({ status: 200, type: MeDto })
  verifyRealName(@CurrentUser() caller: AuthUser, @Body() body: unknown): Promise<MeDto> {
    // The body's shape depends on the account's kind: the service validates it for that kind.
    return this.identity.verifyRealName(caller.id, body);
  }
}
