import { describe, expect, it } from 'vitest';
import { contentDisposition, fileDownload, safeFileName } from '#http/download';

describe('safeFileName', () => {
  it.each([
    ['Toamnă-results.csv', 'Toamnă-results.csv'],
    ['a/b\\c:d*e?f"g<h>i|j;k-results.csv', 'a_b_c_d_e_f_g_h_i_j_k-results.csv'],
    ['../../etc/passwd-results.csv', '_.._etc_passwd-results.csv'],
    ['...hidden-results.xlsx', 'hidden-results.xlsx'],
    ['line\r\nbreak\u0000-results.csv', 'line_break_-results.csv'],
    ['-results.csv', '-results.csv'],
    ['.csv', 'download.csv'],
    ['   .csv', 'download.csv'],
    ['Promo v1.2-results.csv', 'Promo v1.2-results.csv'],
    [`${'x'.repeat(300)}.csv`, `${'x'.repeat(120)}.csv`],
    [`${'😀'.repeat(200)}.csv`, `${'😀'.repeat(120)}.csv`],
  ])('%j → %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII filename and the exact UTF-8 name (RFC 6266)', () => {
    expect(contentDisposition('Toamnă „2026” ȘȚ-results.csv')).toBe(
      `attachment; filename="Toamna _2026_ ST-results.csv"; filename*=UTF-8''Toamn%C4%83%20%E2%80%9E2026%E2%80%9D%20%C8%98%C8%9A-results.csv`,
    );
  });

  it('cannot be broken out of by quotes or header injection', () => {
    const header = contentDisposition('a"; filename="evil.exe\r\nX-Evil: 1-results.csv');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.match(/"/g)).toHaveLength(2);
    expect(header).toContain(`filename*=UTF-8''a_%20filename%3D_evil.exe_X-Evil_%201-results.csv`);
  });
});

describe('fileDownload', () => {
  it('answers the bytes base64-encoded as an attachment', () => {
    const body = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a]);
    const result = fileDownload({ fileName: 'x-results.csv', contentType: 'text/csv; charset=utf-8', body });
    expect(result).toMatchObject({
      statusCode: 200,
      isBase64Encoded: true,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="x-results.csv"; filename*=UTF-8''x-results.csv`,
      },
    });
    expect(Buffer.from(String(result.body), 'base64')).toEqual(Buffer.from(body));
  });
});
