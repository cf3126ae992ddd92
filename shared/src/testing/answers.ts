import assert from 'node:assert/strict';

interface Problem {
  type?: string;
  status?: number;
  errors?: { field?: string; message?: string }[];
}

/**
 * What any answer to any input must be: no 5xx, and a 4xx is problem+json whose status matches;
 * a validation problem names each field it refuses.
 */
export async function assertWellAnswered(response: Response): Promise<void> {
  assert.ok(response.status < 500, `answered ${response.status}: ${await response.clone().text()}`);
  if (response.status < 400) return;
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = (await response.json()) as Problem;
  assert.equal(problem.status, response.status);
  if (problem.type === '/problems/validation') {
    assert.ok(problem.errors && problem.errors.length > 0, 'a validation problem lists errors');
    for (const error of problem.errors) {
      assert.ok(error.field && error.message, `each error names a field: ${JSON.stringify(error)}`);
    }
  }
}
