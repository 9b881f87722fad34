import { z } from 'zod';

/**
 * Routes describe themselves with the same zod schemas that validate them; the OpenAPI document at
 * /api/openapi.json is generated from these descriptions, so it cannot drift from the code.
 */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tags?: string[];
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  auth?: 'apiKey' | 'none';
}

export class OpenApiRegistry {
  private readonly routes: RouteDoc[] = [];

  add(doc: RouteDoc): void {
    this.routes.push(doc);
  }

  document(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    const schema = (t: z.ZodType) => z.toJSONSchema(t, { unrepresentable: 'any', io: 'input' });
    for (const r of this.routes) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      if (r.query) {
        for (const [name, t] of Object.entries(r.query.shape)) {
          params.push({
            name,
            in: 'query',
            required: !(t as z.ZodType).safeParse(undefined).success,
            schema: schema(t as z.ZodType),
          } as never);
        }
      }
      const op: Record<string, unknown> = {
        summary: r.summary,
        tags: r.tags ?? [],
        parameters: params,
        responses: {
          '200': {
            description: 'OK',
            ...(r.response ? { content: { 'application/json': { schema: schema(r.response) } } } : {}),
          },
          default: {
            description: 'Error',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      };
      if (r.body)
        op.requestBody = { required: true, content: { 'application/json': { schema: schema(r.body) } } };
      if (r.auth === 'apiKey') op.security = [{ basicAuth: [] }, { bearerAuth: [] }];
      paths[path] = { ...(paths[path] ?? {}), [r.method]: op };
    }
    return {
      openapi: '3.1.0',
      info: { title: 'CX Cockpit API', version: '0.1.0' },
      paths,
      components: {
        securitySchemes: {
          basicAuth: {
            type: 'http',
            scheme: 'basic',
            description: 'API key as the user name (Segment style)',
          },
          bearerAuth: { type: 'http', scheme: 'bearer' },
        },
        schemas: {
          Error: {
            type: 'object',
            required: ['error'],
            properties: {
              error: {
                type: 'object',
                required: ['code', 'message'],
                properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
              },
            },
          },
        },
      },
    };
  }
}
