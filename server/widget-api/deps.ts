import type { RequestHandler } from 'express';
import type { AppServices } from '../services.ts';
import type { WidgetAuth } from './auth/middleware.ts';

/** What every widget route gets: the app's services and the auth middleware (which reads the caller's account once). */
export interface WidgetApiDeps {
  services: AppServices;
  /** X-Auth-Token verification, the account read, the account-state refusal and the jti replay check. */
  auth: RequestHandler;
  /** 403 admin_only unless the token says is_admin. */
  admin: RequestHandler;
  /** The manager's name for notes, when amoCRM tells it quickly. */
  userName(auth: WidgetAuth): Promise<string | undefined>;
}
