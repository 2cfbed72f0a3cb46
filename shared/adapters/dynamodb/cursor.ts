import { ValidationFailed } from '#domain/errors';

/** Paging cursors: the last evaluated key, base64url JSON. Opaque to clients. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Decodes a cursor and checks it belongs to the caller's partition, so a crafted cursor can never
 * start a query inside another account's items.
 */
export function decodeCursor(cursor: string, expectedPk: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (key.pk !== expectedPk && key.gsi1pk !== expectedPk) throw new Error('foreign cursor');
    return key;
  } catch (cause) {
    throw new ValidationFailed('Invalid cursor', { cause });
  }
}
