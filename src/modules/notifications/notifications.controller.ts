import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  type MessageEvent,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Sse,
} from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { type AuthUser, CurrentUser } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import {
  InboxPageDto,
  InboxQueryDto,
  LocaleDto,
  MarkedReadDto,
  NotificationDto,
} from './dto/notifications.dto.js';
import { InboxService, type InboxPage } from './inbox.service.js';
import type { Locale } from './notice-format.js';
import { NotificationStreams } from './notification-stream.js';
import type { NotificationView } from './notification.view.js';

/** A signed-in user's notices (issue 13): any role has an inbox. */
@ApiTags('notifications')
@Controller('me')
export class NotificationsController {
  constructor(
    private readonly inbox: InboxService,
    private readonly streams: NotificationStreams,
  ) {}

  @Get('notifications')
  @ApiOperation({ summary: 'My notices, newest first, in cursor pages (unread=true: unread only)' })
  @ApiOkResponse({ type: InboxPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: InboxQueryDto): Promise<InboxPage> {
    return this.inbox.page(user.id, {
      unreadOnly: query.unread ?? false,
      cursor: query.cursor,
      limit: query.limit ?? 20,
    });
  }

  @Sse('notifications/stream')
  @ApiOperation({
    summary:
      'Server-Sent Events: `ready` at once, then each new notice as `notification` (id = its sequence; send Last-Event-ID to resume), `ping` every 25 s',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description:
      'the sequence of the last notice received: the stream first replays what came after it',
    schema: { type: 'string', pattern: '^\\d{1,18}$' },
  })
  @ApiOkResponse({
    description: 'An event stream that stays open',
    schema: {
      type: 'string',
      description:
        'text/event-stream frames: `event: ready|notification|ping`, `id: <sequence>` (notification), `data: <JSON>`',
    },
  })
  stream(
    @CurrentUser() user: AuthUser,
    @Headers('last-event-id') lastEventId?: string,
  ): Observable<MessageEvent> {
    return this.streams.watch(user.id, lastEventId).pipe(
      map((event) => ({
        type: event.type,
        id: 'id' in event ? event.id : undefined,
        data: event.data,
      })),
    );
  }

  @Post('notifications/read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark every unread notice read' })
  @ApiOkResponse({ type: MarkedReadDto })
  readAll(@CurrentUser() user: AuthUser): Promise<{ marked: number }> {
    return this.inbox.markAllRead(user.id);
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notices read (again: no change)' })
  @ApiUuidParam('id', 'One of my notices')
  @ApiOkResponse({ type: NotificationDto })
  @ApiErrors('NOT_FOUND')
  read(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<NotificationView> {
    return this.inbox.markRead(user.id, id);
  }

  @Get('locale')
  @ApiOperation({ summary: 'The language of my notices' })
  @ApiOkResponse({ type: LocaleDto })
  async locale(@CurrentUser() user: AuthUser): Promise<{ locale: Locale }> {
    return { locale: await this.inbox.localeOf(user.id) };
  }

  @Put('locale')
  @ApiOperation({ summary: 'Set the language of my notices (zh-CN or en)' })
  @ApiOkResponse({ type: LocaleDto })
  @ApiErrors('NOT_FOUND')
  setLocale(@CurrentUser() user: AuthUser, @Body() body: LocaleDto): Promise<{ locale: Locale }> {
    return this.inbox.setLocale(user.id, body.locale);
  }
}
