import { fileTypeFromBuffer } from 'file-type';
import {
  corruptImage,
  DisguisedFileError,
  polyglotFile,
  tooManyPixels,
  UnsupportedImageError,
} from './media.errors.js';

export const IMAGE_TYPES = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
} as const;
export type ImageType = keyof typeof IMAGE_TYPES;

export interface InspectedImage {
  contentType: ImageType;
  width: number;
  height: number;
}

const isImageType = (mime: string): mime is ImageType => Object.hasOwn(IMAGE_TYPES, mime);

/**
 * What an upload really is, from its bytes alone (issue 16, hostile input of issue 19):
 * - the type comes from the content (`file-type`), never from the name or the declared type, and
 *   a name or declared type that disagrees is refused (a disguised file);
 * - the pixel count is read from the header and checked before anything is decoded, so a
 *   decompression bomb (a tiny file that declares a huge image) is refused unread;
 * - the container must end where the format says it ends, and no other format's signature
 *   (a zip directory, HTML, script, PHP) may ride inside: a polyglot is refused.
 * Nothing here writes anything; the caller stores the bytes only after this returns.
 */
export async function inspectImage(
  bytes: Buffer,
  declared: { contentType: string | null; fileName: string | null },
  maxPixels: number,
): Promise<InspectedImage> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected || !isImageType(detected.mime))
    throw new UnsupportedImageError(detected?.mime ?? null);
  const contentType = detected.mime;
  const declaredType = declared.contentType?.split(';')[0]?.trim().toLowerCase() ?? null;
  const extension = declared.fileName?.match(/\.([A-Za-z0-9]{1,10})$/)?.[1]?.toLowerCase() ?? null;
  const extensions: readonly string[] = IMAGE_TYPES[contentType];
  if (
    (declaredType !== null &&
      declaredType !== 'application/octet-stream' &&
      declaredType !== contentType) ||
    (extension !== null && !extensions.includes(extension))
  )
    throw new DisguisedFileError(contentType, declaredType, declared.fileName);

  const { width, height } = dimensions(contentType, bytes);
  if (width <= 0 || height <= 0) throw corruptImage('zero width or height');
  if (width * height > maxPixels) throw tooManyPixels(width, height, maxPixels);
  checkEnds(contentType, bytes);
  const foreign = foreignSignature(bytes);
  if (foreign) throw polyglotFile(foreign);
  return { contentType, width, height };
}

function dimensions(type: ImageType, b: Buffer): { width: number; height: number } {
  switch (type) {
    case 'image/png':
      if (b.length < 33 || b.toString('latin1', 12, 16) !== 'IHDR') throw corruptImage('no IHDR');
      return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
    case 'image/gif':
      if (b.length < 10) throw corruptImage('short header');
      return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
    case 'image/webp':
      return webpDimensions(b);
    case 'image/jpeg':
      return jpegDimensions(b);
  }
}

function webpDimensions(b: Buffer): { width: number; height: number } {
  if (b.length < 30) throw corruptImage('short header');
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  if (chunk === 'VP8L') {
    const bits = b.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ')
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  throw corruptImage(`unknown WebP chunk ${JSON.stringify(chunk)}`);
}

/** The first start-of-frame segment's size (SOF0..SOF15 but DHT, JPG and DAC). */
function jpegDimensions(b: Buffer): { width: number; height: number } {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) throw corruptImage('bad segment marker');
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = b.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    if (marker === 0xda || length < 2) break;
    at += 2 + length;
  }
  throw corruptImage('no frame header');
}

/** The container ends where its format says: nothing hides after the image. */
function checkEnds(type: ImageType, b: Buffer): void {
  switch (type) {
    case 'image/png': {
      let at = 8;
      for (;;) {
        if (at + 12 > b.length) throw corruptImage('PNG chunks run past the end');
        const length = b.readUInt32BE(at);
        const name = b.toString('latin1', at + 4, at + 8);
        if (!/^[A-Za-z]{4}$/.test(name)) throw corruptImage('bad PNG chunk');
        at += 12 + length;
        if (name === 'IEND') break;
      }
      if (at !== b.length) throw polyglotFile(`${b.length - at} bytes after the PNG's end`);
      return;
    }
    case 'image/jpeg':
      if (b[b.length - 2] !== 0xff || b[b.length - 1] !== 0xd9)
        throw polyglotFile('data after the JPEG end marker');
      return;
    case 'image/gif':
      if (b[b.length - 1] !== 0x3b) throw polyglotFile('data after the GIF trailer');
      return;
    case 'image/webp':
      if (b.readUInt32LE(4) + 8 !== b.length) throw polyglotFile('data outside the WebP container');
      return;
  }
}

const FOREIGN: readonly [string, Buffer][] = [
  ['a zip archive', Buffer.from('504b0304', 'hex')],
  ['a zip directory', Buffer.from('504b0102', 'hex')],
  ['a zip end record', Buffer.from('504b0506', 'hex')],
  ['a PDF', Buffer.from('%PDF-', 'latin1')],
];
const MARKUP = /<(?:script|html|svg|iframe|body|\?php)\b|javascript:/i;

/** Another format's signature inside the image (a polyglot a browser or unzip would open). */
function foreignSignature(b: Buffer): string | null {
  for (const [what, signature] of FOREIGN) if (b.includes(signature)) return `contains ${what}`;
  if (MARKUP.test(b.toString('latin1'))) return 'contains markup or script';
  return null;
}
