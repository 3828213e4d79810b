import express, { Router, type Request, type Response } from 'express';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO, type DemoAccount } from './demo-account.ts';
import { DIST_WIDGET_DIR, NODE_MODULES, PLAYGROUND_DIR } from './paths.ts';
import type { WidgetBuildState } from './widget-build.ts';

export interface PlaygroundDeps {
  demo: DemoAccount;
  /** The emulator's base URL; its /__emulator debug endpoints are proxied under /playground/emulator. */
  emulatorUrl: string;
  /** dist/widget is served once this settles (a request for script.js during a build waits for it). */
  widget: Promise<WidgetBuildState>;
}

/** What amoCRM's page provides as RequireJS modules, served from node_modules (no CDN, no network). */
const VENDOR: Record<string, string> = {
  'require.js': 'requirejs/require.js',
  'jquery.js': 'jquery/dist/jquery.min.js',
  'underscore.js': 'underscore/underscore-umd-min.js',
};

/** The debug endpoints the page may reach through the proxy, nothing else of the emulator. */
const EMULATOR_PATHS = [/^\/accounts\/\d+\/leads\/\d+$/, /^\/accounts\/\d+\/disposable-token$/, /^\/faults$/];

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * The playground page's own CSP: everything from this origin (RequireJS adds script tags for the
 * vendor modules and the built widget), nothing from elsewhere, inline styles for the widget's markup.
 */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Local mode's lead-card playground (mounted by devWingAddOn in local mode only): `/` is the page,
 * `/playground/app/*` its own script and styles, `/playground/vendor/*` RequireJS, jQuery and
 * underscore, `/playground/widget/*` the built widget (dist/widget), `/playground/demo.json` the
 * demo account, and `/playground/emulator/*` the emulator's debug endpoints on this origin (the
 * emulator listens on loopback only, and the page may be opened from elsewhere): the demo lead, a
 * disposable token, and `faults` (make amoCRM fail the next matching request, e.g. a Salesbot start).
 */
export function playgroundRoutes(d: PlaygroundDeps): Router {
  const r = Router();
  const page = path.join(PLAYGROUND_DIR, 'index.html');

  r.get('/', (_req, res) => {
    res.set(NO_STORE).set('content-security-policy', PAGE_CSP).type('html').sendFile(page);
  });
  r.get('/playground', (_req, res) => res.redirect(302, '/'));
  r.get('/favicon.ico', (_req, res) => res.status(204).end());

  r.use('/playground/app', express.static(PLAYGROUND_DIR, { index: false, cacheControl: false, setHeaders: (res) => res.set(NO_STORE) }));

  r.get('/playground/vendor/:file', (req, res, next) => {
    const rel = VENDOR[String(req.params.file)];
    if (!rel) return next();
    res.set('cache-control', 'public, max-age=3600').type('js').sendFile(path.join(NODE_MODULES, rel));
  });

  const widgetFiles = express.static(DIST_WIDGET_DIR, { index: false, cacheControl: false, setHeaders: (res) => res.set(NO_STORE) });
  r.use('/playground/widget', async (req, res, next) => {
    const state = await d.widget;
    if (state.state === 'failed') {
      res
        .status(503)
        .set(NO_STORE)
        .type('text')
        .send(`The widget build failed, so there is no script.js to load:\n${state.problems.map((p) => `- ${p}`).join('\n')}\n`);
      return;
    }
    widgetFiles(req, res, next);
  });

  r.get('/playground/demo.json', async (_req, res) => {
    const build = await d.widget;
    res.set(NO_STORE).json({
      accountId: DEMO.accountId,
      subdomain: d.demo.account.subdomain,
      referer: d.demo.account.referer,
      users: d.demo.account.users.map((u) => ({ id: u.id, name: u.name, isAdmin: u.is_admin })),
      leads: d.demo.leads.map((l) => ({ id: l.id, name: l.name, price: l.price })),
      salesbot: { id: DEMO.salesbot.id, name: DEMO.salesbot.name },
      currency: d.demo.account.currency,
      widgetVersion: build.state === 'failed' ? null : widgetVersion(),
      build,
    });
  });

  r.all('/playground/emulator/*rest', express.json({ limit: '16kb' }), (req, res) => void proxy(d.emulatorUrl, req, res));
  return r;
}

function widgetVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(path.join(DIST_WIDGET_DIR, 'manifest.json'), 'utf8')) as { widget?: { version?: string } };
    return String(manifest.widget?.version ?? '0');
  } catch {
    return '0';
  }
}

async function proxy(emulatorUrl: string, req: Request, res: Response): Promise<void> {
  const sub = req.path.replace(/^\/playground\/emulator/, '');
  if (!EMULATOR_PATHS.some((p) => p.test(sub)) || (req.method !== 'GET' && req.method !== 'POST')) {
    res.status(404).json({ error: { code: 'not_found', message: `The playground does not proxy ${req.method} ${sub}` } });
    return;
  }
  try {
    const upstream = await fetch(`${emulatorUrl}/__emulator${sub}`, {
      method: req.method,
      headers: req.method === 'POST' ? { 'content-type': 'application/json' } : {},
      body: req.method === 'POST' ? JSON.stringify(req.body ?? {}) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    res
      .status(upstream.status)
      .set(NO_STORE)
      .type(upstream.headers.get('content-type') ?? 'application/json')
      .send(Buffer.from(await upstream.arrayBuffer()));
  } catch (err) {
    res.status(502).json({ error: { code: 'emulator_unreachable', message: (err as Error).message } });
  }
}
