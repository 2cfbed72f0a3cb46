import { z } from 'zod';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeTableAdapters } from '#adapters/table-adapters';
import { TEMPLATE_NAME_MAX, TEMPLATE_TEXT_MAX } from '#domain/template/saved-template';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { pageView, templateView } from '#http/list-presenters';
import { TemplatesQuery } from '#http/list-queries';
import { parseBody } from '#http/middleware';
import { parseQuery } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  updateTemplate,
} from '#use-cases/templates/templates';

const Name = z.string().trim().min(1).max(TEMPLATE_NAME_MAX);
const Text = z.string().min(1).max(TEMPLATE_TEXT_MAX);
const CreateTemplateRequest = z.object({ name: Name, text: Text });
const UpdateTemplateRequest = z
  .object({ name: Name.optional(), text: Text.optional() })
  .refine((b) => b.name !== undefined || b.text !== undefined, { message: 'Give name or text' });

const table = makeTableAdapters();
const deps = { templates: table.templates, clock: systemClock, ids: cryptoIds };
const id = (event: { pathParameters?: Record<string, string | undefined> }) => event.pathParameters?.id ?? '';

/** `/v1/templates`: the caller's saved message templates (a subuser also reads its parent's). */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'POST /v1/templates': async (event) =>
      json(
        201,
        templateView(await createTemplate(deps, event.caller, parseBody(event, CreateTemplateRequest))),
      ),
    'GET /v1/templates': async (event) => {
      const query = parseQuery(event, TemplatesQuery);
      const page = await listTemplates(deps, event.caller, {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        parent: query.owner === 'parent',
      });
      return json(200, pageView(page, templateView));
    },
    'GET /v1/templates/{id}': async (event) =>
      json(200, templateView(await getTemplate(deps, event.caller, id(event)))),
    'PUT /v1/templates/{id}': async (event) => {
      const changes = parseBody(event, UpdateTemplateRequest);
      return json(200, templateView(await updateTemplate(deps, event.caller, id(event), changes)));
    },
    'DELETE /v1/templates/{id}': async (event) => {
      await deleteTemplate(deps, event.caller, id(event));
      return { statusCode: 204 };
    },
  },
);
