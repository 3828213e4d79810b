import { Router, type Request } from 'express';
import { ok } from '../reply.ts';
import type { EmuPipeline } from '../types.ts';
import { caller, idParam, selfLink, type RouteDeps } from './deps.ts';

const PATH = '/api/v4/leads/pipelines';

function pipelineJson(req: Request, p: EmuPipeline, accountId: number) {
  const { statuses, ...rest } = structuredClone(p);
  return {
    ...rest,
    account_id: accountId,
    _links: selfLink(req, `${PATH}/${p.id}`),
    _embedded: {
      statuses: statuses.map((s) => ({
        ...s,
        account_id: accountId,
        _links: selfLink(req, `${PATH}/${p.id}/statuses/${s.id}`),
      })),
    },
  };
}

export function pipelinesRoutes(deps: RouteDeps): Router {
  const r = Router();
  const { responder } = deps;
  r.get(
    PATH,
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const pipelines = acc.account.pipelines.map((p) => pipelineJson(req, p, acc.account.id));
      return ok({ _total_items: pipelines.length, _links: selfLink(req, PATH), _embedded: { pipelines } });
    }),
  );
  r.get(
    `${PATH}/:id`,
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const p = acc.account.pipelines.find((x) => x.id === idParam(req.params.id));
      return p ? ok(pipelineJson(req, p, acc.account.id)) : { status: 404 };
    }),
  );
  return r;
}
