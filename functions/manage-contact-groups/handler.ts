import { makeFileStore } from '#adapters/batch-adapters';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeSfnWorkflowStarter } from '#adapters/sfn/workflow-starter';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, WorkflowEnv } from '#config/env';
import { customerRoutes } from '#http/api-handler';
import { contactView, groupView, importRowView, pageView } from '#http/contact-presenters';
import {
  ContactQuery,
  ContactRequest,
  CreateGroupRequest,
  createGroupCommand,
  GroupPageQuery,
  ImportRowsQuery,
  RenameGroupRequest,
  UpdateContactRequest,
} from '#http/contact-requests';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { parseQuery } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import {
  addContact,
  deleteContact,
  getContact,
  listContacts,
  updateContact,
} from '#use-cases/contacts/contacts';
import { createGroup, deleteGroup, getGroup, listGroups, renameGroup } from '#use-cases/contacts/groups';
import { listImportRows } from '#use-cases/contacts/import-group';

const env = loadEnv(WorkflowEnv);
const table = makeTableAdapters();
const files = makeFileStore();
const deps = {
  contactGroups: table.contactGroups,
  batches: table.batches,
  files,
  workflows: makeSfnWorkflowStarter({
    arns: {
      ...(env.IMPORT_CONTACTS_WORKFLOW_ARN ? { importContacts: env.IMPORT_CONTACTS_WORKFLOW_ARN } : {}),
      ...(env.PURGE_CONTACT_GROUP_WORKFLOW_ARN
        ? { purgeContactGroup: env.PURGE_CONTACT_GROUP_WORKFLOW_ARN }
        : {}),
    },
  }),
  ids: cryptoIds,
  clock: systemClock,
};

type Event = { pathParameters?: Record<string, string | undefined> };
const id = (event: Event) => event.pathParameters?.id ?? '';
/** The number in the path, as the caller wrote it (`+40722…` or `0722…`; normalised by the use case). */
const phone = (event: Event) => decodeURIComponent(event.pathParameters?.phone ?? '');

/** `/v1/contact-groups/*`: the address book (docs/contacts.md). */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'POST /v1/contact-groups': async (event) => {
      const request = parseBody(event, CreateGroupRequest);
      return json(201, groupView(await createGroup(deps, event.caller, createGroupCommand(request))));
    },
    'GET /v1/contact-groups': async (event) =>
      json(200, pageView(await listGroups(deps, event.caller, parseQuery(event, GroupPageQuery)), groupView)),
    'GET /v1/contact-groups/{id}': async (event) =>
      json(200, groupView(await getGroup(deps, event.caller, id(event)))),
    'PATCH /v1/contact-groups/{id}': async (event) => {
      const { name } = parseBody(event, RenameGroupRequest);
      return json(200, groupView(await renameGroup(deps, event.caller, id(event), name)));
    },
    'DELETE /v1/contact-groups/{id}': async (event) =>
      json(202, groupView(await deleteGroup(deps, event.caller, id(event)))),
    'GET /v1/contact-groups/{id}/import-rows': async (event) => {
      const query = parseQuery(event, ImportRowsQuery);
      const group = await getGroup(deps, event.caller, id(event));
      return json(200, pageView(await listImportRows(deps, group, query), importRowView));
    },
    'POST /v1/contact-groups/{id}/contacts': async (event) => {
      const request = parseBody(event, ContactRequest);
      return json(201, contactView(await addContact(deps, event.caller, id(event), request)));
    },
    'GET /v1/contact-groups/{id}/contacts': async (event) => {
      const query = parseQuery(event, ContactQuery);
      return json(200, pageView(await listContacts(deps, event.caller, id(event), query), contactView));
    },
    'GET /v1/contact-groups/{id}/contacts/{phone}': async (event) =>
      json(200, contactView(await getContact(deps, event.caller, id(event), phone(event)))),
    'PATCH /v1/contact-groups/{id}/contacts/{phone}': async (event) => {
      const changes = parseBody(event, UpdateContactRequest);
      return json(
        200,
        contactView(await updateContact(deps, event.caller, id(event), phone(event), changes)),
      );
    },
    'DELETE /v1/contact-groups/{id}/contacts/{phone}': async (event) => {
      await deleteContact(deps, event.caller, id(event), phone(event));
      return { statusCode: 204 };
    },
  },
);
