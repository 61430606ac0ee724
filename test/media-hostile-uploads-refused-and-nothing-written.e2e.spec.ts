import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { multipart, png, pngBomb, textChunk, zip } from './support/media.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, type TestUser } from './support/users.js';

/**
 * Issue 16 (uploads checked by their bytes, size and pixel count) and issue 19 (hostile uploads:
 * zip bombs, polyglots, oversized images): every hostile file is refused with a clear 4xx and a
 * stable code, and nothing is written: no media row, no file in the store.
 */
describe('image uploads: hostile files are refused and write nothing', () => {
  let t: TestApp;
  let founder: TestUser;
  const MAX_BYTES = 64 * 1024;
  const MAX_PIXELS = 1_000_000;

  beforeAll(async () => {
    t = await startTestApp({
      MEDIA_MAX_BYTES: String(MAX_BYTES),
      MEDIA_MAX_PIXELS: String(MAX_PIXELS),
    });
    founder = await registerAndLogin(t, 'FOUNDER');
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (file: Buffer, fileName: string, contentType: string, token = founder.token) => {
    const form = multipart(file, fileName, contentType);
    return t.http
      .post('/api/v1/media')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', form.contentType)
      .send(form.body);
  };

  const filesInStore = (): string[] => {
    const walk = (dir: string): string[] =>
      existsSync(dir)
        ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
            e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`],
          )
        : [];
    return walk(t.config.media.dir);
  };
  const mediaRows = async (): Promise<number> => {
    const sql = await t.db.client();
    return Number((await sql.query(`SELECT count(*) AS n FROM media`)).rows[0].n);
  };

  /** Sends `file`, expects the refusal, and checks that nothing at all was written. */
  async function refused(
    file: Buffer,
    fileName: string,
    contentType: string,
    status: number,
    code: string,
  ) {
    const rowsBefore = await mediaRows();
    const filesBefore = filesInStore().length;
    const res = await upload(file, fileName, contentType);
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(typeof res.body.error.message).toBe('string');
    expect(await mediaRows()).toBe(rowsBefore);
    expect(filesInStore()).toHaveLength(filesBefore);
    return res;
  }

  it('a real PNG is stored under its SHA-256 and served with cache headers; the same bytes twice are one', async () => {
    const image = png(4, 3, { seed: 11 });
    const sha256 = createHash('sha256').update(image).digest('hex');
    const first = await upload(image, 'cover.png', 'image/png');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      sha256,
      url: `/api/v1/media/${sha256}`,
      contentType: 'image/png',
      byteSize: image.length,
      width: 4,
      height: 3,
    });
    expect(
      filesInStore().some((f) =>
        f.endsWith(`/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`),
      ),
    ).toBe(true);
    const again = await upload(image, 'same.png', 'image/png');
    expect(again.status).toBe(201);
    expect(await mediaRows()).toBe(1);

    const served = await t.http.get(`/api/v1/media/${sha256}`).buffer(true);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.headers.etag).toBe(`"${sha256}"`);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(served.body as Buffer, image)).toBe(0);
    const notModified = await t.http
      .get(`/api/v1/media/${sha256}`)
      .set('if-none-match', `"${sha256}"`);
    expect(notModified.status).toBe(304);
    expect((await t.http.get(`/api/v1/media/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await t.http.get(`/api/v1/media/not-a-hash`)).status).toBe(400);
  });

  it('a disguised file: HTML, an executable or a PDF named .png and sent as image/png is 415 MEDIA.UNSUPPORTED_TYPE', async () => {
    await refused(
      Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>'),
      'cover.png',
      'image/png',
      415,
      'MEDIA.UNSUPPORTED_TYPE',
    );
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    exe.write('PE\0\0', 128, 'latin1');
    exe.writeUInt32LE(128, 0x3c);
    await refused(exe, 'photo.png', 'image/png', 415, 'MEDIA.UNSUPPORTED_TYPE');
    await refused(
      Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
      'scan.jpg',
      'image/jpeg',
      415,
      'MEDIA.UNSUPPORTED_TYPE',
    );
  });

  it('a real image under another type or extension is 415 MEDIA.TYPE_MISMATCH', async () => {
    const image = png(2, 2, { seed: 3 });
    const res = await refused(image, 'photo.jpg', 'image/jpeg', 415, 'MEDIA.TYPE_MISMATCH');
    expect(res.body.error.details).toMatchObject({ detected: 'image/png', declared: 'image/jpeg' });
    await refused(image, 'photo.gif', 'image/png', 415, 'MEDIA.TYPE_MISMATCH');
    await refused(image, 'photo.svg', 'image/png', 415, 'MEDIA.TYPE_MISMATCH');
  });

  it('a zip bomb (16 MiB of zeros deflated to a few KB) sent as an image is 415 MEDIA.UNSUPPORTED_TYPE', async () => {
    const bomb = zip('payload.bin', Buffer.alloc(16 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    const res = await refused(bomb, 'cover.png', 'image/png', 415, 'MEDIA.UNSUPPORTED_TYPE');
    expect(res.body.error.details).toEqual({ detected: 'application/zip' });
  });

  it('a decompression-bomb PNG (60,000 x 60,000 declared, a few KB sent) is 422 MEDIA.TOO_MANY_PIXELS without being decoded', async () => {
    const bomb = pngBomb(60_000);
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    const res = await refused(bomb, 'cover.png', 'image/png', 422, 'MEDIA.TOO_MANY_PIXELS');
    expect(res.body.error.details).toEqual({
      width: 60_000,
      height: 60_000,
      maxPixels: MAX_PIXELS,
    });
    // Just over the limit by pixel count, tiny in bytes: still refused.
    await refused(
      png(1001, 1000, { idat: Buffer.alloc(10) }),
      'wide.png',
      'image/png',
      422,
      'MEDIA.TOO_MANY_PIXELS',
    );
  });

  it('polyglots are 422 MEDIA.POLYGLOT: a zip after IEND, a script or a zip inside a chunk', async () => {
    const image = png(2, 2, { seed: 5 });
    await refused(
      Buffer.concat([image, zip('evil.js', Buffer.from('alert(1)'))]),
      'cover.png',
      'image/png',
      422,
      'MEDIA.POLYGLOT',
    );
    await refused(
      png(2, 2, { extraChunks: [textChunk('Comment', '<script>alert(1)</script>')] }),
      'cover.png',
      'image/png',
      422,
      'MEDIA.POLYGLOT',
    );
    await refused(
      png(2, 2, { extraChunks: [textChunk('Comment', zip('a.txt', Buffer.from('hi')))] }),
      'cover.png',
      'image/png',
      422,
      'MEDIA.POLYGLOT',
    );
    await refused(
      Buffer.concat([image, Buffer.from('trailing')]),
      'c.png',
      'image/png',
      422,
      'MEDIA.POLYGLOT',
    );
  });

  it('an upload over MEDIA_MAX_BYTES is 413 MEDIA.TOO_LARGE', async () => {
    const big = png(2, 2, { extraChunks: [textChunk('Comment', 'x'.repeat(MAX_BYTES))] });
    await refused(big, 'big.png', 'image/png', 413, 'MEDIA.TOO_LARGE');
  });

  it('a body that is not multipart is 415; a part with another name is 400; only founders upload', async () => {
    const json = await t.http
      .post('/api/v1/media')
      .set('authorization', `Bearer ${founder.token}`)
      .send({ file: 'iVBORw0KGgo=' });
    expect(json.status).toBe(415);
    const form = multipart(png(2, 2, { seed: 9 }), 'a.png', 'image/png', 'picture');
    const misnamed = await t.http
      .post('/api/v1/media')
      .set('authorization', `Bearer ${founder.token}`)
      .set('content-type', form.contentType)
      .send(form.body);
    expect(misnamed.status).toBe(400);
    const investor = await registerAndLogin(t, 'INVESTOR');
    expect(
      (await upload(png(2, 2, { seed: 10 }), 'a.png', 'image/png', investor.token)).status,
    ).toBe(403);
    expect(await mediaRows()).toBe(1);
  });
});
