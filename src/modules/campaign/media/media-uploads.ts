import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { MediaConfig } from '../../../config/media-config.js';

/**
 * Lets POST /media receive multipart/form-data (issue 16): one file part, a few small fields, the
 * file at most MEDIA_MAX_BYTES (read by the route, which refuses more with 413 MEDIA.TOO_LARGE).
 * Other routes still take JSON only; a multipart body sent to them has no parsed body.
 */
export async function acceptMediaUploads(
  app: NestFastifyApplication,
  config: MediaConfig,
): Promise<void> {
  await app.register(multipart, {
    limits: {
      fileSize: config.maxBytes,
      files: 1,
      fields: 4,
      fieldSize: 1024,
      parts: 5,
      headerPairs: 20,
    },
  });
}
