import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { loadConfig } from '../config/index.js';
import { newEventId } from '../outbox/index.js';
import { deleteTopicsWithPrefix, stackCredentials, stackSettings } from '../testing/index.js';
import {
  openApiDocument,
  parseInput,
  type RunningService,
  requestTrace,
  serviceSettingsSchema,
  startService,
} from './index.js';

const productBody = z.object({ name: z.string().min(1) });

describe('service runtime', () => {
  let service: RunningService;
  let auth: { authorization: string };
  const seen: string[] = [];

  before(async () => {
    auth = { authorization: `Bearer ${await (await stackCredentials()).customer('runtime-test')}` };
    const name = `svc${randomBytes(4).toString('hex')}`;
    const settings = loadConfig(serviceSettingsSchema, {
      env: {
        ...process.env,
        ...Object.fromEntries(
          Object.entries(stackSettings()).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
        ),
        KAFKA_TOPIC_PREFIX: `${name}.`,
        TOPIC_PARTITIONS: '2',
        LOG_LEVEL: 'silent',
        DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      },
    });
    service = await startService({
      name,
      settings,
      port: 0,
      consumes: ['product.upserted'],
      openapi: openApiDocument(
        { title: 'runtime test', version: '1' },
        {
          '/slow': { get: { responses: { 204: { description: 'slept' } } } },
          '/products/{id}': {
            put: {
              requestParams: { path: z.object({ id: z.string() }) },
              requestBody: { content: { 'application/json': { schema: productBody } } },
              responses: { 204: { description: 'stored' } },
            },
          },
        },
      ),
      build: (context) => ({
        handlers: {
          'product.upserted': async (event) => {
            seen.push(event.productId);
          },
        },
        routes: (app) => {
          app.get('/slow', async (_request, response) => {
            await context.database.pool.query('SELECT pg_sleep(5)');
            response.status(204).end();
          });
          app.put('/products/:id', async (request, response) => {
            const body = parseInput(productBody, request.body);
            await context.transact(
              ({ emit }) =>
                emit([
                  {
                    topic: 'product.upserted',
                    value: {
                      eventId: newEventId(),
                      productId: String(request.params.id),
                      occurredAt: Date.now(),
                      name: body.name,
                      priceMinor: 100,
                      currency: 'EUR',
                      stock: 1,
                      hotDeal: false,
                    },
                  },
                ]),
              { trace: requestTrace(response) },
            );
            response.status(204).end();
          });
        },
      }),
    });
  });

  after(async () => {
    const dbName = new URL(await databaseUrlOf(service)).pathname.slice(1);
    const admin = service.context.kafka.admin();
    await service.stop();
    await dropDatabase(dbName);
    await admin.connect();
    await deleteTopicsWithPrefix(admin, service.context.settings.KAFKA_TOPIC_PREFIX);
    await admin.disconnect();
  });

  it('answers health, readiness and metrics', async () => {
    assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
    const ready = await fetch(`${service.url}/readyz`);
    assert.equal(ready.status, 200, JSON.stringify(await ready.clone().json()));
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    assert.deepEqual(Object.keys(body.checks).sort(), ['database', 'kafka', 'registry']);
    await fetch(`${service.url}/nowhere`);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    assert.match(metrics, /saga_relay_leader/);
    assert.match(metrics, /saga_events_handled_total/);
    assert.match(metrics, /saga_db_pool_connections\{[^}]*state="max"[^}]*\} 5/);
    assert.match(
      metrics,
      /saga_http_request_duration_seconds_count\{[^}]*route="\/readyz",method="GET",status_class="2xx"[^}]*\} 1/,
    );
    assert.match(
      metrics,
      /saga_http_request_duration_seconds_count\{[^}]*route="unmatched",method="GET",status_class="4xx"/,
    );
  });

  it('serves its OpenAPI document without a token', async () => {
    const response = await fetch(`${service.url}/openapi.json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(Object.keys(document.paths).sort(), ['/products/{id}', '/slow']);
  });

  it("puts the service's routes behind a bearer token", async () => {
    const response = await fetch(`${service.url}/products/p-0`, { method: 'PUT' });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
  });

  it('carries an event from an HTTP transaction through outbox, relay and consumer', async () => {
    const response = await fetch(`${service.url}/products/p-42`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Widget' }),
    });
    assert.equal(response.status, 204);
    const started = Date.now();
    while (!seen.includes('p-42')) {
      assert.ok(Date.now() - started < 20_000, 'event not consumed in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('carries the trace of an HTTP request into the events it writes', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const response = await fetch(`${service.url}/products/p-traced`, {
      method: 'PUT',
      headers: {
        ...auth,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-b7ad6b7169203331-01`,
      },
      body: JSON.stringify({ name: 'Traced' }),
    });
    assert.equal(response.status, 204);
    const { rows } = await service.context.database.pool.query<{
      headers: Record<string, string>;
    }>("SELECT headers FROM outbox WHERE headers->>'traceparent' LIKE $1", [`00-${traceId}-%`]);
    assert.equal(rows.length, 1, 'the outbox row continues the request trace');
  });

  it('answers bad input with a problem naming the field', async () => {
    const response = await fetch(`${service.url}/products/p-1`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '' }),
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const problem = (await response.json()) as { errors: { field: string }[] };
    assert.deepEqual(
      problem.errors.map((error) => error.field),
      ['name'],
    );
  });

  it('answers a statement over its timeout with a 503 to retry, not a hung request', async () => {
    const started = performance.now();
    const response = await fetch(`${service.url}/slow`, { headers: auth });
    assert.equal(response.status, 503);
    assert.ok(performance.now() - started < 4_000, 'the statement was canceled at its timeout');
    assert.equal(response.headers.get('retry-after'), '1');
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(((await response.json()) as { type: string }).type, '/problems/unavailable');
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const response = await fetch(`${service.url}/products/p-1`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"name":',
    });
    assert.equal(response.status, 400);
  });
});

async function databaseUrlOf(service: RunningService): Promise<string> {
  const { rows } = await service.context.database.pool.query<{ db: string }>(
    'SELECT current_database() AS db',
  );
  return `${stackSettings().POSTGRES_URL.replace(/\/[^/]*$/, '')}/${rows[0]?.db}`;
}

async function dropDatabase(name: string) {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: stackSettings().POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`DROP ROLE IF EXISTS ${name}`); // the service's own, made with its database
  await admin.end();
}
