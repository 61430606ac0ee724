import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { multipart, png } from './support/media.js';
import { rewardTerms } from './support/pledging.js';
import { startTestS3, type TestS3 } from './support/s3-server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { registerAndLogin, type TestUser } from './support/users.js';

/**
 * Issue 16 (an S3-compatible media store through configuration): the service's own SigV4 client
 * (src/modules/campaign/media/media-store.ts) against a real S3 API server (s3rver), whose front
 * door checks each signature with an independent signer (aws4) as S3 does. A campaign cover
 * uploaded through the HTTP API lands in the bucket under its SHA-256 with its content type and
 * is served back through GET /media/:sha256 (the store's read path is a proxy: the service GETs
 * the object and answers it with its own cache headers); a key the server no longer accepts is a
 * 503 with nothing written.
 */
describe('media in an S3-compatible bucket (MEDIA_STORE=s3), against a real S3 server', () => {
  let s3: TestS3;
  let t: TestApp;
  let founder: TestUser;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    s3 = await startTestS3();
    t = await startTestApp({
      MEDIA_STORE: 's3',
      MEDIA_S3_ENDPOINT: s3.endpoint,
      MEDIA_S3_REGION: s3.region,
      MEDIA_S3_BUCKET: s3.bucket,
      MEDIA_S3_ACCESS_KEY_ID: s3.accessKeyId,
      MEDIA_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
    founder = await registerAndLogin(t, 'FOUNDER');
  });
  afterAll(async () => {
    await t.close();
    await s3.close();
  });

  const upload = (image: Buffer, name: string, type: string) => {
    const form = multipart(image, name, type);
    return t.http
      .post('/api/v1/media')
      .set(auth(founder.token))
      .set('content-type', form.contentType)
      .send(form.body);
  };
  const mediaRows = async (): Promise<number> => {
    const sql = await t.db.client();
    return Number((await sql.query(`SELECT count(*) AS n FROM media`)).rows[0].n);
  };

  it('a cover uploaded through the API is in the bucket under its SHA-256, with its type, and is served back', async () => {
    const image = png(5, 4, { seed: 1616 });
    const sha256 = createHash('sha256').update(image).digest('hex');
    const uploaded = await upload(image, 'cover.png', 'image/png');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ sha256, contentType: 'image/png' });
    expect(s3.refused).toEqual([]); // every request the service signed was accepted

    // In the bucket, straight from the S3 server: content-addressed key, bytes and content type.
    const object = await s3.getObject(`media/${sha256}`);
    expect(object.status).toBe(200);
    expect(object.contentType).toBe('image/png');
    expect(object.body.equals(image)).toBe(true);

    // The campaign's cover, and the bytes served back through the service (it reads the bucket).
    const created = await t.http
      .post('/api/v1/campaigns')
      .set(auth(founder.token))
      .send(rewardTerms());
    const id = created.body.id as string;
    const page = await t.http
      .patch(`/api/v1/campaigns/${id}/page`)
      .set(auth(founder.token))
      .send({ coverMediaId: sha256 });
    expect(page.status).toBe(200);
    expect(page.body.cover).toMatchObject({ sha256, url: `/api/v1/media/${sha256}` });
    const served = await t.http.get(`/api/v1/media/${sha256}`).buffer(true);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Buffer.compare(served.body as Buffer, image)).toBe(0);

    // The same bytes again are the same object (one row, one key).
    const again = await upload(image, 'again.png', 'image/png');
    expect(again.status).toBe(201);
    expect(await mediaRows()).toBe(1);
  });

  it('the server refuses a wrong secret key: the upload is a clear 503 and nothing is written', async () => {
    const accepted = s3.secretAccessKey;
    s3.secretAccessKey = 'rotated-on-the-server'; // the service still signs with the old key
    try {
      const image = png(6, 6, { seed: 99 });
      const sha256 = createHash('sha256').update(image).digest('hex');
      const rowsBefore = await mediaRows();
      const res = await upload(image, 'cover.png', 'image/png');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(res.body)).not.toMatch(/S3RVER|SignatureDoesNotMatch|secret/i);
      expect(s3.refused).toEqual([
        { method: 'PUT', path: `/${s3.bucket}/media/${sha256}`, code: 'SignatureDoesNotMatch' },
      ]);
      expect(await mediaRows()).toBe(rowsBefore);
      s3.secretAccessKey = accepted;
      expect((await s3.getObject(`media/${sha256}`)).status).toBe(404);
      expect((await t.http.get(`/api/v1/media/${sha256}`)).status).toBe(404);
      // The reason is in the log for the operator, without the key.
      const log = t.logs.join('');
      expect(log).toContain(`S3 PUT media/${sha256}: HTTP 403 SignatureDoesNotMatch`);
      expect(log).not.toContain(accepted);
    } finally {
      s3.secretAccessKey = accepted;
    }
  });
});
