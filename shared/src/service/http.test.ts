import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Express } from 'express';
import { createLogger } from '../logger/index.js';
import { createPlatformMetrics } from '../metrics/index.js';
import { createHttpApp, listen, openApiDocument } from './index.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

describe('HTTP surface', () => {
  let server: Server;
  let url: string;

  before(async () => {
    const app = createHttpApp({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ service: 'http-test', level: 'silent' }),
      metrics: createPlatformMetrics('http-test'),
      readiness: {},
      routes: (app) => {
        app.post('/echo', (request, response) => {
          response.json({ body: request.body ?? null });
        });
        app.get('/boom', () => {
          throw new Error('database password is hunter2');
        });
      },
    });
    server = await listen(app, '127.0.0.1', 0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Asserts a problem+json answer with `status` and `type`, and returns the problem. */
  async function problemOf(response: Response, status: number, type: string): Promise<Problem> {
    assert.equal(response.status, status);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const problem = (await response.json()) as Problem;
    assert.equal(problem.type, type);
    assert.equal(problem.status, status);
    return problem;
  }

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('parses a JSON body', async () => {
    const response = await post('{"a":1}');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { body: { a: 1 } });
  });

  it('answers a POST without a body, which has no content type', async () => {
    const response = await fetch(`${url}/echo`, { method: 'POST' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { body: null });
  });

  it('answers a body over the limit with a 413 that states the limit', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(1024 * 1024) });
    const problem = await problemOf(await post(body), 413, '/problems/payload-too-large');
    assert.match(problem.detail, /262144 bytes/);
    assert.equal(problem.errors?.[0]?.field, 'body');
  });

  it('answers a body that is not JSON with a 415 naming the content type', async () => {
    const response = await post('a=1', { 'content-type': 'text/plain' });
    const problem = await problemOf(response, 415, '/problems/unsupported-media-type');
    assert.match(problem.detail, /text\/plain/);
    assert.equal(problem.errors?.[0]?.field, 'Content-Type');
  });

  it('answers an unsupported charset or content encoding with a 415', async () => {
    const latin1 = await post('{}', { 'content-type': 'application/json; charset=latin1' });
    await problemOf(latin1, 415, '/problems/unsupported-media-type');
    const compressed = await post('{}', { 'content-encoding': 'compress' });
    const problem = await problemOf(compressed, 415, '/problems/unsupported-media-type');
    assert.equal(problem.errors?.[0]?.field, 'Content-Encoding');
  });

  it('answers malformed JSON with a 400 naming the parse error', async () => {
    const problem = await problemOf(await post('{"a":'), 400, '/problems/malformed-json');
    assert.match(problem.detail, /JSON/);
  });

  it('answers an unknown route with a 404 naming the method and path', async () => {
    const response = await fetch(`${url}/nowhere?x=1`, { method: 'DELETE' });
    const problem = await problemOf(response, 404, '/problems/not-found');
    assert.equal(problem.detail, 'DELETE /nowhere does not exist');
  });

  it('answers an unexpected failure with a 500 that names no internals', async () => {
    const problem = await problemOf(await fetch(`${url}/boom`), 500, '/problems/internal');
    assert.doesNotMatch(JSON.stringify(problem), /hunter2/);
  });

  it('refuses to mount a route its OpenAPI document does not describe', () => {
    const openapi = openApiDocument(
      { title: 'x', version: '1' },
      {
        '/things/{id}': { get: { responses: { 200: { description: 'a thing' } } } },
      },
    );
    const build = (routes: (app: Express) => void) =>
      createHttpApp({
        host: '127.0.0.1',
        port: 0,
        logger: createLogger({ service: 'http-test', level: 'silent' }),
        metrics: createPlatformMetrics('http-test-openapi'),
        readiness: {},
        openapi,
        routes,
      });
    build((app) => app.get('/things/:id', (_request, response) => response.end()));
    assert.throws(
      () =>
        build((app) => {
          app.get('/things/:id', (_request, response) => response.end());
          app.delete('/things/:id', (_request, response) => response.end());
        }),
      /Routes missing from the OpenAPI document: DELETE \/things\/\{id\}/,
    );
  });
});
