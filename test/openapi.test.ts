import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import {
  attemptSchema,
  createPaymentBodySchema,
  exceptionSchema,
  leadPaymentsResponseSchema,
  paymentSchema,
  refundBodySchema,
  resendBodySchema,
  settingsSchema,
} from '../shared/api.ts';
import { TOKEN_ERROR_CODES } from '../server/widget-api/auth/verify-token.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

/**
 * openapi.yaml describes the whole HTTP API and stays in step with it: every route the running app
 * serves (walked from express 5's router stack) is documented with its method, every documented
 * operation is served, and the widget JSON schemas name the same fields as shared/api.ts.
 */

const SPEC_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Spec = {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; operationId?: string; responses?: Record<string, unknown> }>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    responses: Record<string, { description: string }>;
  };
};

interface ServedRoute {
  method: string;
  path: string;
}

/** Every route of an express 5 app: `route` layers, recursing into mounted routers (rawPath is the mount path). */
export function servedRoutes(app: { router: { stack: unknown[] } }): ServedRoute[] {
  const out: ServedRoute[] = [];
  const walk = (stack: unknown[], prefix: string) => {
    for (const layer of stack as Array<{
      route?: { path: string | string[]; methods: Record<string, boolean> };
      handle?: { stack?: unknown[] };
      rawPath?: string;
    }>) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) if (on) out.push({ method, path: `${prefix}${p}` });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk(app.router.stack, '');
  return out;
}

/** express `/pay/:token/return` → OpenAPI `/pay/{token}/return`. */
const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

function resolve(spec: unknown, ref: string): unknown {
  expect(ref.startsWith('#/'), `only local refs: ${ref}`).to.equal(true);
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), spec);
}

const keysOf = (schema: z.ZodObject) => Object.keys(schema.shape).sort();
const requiredOf = (schema: z.ZodObject) =>
  Object.entries(schema.shape)
    .filter(([, s]) => !(s as z.ZodType).safeParse(undefined).success)
    .map(([k]) => k)
    .sort();

describe('openapi.yaml', () => {
  let spec: Spec;
  let t: TestApp;
  before(async () => {
    spec = yaml.load(readFileSync(SPEC_PATH, 'utf8')) as Spec;
    t = await startTestApp();
  });
  after(() => t.close());

  it('is an OpenAPI 3.1 document whose every $ref resolves', () => {
    expect(spec.openapi).to.match(/^3\.1\.\d+$/);
    for (const ref of new Set(collectRefs(spec))) expect(resolve(spec, ref), `unresolved ${ref}`).to.not.equal(undefined);
  });

  it('documents exactly the routes the running app serves (method and path)', () => {
    const served = servedRoutes(t.app.express as never);
    expect(served.length).to.be.greaterThan(10);
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of HTTP_METHODS) if (item[method]) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const servedKeys = new Set<string>();
    for (const r of served) {
      const path = toOpenApiPath(r.path);
      if (r.method === '_all') {
        // router.all: the document says which methods it accepts; at least one must be there.
        const methods = HTTP_METHODS.filter((m) => spec.paths[path]?.[m]).map((m) => `${m.toUpperCase()} ${path}`);
        expect(methods, `${path} is served for every method but documented for none`).to.not.be.empty;
        methods.forEach((m) => servedKeys.add(m));
      } else {
        servedKeys.add(`${r.method.toUpperCase()} ${path}`);
      }
    }
    const undocumented = [...servedKeys].filter((k) => !documented.has(k)).sort();
    const unserved = [...documented].filter((k) => !servedKeys.has(k)).sort();
    expect({ undocumented, unserved }, 'openapi.yaml and the app disagree').to.deep.equal({ undocumented: [], unserved: [] });
  });

  it('gives every operation a unique operationId and every /api/v1 operation the disposable-token security', () => {
    const ids: string[] = [];
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!op) continue;
        expect(op.operationId, `${method} ${path} operationId`).to.be.a('string');
        ids.push(op.operationId!);
        if (path.startsWith('/api/v1/')) expect(op.security, `${method} ${path}`).to.deep.equal([{ disposableToken: [] }]);
      }
    }
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('names the same fields as the shared zod schemas of the contract', () => {
    const s = spec.components.schemas;
    const props = (name: string) => Object.keys(s[name].properties ?? {}).sort();
    const required = (name: string) => [...(s[name].required ?? [])].sort();
    const context = leadPaymentsResponseSchema.shape.context.unwrap() as unknown as z.ZodObject;

    for (const [name, schema] of [
      ['Payment', paymentSchema],
      ['Attempt', attemptSchema],
      ['Exception', exceptionSchema],
      ['LeadContext', context],
    ] as const) {
      expect(props(name), `${name} fields`).to.deep.equal(keysOf(schema as unknown as z.ZodObject));
      expect(required(name), `${name} required fields`).to.deep.equal(requiredOf(schema as unknown as z.ZodObject));
    }
    for (const [name, schema] of [
      ['Settings', settingsSchema],
      ['CreatePaymentBody', createPaymentBodySchema],
      ['RefundBody', refundBodySchema],
      ['ResendBody', resendBodySchema],
    ] as const) {
      expect(props(name), `${name} fields`).to.deep.equal(keysOf(schema as unknown as z.ZodObject));
    }
    expect(props('LeadPaymentsResponse')).to.deep.equal(keysOf(leadPaymentsResponseSchema as unknown as z.ZodObject));
  });

  it('lists every authentication error code the server can answer', () => {
    const text = spec.components.responses.Unauthorized.description;
    for (const code of TOKEN_ERROR_CODES) expect(text, code).to.contain(`\`${code}\``);
  });
});
