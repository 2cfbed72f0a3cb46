import type { ExportView } from '#use-cases/batches/results-exports';

/** An export as the API shows it: its state, and when ready its file and a download link. */
export function exportView(view: ExportView) {
  const e = view.export;
  return {
    id: e.id,
    batchId: e.batchId,
    format: e.format,
    status: e.status,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    expiresAt: e.expiresAt,
    ...(e.rows === undefined ? {} : { rows: e.rows }),
    ...(e.bytes === undefined ? {} : { bytes: e.bytes }),
    ...(e.reason === undefined ? {} : { reason: e.reason }),
    ...(view.download ? { url: view.download.url, urlExpiresAt: view.download.expiresAt } : {}),
  };
}

/** Where the client polls an export. */
export const exportLocation = (batchId: string, exportId: string) =>
  `/v1/batches/${encodeURIComponent(batchId)}/exports/${encodeURIComponent(exportId)}`;
