/**
 * The parts of amoCRM's widget runtime this widget uses, typed narrowly so the local playground
 * (and tests) can provide exactly the same surface. amoCRM mixes these methods into the object our
 * constructor builds (`this`), and exposes the `APP` global (`AMOCRM` is its deprecated alias).
 */
export interface AjaxOptions {
  url: string;
  type: 'GET' | 'POST' | 'PUT';
  data?: string;
  contentType: 'application/json';
  dataType: 'json';
}

/** What `$authorizedAjax` returns: a jqXHR (done/fail) or, in a playground, any thenable. */
export interface AjaxResult {
  done?: (cb: (data: unknown) => void) => AjaxResult;
  fail?: (cb: (xhr: unknown) => void) => AjaxResult;
  then?: (ok: (data: unknown) => void, fail: (xhr: unknown) => void) => unknown;
}

export interface RenderTemplateParams {
  caption: { class_name: string };
  body: string;
  render: string;
}

export interface WidgetHost {
  $authorizedAjax(opts: AjaxOptions): AjaxResult;
  render_template?(params: RenderTemplateParams, data?: object): void;
  i18n?(key: string): unknown;
  langs?: Record<string, unknown>;
  get_settings?(): Record<string, unknown> | undefined;
  get_install_status?(): string;
  system?(): { area?: string } | undefined;
}

export interface AppGlobal {
  data?: { current_card?: { id?: number | string } | false | null };
  constant?(name: string): unknown;
  lang_id?: string;
  /** amoCRM's in-browser notifications (https://www.amocrm.ru/developers/content/notifications/adding_notifications). */
  notifications?: { show_message?(m: { header: string; text: string }): void };
}

export function appGlobal(): AppGlobal | undefined {
  const g = globalThis as { APP?: AppGlobal; AMOCRM?: AppGlobal };
  return g.APP ?? g.AMOCRM;
}

/** The open lead's id, or 0 outside a lead card and on a new, unsaved card (amoCRM reports id 0). */
export function currentLeadId(app: AppGlobal | undefined): number {
  const card = app?.data?.current_card;
  const id = card ? Number(card.id) : 0;
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}

/** amoCRM's interface language; dates are formatted in it and server texts are asked for in it. */
export function uiLocale(app: AppGlobal | undefined): string {
  return app?.lang_id || (typeof document !== 'undefined' && document.documentElement.lang) || 'en';
}

/** A popup in amoCRM's own notification style, where the runtime offers one; false when it does not. */
export function showAmoMessage(header: string, text: string): boolean {
  const n = appGlobal()?.notifications;
  if (!n || typeof n.show_message !== 'function') return false;
  try {
    n.show_message({ header, text });
    return true;
  } catch {
    return false;
  }
}

/**
 * A file of this widget's own folder, versioned so an update is not served stale. amoCRM reports
 * the folder as get_settings().path (and the version); without it there is no such file.
 */
export function widgetFile(host: WidgetHost, file: string): string | undefined {
  const settings = host.get_settings?.() || {};
  const base = typeof settings.path === 'string' ? settings.path.replace(/\/+$/, '') : '';
  return base ? `${base}/${file}?v=${encodeURIComponent(String(settings.version || ''))}` : undefined;
}

/**
 * "user:123" as the manager's name from amoCRM's `managers` constant, when amoCRM gives one;
 * otherwise the actor as the server wrote it.
 */
export function userName(actor: string): string | undefined {
  const id = /^user:(\d+)$/.exec(actor)?.[1];
  const managers = id ? (appGlobal()?.constant?.('managers') as Record<string, { title?: string; name?: string }> | undefined) : undefined;
  const m = id ? managers?.[id] : undefined;
  return m?.title || m?.name || undefined;
}
