import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type {} from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthUser, CurrentUser, Public, Roles } from '../../../common/auth/auth.decorators.js';
import { ValidationFailedError } from '../../../common/errors/domain-error.js';
import { UnsupportedMediaTypeError } from '../../../common/http/client-errors.js';
import { ApiErrors } from '../../../common/openapi/api-docs.decorators.js';
import { MediaViewDto } from './media.dto.js';
import { type MediaView, MediaService } from './media.service.js';

const SHA256 = /^[0-9a-f]{64}$/;

@ApiTags('campaigns')
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Post()
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'Upload an image for a campaign page (cover or gallery)',
    description:
      'multipart/form-data with one part `file`: PNG, JPEG, GIF or WebP, judged by its bytes (a name or declared type that disagrees is 415 MEDIA.TYPE_MISMATCH), at most MEDIA_MAX_BYTES (413 MEDIA.TOO_LARGE) and MEDIA_MAX_PIXELS pixels (422 MEDIA.TOO_MANY_PIXELS, read from the header: a decompression bomb is never decoded), nothing after the image or inside it in another format (422 MEDIA.POLYGLOT). Stored under the SHA-256 of the bytes: the same image uploaded twice is one.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ type: MediaViewDto })
  @ApiErrors(
    'UNSUPPORTED_MEDIA_TYPE',
    'MEDIA.UNSUPPORTED_TYPE',
    'MEDIA.TYPE_MISMATCH',
    'MEDIA.TOO_LARGE',
    'MEDIA.TOO_MANY_PIXELS',
    'MEDIA.POLYGLOT',
    'MEDIA.CORRUPT',
    'SERVICE_UNAVAILABLE',
  )
  async upload(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest): Promise<MediaView> {
    if (!request.isMultipart())
      throw new UnsupportedMediaTypeError(request.headers['content-type']?.split(';')[0] ?? null);
    const file = await request.file().catch(() => undefined);
    if (!file || file.fieldname !== 'file')
      throw new ValidationFailedError([
        { field: 'file', problems: ['send the image as the multipart part named "file"'] },
      ]);
    return this.media.upload(user.id, {
      read: () => file.toBuffer(),
      contentType: file.mimetype || null,
      fileName: file.filename || null,
    });
  }

  @Get(':sha256')
  @Public()
  @ApiOperation({
    summary: 'An uploaded image (immutable: cached for a year)',
    description:
      'The name is the SHA-256 of the bytes, so the answer never changes: `Cache-Control: public, max-age=31536000, immutable` and an ETag (If-None-Match answers 304).',
  })
  @ApiParam({ name: 'sha256', schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } })
  @ApiOkResponse({
    description: 'The image bytes',
    content: {
      'image/png': { schema: { type: 'string', format: 'binary' } },
      'image/jpeg': { schema: { type: 'string', format: 'binary' } },
      'image/gif': { schema: { type: 'string', format: 'binary' } },
      'image/webp': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @ApiErrors('NOT_FOUND', 'SERVICE_UNAVAILABLE')
  async read(
    @Param('sha256') sha256: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | undefined> {
    if (!SHA256.test(sha256))
      throw new ValidationFailedError([
        { field: 'sha256', problems: ['64 lower-case hex digits'] },
      ]);
    const etag = `"${sha256}"`;
    const { bytes, contentType } = await this.media.read(sha256);
    void reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('content-disposition', 'inline');
    if (request.headers['if-none-match'] === etag) {
      void reply.status(304);
      return undefined;
    }
    void reply.type(contentType);
    return bytes;
  }
}
