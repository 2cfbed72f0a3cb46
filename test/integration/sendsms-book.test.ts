import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, shortCode, stack } from '../support/api';
import { httpBuildQuery, newSendsmsAccount, sendsms } from '../support/sendsms';

describe('address book actions', () => {
  it('groups and contacts: add, list, update, delete, with the upstream codes', async () => {
    const account = await newSendsmsAccount('1.0000');
    const auth = { username: account.username, password: account.password };
    const act = <D>(params: Record<string, string | number>) =>
      sendsms<D>(httpBuildQuery({ ...auth, ...params }));

    const group = await act<string>({ action: 'address_book_group_add', name: 'Clienti fideli' });
    expect(group.body.status).toBe(0);
    const groups = await act<{ id: string; name: string }[]>({ action: 'address_book_groups_get_list' });
    expect(groups.body.details).toEqual([
      expect.objectContaining({ id: group.body.details, name: 'Clienti fideli' }),
    ]);

    const phone = mobile('12').slice(1);
    const added = await act<string>({
      action: 'address_book_contact_add',
      group_id: group.body.details,
      phone_number: phone,
      first_name: 'Ana',
      last_name: 'Pop',
    });
    expect(added.body.status).toBe(0);
    const again = await act({
      action: 'address_book_contact_add',
      group_id: group.body.details,
      phone_number: phone,
    });
    expect(again.body.status).toBe(-512);
    const updated = await act<{ first_name: string }>({
      action: 'address_book_contact_update',
      contact_id: added.body.details,
      first_name: 'Ana-Maria',
    });
    expect(updated.body).toMatchObject({ status: 0, details: { first_name: 'Ana-Maria', last_name: 'Pop' } });
    const contacts = await act<{ id: string; phone_number: string; first_name: string }[]>({
      action: 'address_book_contacts_get_list',
      group_id: group.body.details,
    });
    expect(contacts.body.details).toEqual([
      {
        id: added.body.details,
        group_id: group.body.details,
        phone_number: phone,
        first_name: 'Ana-Maria',
        last_name: 'Pop',
      },
    ]);
    expect(
      (await act({ action: 'address_book_contact_delete', contact_id: added.body.details })).body.status,
    ).toBe(0);
    expect(
      (await act({ action: 'address_book_contact_delete', contact_id: added.body.details })).body.status,
    ).toBe(-128);
    expect(
      (await act({ action: 'address_book_group_delete', group_id: group.body.details })).body.status,
    ).toBe(0);
    const after = await act<unknown[]>({ action: 'address_book_groups_get_list' });
    expect(after.body.details).toEqual([]);
    // Another account's group is not found.
    const other = await newSendsmsAccount('0');
    const foreign = await sendsms(
      httpBuildQuery({
        action: 'address_book_contacts_get_list',
        username: other.username,
        password: other.password,
        group_id: group.body.details,
      }),
    );
    expect(foreign.body.status).toBe(-128);
  });
});

describe('messages_get', () => {
  it('returns the replies received after last_id, oldest first', async () => {
    const code = shortCode();
    const account = await newSendsmsAccount('1.0000', { senderIds: [code] });
    const auth = { username: account.username, password: account.password };
    const number = mobile('13');
    const sent = await sendsms<string>(
      httpBuildQuery({ action: 'message_send', ...auth, to: number, from: code, text: 'Confirmati?' }),
    );
    expect(sent.body.status).toBe(1);
    await eventually(
      () => call<{ status: string }>('GET', `/v1/messages/${sent.body.details}`, { key: account.apiKey }),
      (r) => r.body.status !== 'queued' && r.body.status !== 'accepted',
    );
    const mo = (text: string) =>
      fetch(`${stack().carrierUrl}/_sim/mo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: number, to: code, text }),
      });
    await mo('Da');
    const first = await eventually(
      () =>
        sendsms<{ id: string; text: string; from: string }[]>(
          httpBuildQuery({ action: 'messages_get', ...auth, last_id: 0 }),
        ),
      (r) => r.body.details?.length === 1,
    );
    expect(first.body.details[0]).toMatchObject({
      text: 'Da',
      from: number.slice(1),
      in_reply_to: sent.body.details,
    });
    await mo('Inca ceva');
    const next = await eventually(
      () =>
        sendsms<{ text: string }[]>(
          httpBuildQuery({ action: 'messages_get', ...auth, last_id: first.body.details[0]?.id ?? '' }),
        ),
      (r) => r.body.details?.length === 1,
    );
    expect(next.body.details.map((r) => r.text)).toEqual(['Inca ceva']);
  });
});
