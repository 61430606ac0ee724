import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Public, Roles } from '../../common/auth/auth.decorators.js';
import {
  AccessTokenDto,
  LoginDto,
  MeDto,
  OrganizationRealNameDto,
  PersonRealNameDto,
  RegisterDto,
  RegisteredUserDto,
} from './dto/identity.dto.js';
import { IdentityService } from './identity.service.js';
import { LoginRateLimitGuard } from './login-rate-limit.guard.js';

@ApiTags('identity')
@Controller()
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  @Public()
  @Post('auth/register')
  @ApiOperation({ summary: 'Create an INVESTOR or FOUNDER account' })
  @ApiResponse({ status: 201, type: RegisteredUserDto })
  register(@Body() body: RegisterDto): Promise<RegisteredUserDto> {
    return this.identity.createUser(body, 'self-registration');
  }

  @Public()
  @UseGuards(LoginRateLimitGuard)
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange e-mail and password for a bearer token (rate limited)' })
  @ApiResponse({ status: 200, type: AccessTokenDto })
  login(@Body() body: LoginDto): Promise<AccessTokenDto> {
    return this.identity.login(body.email, body.password);
  }

  @Get('me')
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
