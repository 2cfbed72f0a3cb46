import { randomBytes } from 'node:crypto';
import type { CarrierDeliveryState } from '#ports/carrier-gateway';

/**
 * How the simulated network treats a destination (CONTRACT.md "Carrier simulator"), by its last two
 * digits: `99` is refused at submission, `00` ends UNDELIV, `98` ends EXPIRED, anything else DELIVRD.
 */
export function outcomeFor(to: string): 'REJECTD' | 'UNDELIV' | 'EXPIRED' | 'DELIVRD' {
  if (to.endsWith('99')) return 'REJECTD';
  if (to.endsWith('00')) return 'UNDELIV';
  if (to.endsWith('98')) return 'EXPIRED';
  return 'DELIVRD';
}

/** The `err:` a carrier puts in a receipt when none is given: 000 for good states, 001 otherwise. */
export function defaultErr(stat: CarrierDeliveryState): string {
  return stat === 'DELIVRD' || stat === 'ENROUTE' || stat === 'ACCEPTD' ? '000' : '001';
}

/** Opaque mixed-case hex (both cases always present) so code that re-cases ids loses DLRs in tests. */
export function newCarrierId(): string {
  for (;;) {
    const bytes = randomBytes(30);
    const hex = bytes.subarray(0, 10).toString('hex');
    const id = Array.from(hex, (c, i) => ((bytes[10 + i] ?? 0) & 1 ? c.toUpperCase() : c)).join('');
    if (/[a-f]/.test(id) && /[A-F]/.test(id)) return id;
  }
}

/** The SMPP 3.4 receipt text (`id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…`). */
export function smppReceipt(fields: {
  carrierId: string;
  stat: CarrierDeliveryState;
  err: string;
  submitDate: string;
  doneDate: string;
  text: string;
}): string {
  const dlvrd = fields.stat === 'DELIVRD' ? '001' : '000';
  const text = Array.from(fields.text).slice(0, 20).join('');
  return (
    `id:${fields.carrierId} sub:001 dlvrd:${dlvrd} submit date:${smppDate(fields.submitDate)} ` +
    `done date:${smppDate(fields.doneDate)} stat:${fields.stat} err:${fields.err} text:${text}`
  );
}

/** ISO 8601 UTC → SMPP receipt date YYMMDDhhmm. */
function smppDate(iso: string): string {
  return iso.slice(2, 16).replace(/[-T:]/g, '');
}
