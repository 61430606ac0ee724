import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type AuthUser,
  CurrentUser,
  CurrentUserOrNull,
  OptionalAuth,
  Roles,
} from '../../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../../common/openapi/api-docs.decorators.js';
import {
  AnswerQuestionDto,
  AskQuestionDto,
  HideQuestionDto,
  CampaignQuestionDto,
  CampaignQuestionListQueryDto,
  CampaignQuestionPageDto,
} from './campaign-questions.dto.js';
import { CampaignQuestionsService } from './campaign-questions.service.js';

@ApiTags('campaigns')
@Controller()
export class CampaignQuestionsController {
  constructor(private readonly questions: CampaignQuestionsService) {}

  @Post('campaigns/:id/questions')
  @Roles('INVESTOR')
  @ApiOperation({
    summary: 'A backer asks the founder a question (public; rate limited per user)',
    description:
      'Only investors with a live or settled pledge on the campaign (403 QUESTION.BACKERS_ONLY); at most QUESTIONS_PER_HOUR per user (429 RATE_LIMITED).',
  })
  @ApiUuidParam('id', 'A published campaign')
  @ApiCreatedResponse({ type: CampaignQuestionDto })
  @ApiErrors(
    'NOT_FOUND',
    'IDENTITY.REAL_NAME_REQUIRED',
    'CLASSIFICATION.NOT_QUALIFIED',
    'CAMPAIGN.INVALID_STATE',
    'QUESTION.BACKERS_ONLY',
    'RATE_LIMITED',
  )
  ask(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AskQuestionDto,
  ) {
    return this.questions.ask(user, id, body.body);
  }

  @Get('campaigns/:id/questions')
  @OptionalAuth()
  @ApiOperation({
    summary: 'Questions and answers, newest first (hidden ones only for staff)',
  })
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: CampaignQuestionPageDto })
  @ApiErrors('NOT_FOUND', 'IDENTITY.REAL_NAME_REQUIRED', 'CLASSIFICATION.NOT_QUALIFIED')
  list(
    @CurrentUserOrNull() user: AuthUser | null,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: CampaignQuestionListQueryDto,
  ) {
    return this.questions.list(user, id, {
      cursor: query.cursor,
      pageSize: query.pageSize ?? 20,
    });
  }

  @Post('campaign-questions/:questionId/answer')
  @HttpCode(200)
  @Roles('FOUNDER')
  @ApiOperation({ summary: "The founder's public answer (once; not rewritten)" })
  @ApiUuidParam('questionId', 'A question on an own campaign')
  @ApiOkResponse({ type: CampaignQuestionDto })
  @ApiErrors('NOT_FOUND', 'QUESTION.ALREADY_ANSWERED')
  answer(
    @CurrentUser() user: AuthUser,
    @Param('questionId', ParseUUIDPipe) questionId: string,
    @Body() body: AnswerQuestionDto,
  ) {
    return this.questions.answer(user.id, questionId, body.answer);
  }

  @Post('admin/campaign-questions/:questionId/hide')
  @HttpCode(200)
  @Roles('ADMIN')
  @ApiTags('admin')
  @ApiOperation({ summary: 'Moderation: hide a question and its answer from the public (audited)' })
  @ApiUuidParam('questionId', 'The question')
  @ApiOkResponse({ type: CampaignQuestionDto })
  @ApiErrors('NOT_FOUND')
  hide(
    @CurrentUser() admin: AuthUser,
    @Param('questionId', ParseUUIDPipe) questionId: string,
    @Body() body: HideQuestionDto,
  ) {
    return this.questions.hide(admin.id, questionId, body.reason);
  }
}
