import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Longest file name kept (in characters, before the extension). */
const MAX_NAME_CHARS = 120;
/** Characters no file system or `Content-Disposition` parser takes kindly: controls, quotes, separators. */
const UNSAFE = /[\p{Cc}"\\/:*?<>|;]+/gu;

/**
 * A file name safe on every file system and in a header: control characters, quotes, path separators
 * and the characters Windows forbids become `_`; leading dots and spaces go (no hidden file, no `..`);
 * an empty name becomes `download`. The extension (after the last dot) is kept as is.
 */
export function safeFileName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const [name, ext] = dot >= 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
  const cleaned = [
    ...name
      .normalize('NFC')
      .replace(UNSAFE, '_')
      .replace(/^[.\s]+/, '')
      .trim(),
  ]
    .slice(0, MAX_NAME_CHARS)
    .join('');
  return `${cleaned || 'download'}${ext.replace(UNSAFE, '_')}`;
}

/**
 * `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266): the plain `filename` for old clients
 * (diacritics dropped, other non-ASCII as `_`), `filename*` with the exact UTF-8 name for the rest.
 */
export function contentDisposition(fileName: string): string {
  const safe = safeFileName(fileName);
  const ascii = safe
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_');
  const encoded = encodeURIComponent(safe).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A file answered inline: base64 (binary-safe through API Gateway), to be saved under `fileName`. */
export function fileDownload(file: {
  fileName: string;
  contentType: string;
  body: Uint8Array;
}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: {
      'content-type': file.contentType,
      'content-disposition': contentDisposition(file.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength).toString('base64'),
    isBase64Encoded: true,
  };
}
