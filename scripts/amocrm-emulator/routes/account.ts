import { Router } from 'express';
import { CURRENCY_SYMBOLS } from '../defaults.ts';
import { pagedList } from '../pagination.ts';
import { ok, problem } from '../reply.ts';
import type { AccountState } from '../state.ts';
import type { EmuUser } from '../types.ts';
import { caller, idParam, selfLink, type RouteDeps } from './deps.ts';

/** `with` is a comma list: `?with=users_groups,task_types`. */
function withSet(q: unknown): Set<string> {
  return new Set(
    String(q ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

export function accountRoutes(deps: RouteDeps): Router {
  const r = Router();
  const { responder } = deps;

  r.get(
    '/api/v4/account',
    responder.route((req, res) => {
      const { acc, userId } = caller(deps, res);
      const a = acc.account;
      const extras = withSet(req.query.with);
      const embedded: Record<string, unknown> = {};
      if (extras.has('users_groups')) embedded.users_groups = [{ id: 0, name: 'Отдел продаж', uuid: null }];
      if (extras.has('task_types')) {
        embedded.task_types = a.task_types.map((t) => ({ ...t, color: null, icon_id: null }));
      }
      return ok({
        id: a.id,
        name: a.name,
        subdomain: a.subdomain,
        created_at: a.created_at,
        created_by: a.users[0].id,
        updated_at: a.created_at,
        updated_by: a.users[0].id,
        current_user_id: userId,
        country: a.country,
        customers_mode: 'disabled',
        is_unsorted_on: true,
        is_loss_reason_enabled: true,
        is_helpbot_enabled: false,
        is_technical_account: false,
        contact_name_display_order: 1,
        currency: a.currency,
        currency_symbol: CURRENCY_SYMBOLS[a.currency] ?? a.currency,
        ...(extras.has('amojo_id') ? { amojo_id: `amojo-${a.id}` } : {}),
        // "Язык счетов-покупок и PayWall" and the invoices list's id (null while the list is off).
        ...(extras.has('invoices_settings')
          ? { invoices_settings: { lang: a.users[0]?.lang ?? 'ru', invoices_catalog_id: deps.invoices.catalogs(a.id)[0]?.id ?? null } }
          : {}),
        ...(extras.has('uuid') ? { uuid: `00000000-0000-4000-8000-${String(a.id).padStart(12, '0')}` } : {}),
        ...(extras.has('version') ? { version: 11 } : {}),
        ...(extras.has('datetime_settings')
          ? { datetime_settings: { date_format: 'd.m.Y', time_format: 'H:i', timezone: 'Asia/Yerevan', timezone_offset: '+04:00' } }
          : {}),
        _links: selfLink(req, '/api/v4/account'),
        ...(Object.keys(embedded).length > 0 ? { _embedded: embedded } : {}),
      });
    }),
  );

  // Users: "Метод доступен только администраторам аккаунта" (https://www.amocrm.ru/developers/content/crm_platform/users-api):
  // another user's token gets a JSON 403 (a rights error, not the block page).
  r.get(
    '/api/v4/users',
    responder.route((req, res) => {
      const { acc, userId } = caller(deps, res);
      if (!isAdmin(acc, userId)) return problem(403, 'Access denied');
      const users = acc.account.users.map((u) => userJson(req, u));
      return pagedList(req, 'users', users, { _total_items: users.length });
    }),
  );

  r.get(
    '/api/v4/users/:id',
    responder.route((req, res) => {
      const { acc, userId } = caller(deps, res);
      if (!isAdmin(acc, userId)) return problem(403, 'Access denied');
      const user = acc.account.users.find((u) => u.id === idParam(req.params.id));
      return user ? ok(userJson(req, user)) : problem(404, 'User not found');
    }),
  );
  return r;
}

const isAdmin = (acc: AccountState, userId: number) => acc.account.users.some((u) => u.id === userId && u.is_admin);

function userJson(req: Parameters<typeof selfLink>[0], u: EmuUser) {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    lang: u.lang,
    rights: { is_admin: u.is_admin, is_free: false, is_active: true, group_id: null, role_id: null },
    _links: selfLink(req, `/api/v4/users/${u.id}`),
  };
}
