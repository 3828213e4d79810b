import type { RequestHandler } from 'express';
import type { AppServices } from '../services.ts';
import type { AdminCheck } from './auth/admin-check.ts';
import type { WidgetAuth } from './auth/middleware.ts';

/** What every widget route gets: the app's services and the auth middleware (which reads the caller's account once). */
export interface WidgetApiDeps {
  services: AppServices;
  /** X-Auth-Token verification, the account read, the account-state refusal and the jti replay check. */
  auth: RequestHandler;
  /** 403 admin_only unless the caller is an admin (the token's is_admin, else amoCRM's answer; admin_check_unavailable when it cannot say). */
  admin: RequestHandler;
  /** Whether the caller is an admin, for views that show admin-only actions (never throws). */
  adminCheck: AdminCheck;
  /** The manager's name for notes, when amoCRM tells it quickly. */
  userName(auth: WidgetAuth): Promise<string | undefined>;
}
