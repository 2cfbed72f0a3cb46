import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { startMultipartUpload } from '#adapters/s3/multipart-upload';
import { csvWriter } from '#adapters/spreadsheet-writer/csv-writer';
import { makeXlsxWriter } from '#adapters/spreadsheet-writer/xlsx-writer';
import type { SpreadsheetCell } from '#ports/spreadsheet-writer';
import { RESULT_COLUMNS } from '#use-cases/batches/export-results';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

function upload(partBytes: number) {
  s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
  s3.on(UploadPartCommand).callsFake(async (input: { PartNumber: number }) => ({
    ETag: `e${input.PartNumber}`,
  }));
  s3.on(CompleteMultipartUploadCommand).resolves({});
  s3.on(AbortMultipartUploadCommand).resolves({});
  return startMultipartUpload({
    client: new S3Client({ region: 'us-east-1' }),
    bucket: 'b',
    key: 'batches/a/b/exports/e.csv',
    contentType: 'text/csv',
    partBytes,
  });
}

const partSizes = () =>
  s3.commandCalls(UploadPartCommand).map((c) => (c.args[0].input.Body as Buffer).byteLength);

describe('startMultipartUpload', () => {
  it('sends parts of at least partBytes in order, the rest as the last part, then completes', async () => {
    // Arrange
    const sink = await upload(10);

    // Act
    for (const size of [4, 4, 4, 25, 3]) await sink.write(new Uint8Array(size).fill(size));
    const bytes = await sink.complete();

    // Assert
    expect(bytes).toBe(40);
    expect(partSizes()).toEqual([12, 25, 3]);
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'b',
      ContentType: 'text/csv',
    });
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input).toMatchObject({
      UploadId: 'up-1',
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: 'e1' },
          { PartNumber: 2, ETag: 'e2' },
          { PartNumber: 3, ETag: 'e3' },
        ],
      },
    });
  });

  it('aborts on request and completes an empty file with one empty part', async () => {
    // Arrange
    const broken = await upload(10);
    await broken.write(new Uint8Array(3));

    // Act
    await broken.abort();
    const empty = await upload(10);
    const bytes = await empty.complete();

    // Assert
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    expect(bytes).toBe(0);
    expect(partSizes()).toEqual([0]);
  });
});

describe('streaming writers into a slow sink', () => {
  async function* rows(n: number): AsyncGenerator<SpreadsheetCell[]> {
    for (let i = 0; i < n; i++) yield [i, '+40722000011', `=text ${i} ${'x'.repeat(200)}`];
  }

  it.each([
    ['csv', csvWriter],
    ['xlsx', makeXlsxWriter()],
  ] as const)('%s: waits for the sink and gives it the same bytes as a whole write', async (_, writer) => {
    // Arrange: a sink slower than the writer, that counts how much it was handed but not yet taken.
    const chunks: Uint8Array[] = [];
    let waiting = 0;
    let maxWaiting = 0;
    const sink = {
      write: async (chunk: Uint8Array) => {
        waiting++;
        maxWaiting = Math.max(maxWaiting, waiting);
        await new Promise((r) => setTimeout(r, 1));
        chunks.push(chunk);
        waiting--;
      },
    };
    const columns = RESULT_COLUMNS.slice(0, 3);

    // Act
    await writer.writeTo(columns, rows(5_000), sink);

    // Assert: one write at a time (backpressure), and a whole, valid file.
    expect(maxWaiting).toBe(1);
    const streamed = Buffer.concat(chunks);
    if (writer.format === 'csv') {
      expect(streamed.equals(Buffer.from(await csvWriter.write(columns, rows(5_000))))).toBe(true);
    } else {
      expect(streamed.subarray(0, 2).toString()).toBe('PK');
      expect(streamed.byteLength).toBeGreaterThan(10_000);
    }
  });
});
