import { Router } from 'express';
import { ok, problem, type Reply } from '../reply.ts';
import type { AccountState } from '../state.ts';
import { isInt, isRecord } from '../validation.ts';
import { caller, idParam, type RouteDeps } from './deps.ts';

/** The limits of a continue's `execute_handlers` (https://developers.kommo.com/reference/salesbot-widget-block-execution-confirmation). */
const MAX_HANDLERS = 10;
const MAX_SHOW_VALUE = 80;

const isAdmin = (acc: AccountState, userId: number) => acc.account.users.some((u) => u.id === userId && u.is_admin);

function checkContinue(body: unknown): string | undefined {
  if (!isRecord(body)) return 'The body must be an object';
  if (body.data !== undefined && !isRecord(body.data)) return 'data must be an object';
  const handlers = body.execute_handlers;
  if (handlers === undefined) return undefined;
  if (!Array.isArray(handlers)) return 'execute_handlers must be an array';
  if (handlers.length > MAX_HANDLERS) return `At most ${MAX_HANDLERS} handlers`;
  for (const h of handlers) {
    if (!isRecord(h) || (h.handler !== 'show' && h.handler !== 'goto')) return 'Only show and goto handlers are supported';
    const value = isRecord(h.params) ? h.params.value : undefined;
    if (h.handler === 'show' && typeof value === 'string' && value.length > MAX_SHOW_VALUE)
      return `show value longer than ${MAX_SHOW_VALUE}`;
  }
  return undefined;
}

export function salesbotRoutes(deps: RouteDeps): Router {
  const r = Router();
  const { responder, bots } = deps;

  // The return_url of a widget_request: admins only; once per waiting step.
  r.post(
    '/api/v4/salesbot/:botId/continue/:continueId',
    responder.route((req, res) => {
      const { acc, userId } = caller(deps, res);
      if (!isAdmin(acc, userId)) return problem(403, 'Access denied');
      const bad = checkContinue(req.body);
      if (bad) return problem(400, bad);
      const outcome = bots.continue(acc.account.id, idParam(req.params.botId) ?? -1, idParam(req.params.continueId) ?? -1, req.body);
      if (outcome === 'not_found') return problem(404, 'Запись о виджете ожидающем результата выполнения не найдена');
      return { status: 202 };
    }),
  );

  // amoCRM: up to 100 tasks per call, 202 {"success": true} (https://www.amocrm.ru/developers/content/api/salesbot-api).
  r.post(
    '/api/v2/salesbot/run',
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      if (!Array.isArray(req.body) || req.body.length === 0 || req.body.length > 100) return problem(400, 'Expected 1 to 100 tasks');
      for (const task of req.body) {
        if (!isRecord(task) || !isInt(task.bot_id) || !isInt(Number(task.entity_id)))
          return problem(400, 'bot_id and entity_id are required');
        if (!bots.bot(acc.account.id, task.bot_id)) return problem(400, 'Бот не найден');
      }
      for (const task of req.body as Array<{ bot_id: number; entity_id: number | string; entity_type?: unknown }>) {
        deps.startBot(acc.account.id, task.bot_id, Number(task.entity_id), String(task.entity_type ?? '2'), 'v2');
      }
      return ok({ success: true }, 202);
    }),
  );

  // Kommo: one bot, {entity_id, entity_type: "leads" | "contacts"} → 202 (https://developers.kommo.com/reference/launch-salesbot).
  r.post(
    '/api/v4/bots/:botId/run',
    responder.route((req, res): Reply => {
      const { acc } = caller(deps, res);
      const bot = bots.bot(acc.account.id, idParam(req.params.botId) ?? -1);
      if (!bot) return problem(404, 'Bot not found');
      const b = isRecord(req.body) ? req.body : {};
      if (!isInt(Number(b.entity_id))) return problem(400, 'entity_id is required');
      deps.startBot(acc.account.id, bot.id, Number(b.entity_id), String(b.entity_type ?? 'leads'), 'v4');
      return ok({ success: true }, 202);
    }),
  );
  return r;
}
