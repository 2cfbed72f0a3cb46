import { describe, expect, it } from 'vitest';
import { cachedPasswords } from '#adapters/crypto/cached-passwords';
import { InsufficientCredit, Unauthorized } from '#domain/errors';
import { RateLimited } from '#domain/rate-limit';
import { readSendsmsRequest } from '#http/sendsms/request';
import { errorAnswer } from '#http/sendsms/response';

const event = (rawQueryString: string, body?: string | Buffer, contentType?: string) => ({
  rawQueryString,
  headers: contentType ? { 'content-type': contentType } : {},
  isBase64Encoded: Buffer.isBuffer(body),
  ...(body === undefined ? {} : { body: typeof body === 'string' ? body : body.toString('base64') }),
});

describe('readSendsmsRequest', () => {
  it('reads PHP http_build_query strings: + as space, UTF-8 escapes', async () => {
    const { params } = await readSendsmsRequest(
      event('action=message_send&text=Comanda+%231+a+fost+expediat%C4%83&to=40722123456'),
    );
    expect(params).toEqual({
      action: 'message_send',
      text: 'Comanda #1 a fost expediată',
      to: '40722123456',
    });
  });

  it('decodes with the given charset, and a form body wins over the query', async () => {
    const { params } = await readSendsmsRequest(
      event('charset=ISO-8859-2&text=query', 'text=%AA%E2', 'application/x-www-form-urlencoded'),
    );
    expect(params.text).toBe('Şâ');
  });

  it('reads multipart fields and files', async () => {
    const form = new FormData();
    form.set('name', 'Toamna');
    form.set('data', new Blob(['message,to,from\nSalut,40722123456,Shop\n']), 'batch.csv');
    const request = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    const parsed = await readSendsmsRequest(
      event('action=batch_create', body, request.headers.get('content-type') ?? ''),
    );
    expect(parsed.params).toMatchObject({ action: 'batch_create', name: 'Toamna' });
    expect(Buffer.from(parsed.files.data ?? []).toString()).toContain('message,to,from');
  });

  it('refuses an unknown charset', async () => {
    await expect(readSendsmsRequest(event('charset=klingon&a=1'))).rejects.toThrow(/charset/);
  });
});

describe('errorAnswer', () => {
  it('maps platform errors to upstream codes', () => {
    expect(errorAnswer(new Unauthorized('x'))?.status).toBe(-8);
    expect(errorAnswer(new InsufficientCredit('x'))?.status).toBe(-64);
    expect(errorAnswer(new RateLimited(1))?.status).toBe(-4096);
    expect(errorAnswer(Object.assign(new Error('slow'), { name: 'ThrottlingException' }))?.status).toBe(
      -8192,
    );
    expect(errorAnswer(new Error('boom'))).toBeUndefined();
  });
});

describe('cachedPasswords', () => {
  it('remembers successes for the TTL only, and never failures', async () => {
    let checks = 0;
    let clock = 0;
    const inner = {
      hash: async (p: string) => p,
      verify: async (p: string, s: string) => {
        checks++;
        return p === s;
      },
    };
    const cached = cachedPasswords(inner, { ttlMs: 1000, now: () => clock });
    expect(await cached.verify('secret', 'secret')).toBe(true);
    expect(await cached.verify('secret', 'secret')).toBe(true);
    expect(checks).toBe(1);
    expect(await cached.verify('wrong', 'secret')).toBe(false);
    expect(await cached.verify('wrong', 'secret')).toBe(false);
    expect(checks).toBe(3);
    clock = 2000;
    expect(await cached.verify('secret', 'secret')).toBe(true);
    expect(checks).toBe(4);
  });
});
