import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import aws4 from 'aws4';
import S3rver from 's3rver';

/**
 * A real S3-compatible server for tests: s3rver (an in-process S3 API: buckets, PUT/GET object,
 * content types, S3's XML errors) behind a front door that checks every request's AWS Signature
 * V4 the way S3 does, because s3rver itself only checks that the access key exists ("Signature
 * version 4 calculation is unimplemented"). The front door recomputes the signature with `aws4`
 * (a signing library independent of the service's own signer) from the server's copy of the
 * secret, and refuses like S3: 403 SignatureDoesNotMatch, 400 XAmzContentSHA256Mismatch when the
 * body is not what was signed, 403 RequestTimeTooSkewed beyond 15 minutes.
 */
export interface TestS3 {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  /** The secret the server checks signatures with; a test may change it (a rotated key). */
  secretAccessKey: string;
  /** Requests the front door refused, with S3's error code. */
  refused: { method: string; path: string; code: string }[];
  /** A GET of an object straight from the bucket (signed with aws4), as S3 answers it. */
  getObject(key: string): Promise<{ status: number; contentType: string | null; body: Buffer }>;
  close(): Promise<void>;
}

/** s3rver's built-in account: its access key exists; the front door checks the secret. */
const ACCESS_KEY_ID = 'S3RVER';
const SECRET = 'S3RVER';

export async function startTestS3(bucket = 'zhongchou-media'): Promise<TestS3> {
  const directory = mkdtempSync(path.join(tmpdir(), 'zc-test-s3-'));
  const backend = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const backendAddress = await backend.run();
  const region = 'us-east-1';
  const s3: TestS3 = {
    endpoint: '',
    region,
    bucket,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET,
    refused: [],
    getObject: async (key) => {
      const signed = aws4.sign(
        { host: new URL(s3.endpoint).host, path: `/${bucket}/${key}`, service: 's3', region },
        { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      );
      const res = await fetch(`${s3.endpoint}${signed.path}`, {
        headers: signed.headers as Record<string, string>,
      });
      return {
        status: res.status,
        contentType: res.headers.get('content-type'),
        body: Buffer.from(await res.arrayBuffer()),
      };
    },
    close: async () => {
      await new Promise<void>((resolve) => frontDoor.close(() => resolve()));
      await backend.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };

  const frontDoor: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const refusal = checkSignature(req, body, s3);
      if (refusal) {
        s3.refused.push({ method: req.method ?? '', path: req.url ?? '', code: refusal.code });
        res.writeHead(refusal.status, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error>`,
        );
        return;
      }
      const forward = httpRequest(
        {
          host: '127.0.0.1',
          port: backendAddress.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => frontDoor.listen(0, '127.0.0.1', resolve));
  s3.endpoint = `http://127.0.0.1:${(frontDoor.address() as AddressInfo).port}`;
  return s3;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Refusal {
  status: number;
  code: string;
  message: string;
}

/** S3's checks of a header-signed request (AWS SigV4, service s3), by an independent signer. */
function checkSignature(req: IncomingMessage, body: Buffer, s3: TestS3): Refusal | null {
  const authorization = req.headers.authorization ?? '';
  const parsed =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!parsed)
    return { status: 403, code: 'AccessDenied', message: 'A SigV4 Authorization header.' };
  const [, accessKeyId, day, region, signedHeaders, signature] = parsed;
  if (accessKeyId !== s3.accessKeyId)
    return { status: 403, code: 'InvalidAccessKeyId', message: 'Unknown access key.' };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const at = Date.parse(
    amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  if (!Number.isFinite(at) || Math.abs(Date.now() - at) > 15 * 60_000 || !amzDate.startsWith(day))
    return { status: 403, code: 'RequestTimeTooSkewed', message: 'x-amz-date is off.' };
  const claimed = String(req.headers['x-amz-content-sha256'] ?? '');
  if (claimed !== createHash('sha256').update(body).digest('hex'))
    return { status: 400, code: 'XAmzContentSHA256Mismatch', message: 'Body hash differs.' };
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    const value = req.headers[name];
    if (value === undefined)
      return { status: 403, code: 'AccessDenied', message: `Signed header ${name} missing.` };
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  if (!('host' in headers) || !('x-amz-date' in headers))
    return { status: 403, code: 'AccessDenied', message: 'host and x-amz-date must be signed.' };
  const signer = new aws4.RequestSigner(
    {
      service: 's3',
      region: s3.region,
      method: req.method,
      path: req.url,
      headers,
      body,
      doNotModifyHeaders: true,
    },
    { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  );
  signer.datetime = amzDate; // the request's own time, as S3 takes it
  const expected = signer.signature();
  if (region !== s3.region || expected !== signature)
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  return null;
}
