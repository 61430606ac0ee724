import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { pageQuery } from '../../common/pagination/page-query.dto.js';
import { ClassificationApplications } from './classification-applications.service.js';
import type {
  ApplicationView,
  AssessmentView,
  ProfileView,
  QuestionnaireView,
} from './classification.views.js';
import { ClassificationService } from './classification.service.js';
import {
  ApplicationRequestDto,
  ApplicationsQueryDto,
  AssessmentRequestDto,
  FinancialsDto,
  RejectDto,
} from './dto/classification.dto.js';
import {
  ApplicationDto,
  ApplicationPageDto,
  AssessmentDto,
  FinancialsViewDto,
  ProfileDto,
  QuestionnaireDto,
} from './dto/classification-response.dto.js';

@ApiTags('investor classification')
@Roles('INVESTOR')
@Controller()
export class InvestorClassificationController {
  constructor(
    private readonly classification: ClassificationService,
    private readonly applications: ClassificationApplications,
  ) {}

  @Get('risk-questionnaire')
  @ApiOperation({ summary: 'The current risk questionnaire (versioned)' })
  @ApiOkResponse({ type: QuestionnaireDto })
  @ApiErrors('NOT_FOUND')
  questionnaire(): Promise<QuestionnaireView> {
    return this.classification.questionnaire();
  }

  @Post('investors/me/assessment')
  @ApiOperation({
    summary: 'Answer the questionnaire: risk level C1..C5, lowest-category flag, validity',
  })
  @ApiCreatedResponse({ type: AssessmentDto })
  @ApiErrors('NOT_FOUND', 'CLASSIFICATION.QUESTIONNAIRE_VERSION_MISMATCH')
  assess(
    @CurrentUser() user: AuthUser,
    @Body() body: AssessmentRequestDto,
  ): Promise<AssessmentView> {
    return this.classification.assess(user.id, body);
  }

  @Put('investors/me/financials')
  @ApiOperation({ summary: 'Self-declared income, financial assets, net worth and experience' })
  @ApiOkResponse({ type: FinancialsViewDto })
  financials(
    @CurrentUser() user: AuthUser,
    @Body() body: FinancialsDto,
  ): Promise<ProfileView['financials']> {
    return this.classification.saveFinancials(user.id, body);
  }

  @Post('investors/me/applications')
  @ApiOperation({
    summary: 'Apply for QUALIFIED or PROFESSIONAL status with evidence; an ADMIN decides',
  })
  @ApiCreatedResponse({ type: ApplicationDto })
  @ApiErrors('CLASSIFICATION.APPLICATION_PENDING')
  apply(
    @CurrentUser() user: AuthUser,
    @Body() body: ApplicationRequestDto,
  ): Promise<ApplicationView> {
    return this.applications.apply(user.id, body);
  }

  @Post('investors/me/opt-down')
  @HttpCode(200)
  @ApiOperation({ summary: 'A professional asks to be treated as ordinary (CN-SUIT-03)' })
  @ApiOkResponse({ type: ProfileDto })
  @ApiErrors('CLASSIFICATION.NOT_PROFESSIONAL')
  optDown(@CurrentUser() user: AuthUser): Promise<ProfileView> {
    return this.classification.optDown(user.id);
  }

  @Get('investors/me/profile')
  @ApiOperation({ summary: 'Category, risk level, qualification and the rolling 12-month limit' })
  @ApiOkResponse({ type: ProfileDto })
  profile(@CurrentUser() user: AuthUser): Promise<ProfileView> {
    return this.classification.profile(user.id);
  }
}

@ApiTags('admin')
@Roles('ADMIN')
@Controller('admin/applications')
export class ApplicationsAdminController {
  constructor(private readonly applications: ClassificationApplications) {}

  @Get()
  @ApiOperation({ summary: 'Qualification and opt-up applications, oldest first, in cursor pages' })
  @ApiOkResponse({ type: ApplicationPageDto })
  list(@Query() query: ApplicationsQueryDto): Promise<Page<ApplicationView>> {
    return this.applications.list(query.status, pageQuery(query));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve: the declared figures must meet the thresholds' })
  @ApiUuidParam('id', 'The application')
  @ApiOkResponse({ type: ApplicationDto })
  @ApiErrors(
    'NOT_FOUND',
    'CLASSIFICATION.APPLICATION_DECIDED',
    'CLASSIFICATION.FINANCIALS_REQUIRED',
    'CLASSIFICATION.THRESHOLDS_NOT_MET',
  )
  approve(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ApplicationView> {
    return this.applications.approve(admin.id, id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject with a reason' })
  @ApiUuidParam('id', 'The application')
  @ApiOkResponse({ type: ApplicationDto })
  @ApiErrors('NOT_FOUND', 'CLASSIFICATION.APPLICATION_DECIDED')
  reject(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RejectDto,
  ): Promise<ApplicationView> {
    return this.applications.reject(admin.id, id, body.reason);
  }
}
