import { ApiProperty } from '@nestjs/swagger';
import { ApiInteger } from '../../../common/openapi/api-properties.js';
import { IMAGE_TYPES } from './image-inspection.js';
import type { MediaView } from './media.service.js';

export class MediaViewDto implements MediaView {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the bytes: the id' })
  sha256: string;
  @ApiProperty({ description: 'Where the image is served (relative to the service)' }) url: string;
  @ApiProperty({ enum: Object.keys(IMAGE_TYPES) }) contentType: string;
  @ApiInteger({ minimum: 1 }) byteSize: number;
  @ApiInteger({ minimum: 1 }) width: number;
  @ApiInteger({ minimum: 1 }) height: number;
}
