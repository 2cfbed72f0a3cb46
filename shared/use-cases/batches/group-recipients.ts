import type { Batch, BatchRow } from '#domain/batch/batch';
import { contactHeaders, contactTemplateRow } from '#domain/contacts/contact';
import { compileTemplate } from '#domain/message/template';
import type { ContactGroupRepository } from '#ports/contact-groups';
import type { ChunkWriter } from '../files/sheet-chunks';
import { BatchFileRejected } from './row-processor';

/**
 * The parse step of a list campaign: the groups' contacts become the same parsed chunks a file makes, so
 * the rest of the analysis and the whole send path are the batch's, unchanged.
 * 1. Every group must be the account's and `ready`; the text's `#placeholders` must name a contact field
 *    (first/last name, phone, or a custom field of one of the groups).
 * 2. Read each group's contacts (one partition each, in number order); a number already read from an
 *    earlier group is a duplicate (counted, not sent); rows are numbered 1, 2, … in reading order.
 */
export async function readGroupRecipients(
  deps: { readonly contactGroups: ContactGroupRepository },
  batch: Batch,
  writer: ChunkWriter<BatchRow>,
): Promise<void> {
  const source = batch.groups;
  if (!source) return;
  const groups = await Promise.all(source.ids.map((id) => deps.contactGroups.getGroup(batch.accountId, id)));
  const fieldNames: string[] = [];
  for (const group of groups) {
    if (group?.status !== 'ready')
      throw new BatchFileRejected('GROUP_NOT_READY', 'A contact group is missing or not ready');
    fieldNames.push(...group.fieldNames);
  }
  const template = compileTemplate(source.text, contactHeaders(fieldNames));
  if (!template.ok) {
    throw new BatchFileRejected(
      template.code,
      `Placeholders not among the contact fields: ${template.names.join(', ')}`,
    );
  }
  const seen = new Set<string>();
  let row = 0;
  for (const id of source.ids) {
    for await (const page of deps.contactGroups.streamContacts(batch.accountId, id)) {
      for (const contact of page) {
        row++;
        if (seen.has(contact.phone)) {
          await writer.add({ row, to: contact.phone, status: 'duplicate' });
          continue;
        }
        seen.add(contact.phone);
        const text = template.render(contactTemplateRow(contact), { missing: batch.options.missingValues });
        await writer.add(
          text.ok
            ? { row, to: contact.phone, text: text.text, status: 'ok' }
            : { row, to: contact.phone, status: 'invalid', reason: 'MISSING_VALUES' },
        );
      }
    }
  }
}
