import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock.js';
import { NotFoundError, ValidationFailedError } from '../../../common/errors/domain-error.js';
import { mediaConfig, type MediaConfig } from '../../../config/namespaces.js';
import { inspectImage } from './image-inspection.js';
import { MEDIA_STORE, type MediaStore } from './media-store.js';
import { MediaRepository } from './media.repository.js';
import { MediaTooLargeError } from './media.errors.js';
import type { MediaEntity } from '../page/campaign-page.entities.js';

export interface MediaView {
  sha256: string;
  url: string;
  contentType: string;
  byteSize: number;
  width: number;
  height: number;
}

export interface Upload {
  /** Reads the whole file; throws the multipart plugin's error when it is over the size limit. */
  read(): Promise<Buffer>;
  contentType: string | null;
  fileName: string | null;
}

export const mediaUrl = (sha256: string) => `/api/v1/media/${sha256}`;

export function toMediaView(m: MediaEntity): MediaView {
  return {
    sha256: m.sha256,
    url: mediaUrl(m.sha256),
    contentType: m.contentType,
    byteSize: m.byteSize,
    width: m.width,
    height: m.height,
  };
}

/**
 * Image uploads for campaign pages (issue 16): checked from the bytes (type, pixel count, nothing
 * hidden inside) before anything is written, then stored under the SHA-256 of the content.
 */
@Injectable()
export class MediaService {
  constructor(
    private readonly media: MediaRepository,
    @Inject(MEDIA_STORE) private readonly store: MediaStore,
    @Inject(mediaConfig.KEY) private readonly config: MediaConfig,
    private readonly clock: Clock,
  ) {}

  async upload(uploaderId: string, upload: Upload): Promise<MediaView> {
    const bytes = await readWithin(upload, this.config.maxBytes);
    const image = await inspectImage(bytes, upload, this.config.maxPixels);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await this.store.put(sha256, bytes, image.contentType);
    await this.media.insertIfNew({
      sha256,
      contentType: image.contentType,
      byteSize: bytes.length,
      width: image.width,
      height: image.height,
      uploadedBy: uploaderId,
      createdAt: this.clock.now(),
    });
    const stored = await this.media.find(sha256);
    if (!stored) throw new NotFoundError('Media');
    return toMediaView(stored);
  }

  /** The bytes and their type, for GET /media/:sha256. */
  async read(sha256: string): Promise<{ bytes: Buffer; contentType: string }> {
    const media = await this.media.find(sha256);
    const bytes = media ? await this.store.get(sha256) : null;
    if (!media || !bytes) throw new NotFoundError('Media');
    return { bytes, contentType: media.contentType };
  }

  /** The named media that exist, as views, in the order asked. */
  async views(sha256s: readonly string[]): Promise<Map<string, MediaView>> {
    const rows = await this.media.findMany(sha256s);
    return new Map(rows.map((m) => [m.sha256, toMediaView(m)]));
  }
}

async function readWithin(upload: Upload, maxBytes: number): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await upload.read();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new MediaTooLargeError(maxBytes);
    if (typeof code === 'string' && code.startsWith('FST_'))
      throw new ValidationFailedError([
        { field: 'file', problems: ['the upload is not readable'] },
      ]);
    throw error;
  }
  if (bytes.length === 0)
    throw new ValidationFailedError([{ field: 'file', problems: ['the file is empty'] }]);
  return bytes;
}
