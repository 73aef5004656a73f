/** The OpenAPI document (`/docs-json`) describes every products route with its refusals and response shape. */
import { startProductsApp, type ProductsTestApp } from './support/products-app';

let app: ProductsTestApp;

beforeAll(async () => {
  app = await startProductsApp('products_openapi_it', '2024-08-01T02:00:00Z');
});

afterAll(async () => {
  await app?.close();
});

it('documents each route: summary, success shape, refusals, Idempotency-Key on the writes', async () => {
  const doc = (await app.call('GET', '/docs-json')).body;
  const op = (path: string, method: string) => doc.paths[path]?.[method];
  const expected: [string, string, string[]][] = [
    ['/v1/products', 'post', ['201', '403', '409', '422']],
    ['/v1/products', 'get', ['200', '403']],
    ['/v1/products/{id}', 'get', ['200', '404']],
    ['/v1/products/{id}/recognise', 'post', ['200', '403', '404', '409', '422']],
    ['/v1/products/{id}/reject', 'post', ['200', '403', '404', '409', '422']],
    ['/v1/products/{id}/recognition-withdrawals', 'post', ['200', '403', '404', '409', '422']],
  ];
  for (const [path, method, statuses] of expected) {
    const operation = op(path, method);
    expect({ path, method, summary: typeof operation?.summary }).toEqual({ path, method, summary: 'string' });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
    if (method === 'post')
      expect(operation.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
  }
  expect(op('/v1/products/{id}/recognise', 'post').requestBody.content['application/json'].schema.$ref).toMatch(
    /RecogniseProductDto$/,
  );
  expect(doc.components.schemas.ProductDetailView.properties).toHaveProperty('reward');
  expect(doc.components.schemas.RewardView.properties.basis.enum).toEqual(
    expect.arrayContaining(['per-product', 'cap-remainder', 'cap-reached', 'no-policy', 'recognition-withdrawn']),
  );
});
