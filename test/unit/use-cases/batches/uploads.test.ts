import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '#domain/errors';
import type { BatchRepository, Upload } from '#ports/batch-repository';
import type { ObjectStore } from '#ports/object-store';
import type { Caller } from '#use-cases/accounts';
import { createUpload, type UploadDeps } from '#use-cases/batches/uploads';
import { fixedClock, sequentialIds, testAccount } from '../../../support/in-memory';

function arrange() {
  const uploads: Upload[] = [];
  const presigned: { key: string; contentType: string }[] = [];
  const deps: UploadDeps = {
    batches: {
      createUpload: async (upload: Upload) => void uploads.push(upload),
    } as unknown as BatchRepository,
    files: {
      presignPut: async (key: string, contentType: string) => {
        presigned.push({ key, contentType });
        return { url: `https://bucket.example/${key}`, headers: { 'content-type': contentType } };
      },
    } as unknown as ObjectStore,
    ids: sequentialIds(),
    clock: fixedClock(),
  };
  const account = testAccount();
  const caller: Caller = { accountId: account.id, keyId: 'k1', account };
  return { deps, caller, uploads, presigned };
}

describe('createUpload: which files a batch can come from', () => {
  it.each([
    ['clienti.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['Clienți 2003.XLS', 'application/vnd.ms-excel'],
    ['clienti.csv', 'text/csv'],
    ['clienti.csv', 'application/csv'],
    // Windows with Excel installed reports .csv files as vnd.ms-excel, so browsers send that type.
    ['clienti.csv', 'application/vnd.ms-excel'],
  ])('accepts %s sent as %s, and presigns that content type', async (fileName, contentType) => {
    // Arrange
    const { deps, caller, uploads, presigned } = arrange();

    // Act
    const answer = await createUpload(deps, caller, { fileName, contentType });

    // Assert
    expect(uploads).toEqual([
      expect.objectContaining({ fileName, contentType, accountId: caller.accountId }),
    ]);
    expect(presigned).toEqual([{ key: uploads[0]?.key, contentType }]);
    expect(answer.method).toBe('PUT');
  });

  it.each([
    ['clienti.xls', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['clienti.xlsx', 'application/vnd.ms-excel'],
    ['clienti.xls', 'text/csv'],
    ['clienti.ods', 'application/vnd.oasis.opendocument.spreadsheet'],
    ['clienti.pdf', 'application/pdf'],
  ])('refuses %s sent as %s', async (fileName, contentType) => {
    // Arrange
    const { deps, caller, uploads } = arrange();

    // Act
    const refused = createUpload(deps, caller, { fileName, contentType });

    // Assert
    await expect(refused).rejects.toBeInstanceOf(ValidationFailed);
    await expect(refused).rejects.toMatchObject({
      details: { accepted: expect.arrayContaining(['application/vnd.ms-excel']) },
    });
    expect(uploads).toEqual([]);
  });
});
