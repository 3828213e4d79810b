import type { RequestHandler } from 'express';
import type { AppServices } from '../services.ts';
import type { WidgetAuth } from './auth/middleware.ts';
import type { LeadReader } from './lead-reader.ts';

/** What every widget route gets: the app's services, the amoCRM reads, and the auth middleware. */
export interface WidgetApiDeps {
  services: AppServices;
  leadReader: LeadReader;
  /** X-Auth-Token verification, account lookup and jti replay check. */
  auth: RequestHandler;
  /** 403 admin_only unless the token says is_admin. */
  admin: RequestHandler;
  /** The manager's name for notes, when amoCRM tells it quickly. */
  userName(auth: WidgetAuth): Promise<string | undefined>;
}
