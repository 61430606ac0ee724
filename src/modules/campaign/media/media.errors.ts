import { DomainError, RuleViolationError } from '../../../common/errors/domain-error.js';

/** The bytes are not an image we accept (whatever the name or the declared type says). */
export class UnsupportedImageError extends DomainError {
  constructor(detected: string | null) {
    super(
      'MEDIA.UNSUPPORTED_TYPE',
      'UNSUPPORTED_MEDIA_TYPE',
      'Upload a PNG, JPEG, GIF or WebP image; the content of this file is not one.',
      { detected },
    );
  }
}

/** The declared type or the file name's extension says one thing, the bytes another. */
export class DisguisedFileError extends DomainError {
  constructor(detected: string, declared: string | null, fileName: string | null) {
    super(
      'MEDIA.TYPE_MISMATCH',
      'UNSUPPORTED_MEDIA_TYPE',
      `The file is ${detected} but was sent as ${declared ?? 'an unnamed type'}${fileName ? ` named ${JSON.stringify(fileName.slice(0, 100))}` : ''}.`,
      { detected, declared },
    );
  }
}

export class MediaTooLargeError extends DomainError {
  constructor(maxBytes: number) {
    super('MEDIA.TOO_LARGE', 'PAYLOAD_TOO_LARGE', `An upload may have at most ${maxBytes} bytes.`, {
      maxBytes,
    });
  }
}

export const tooManyPixels = (width: number, height: number, maxPixels: number) =>
  new RuleViolationError(
    'MEDIA.TOO_MANY_PIXELS',
    `The image declares ${width} x ${height} pixels; at most ${maxPixels} are accepted.`,
    { width, height, maxPixels },
  );

export const polyglotFile = (reason: string) =>
  new RuleViolationError(
    'MEDIA.POLYGLOT',
    `The file is an image with something else in it (${reason}); upload the image alone.`,
    { reason },
  );

export const corruptImage = (reason: string) =>
  new RuleViolationError('MEDIA.CORRUPT', `The image cannot be read (${reason}).`, { reason });
