import type { Request } from 'express';
import { baseUrl } from './routes/deps.ts';
import { noContent, ok, type Reply } from './reply.ts';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

export function pageParams(query: Record<string, unknown>): { page: number; limit: number } {
  const page = Math.max(1, Number.parseInt(String(query.page ?? '1'), 10) || 1);
  const rawLimit = Number.parseInt(String(query.limit ?? DEFAULT_LIMIT), 10) || DEFAULT_LIMIT;
  return { page, limit: Math.min(Math.max(1, rawLimit), MAX_LIMIT) };
}

/**
 * amoCRM's list answer: `_page`, `_links.self`/`next`, `_embedded.{key}`; 204 with no body when the
 * page is empty, which is how a client learns it went past the end.
 */
export function pagedList<T>(req: Request, key: string, items: T[], extra: Record<string, unknown> = {}): Reply {
  const { page, limit } = pageParams(req.query as Record<string, unknown>);
  const slice = items.slice((page - 1) * limit, page * limit);
  if (slice.length === 0) return noContent();
  const link = (p: number) => {
    const url = new URL(req.originalUrl, baseUrl(req));
    url.searchParams.set('page', String(p));
    url.searchParams.set('limit', String(limit));
    return { href: url.toString() };
  };
  const links: Record<string, { href: string }> = { self: link(page) };
  if (page * limit < items.length) links.next = link(page + 1);
  if (page > 1) links.prev = link(page - 1);
  return ok({ ...extra, _page: page, _links: links, _embedded: { [key]: slice } });
}

/** `filter[x][]=1&filter[x][]=2`, `filter[x]=1` and `filter[x]=1,2` all name a set of values. */
export function listParam(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'object' && v !== null) return Object.values(v).map(String);
  return String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function filterOf(req: Request): Record<string, unknown> {
  const f = (req.query as Record<string, unknown>).filter;
  return f && typeof f === 'object' ? (f as Record<string, unknown>) : {};
}

/** `order[id]=desc`: the first key and direction; default id ascending. */
export function orderOf(req: Request, allowed: string[]): { key: string; desc: boolean } {
  const o = (req.query as Record<string, unknown>).order;
  if (o && typeof o === 'object') {
    for (const [key, dir] of Object.entries(o as Record<string, unknown>)) {
      if (allowed.includes(key)) return { key, desc: String(dir).toLowerCase() === 'desc' };
    }
  }
  return { key: 'id', desc: false };
}

export function sortBy<T>(items: T[], order: { key: string; desc: boolean }): T[] {
  const k = order.key as keyof T;
  return [...items].sort((a, b) => {
    const d = Number(a[k]) - Number(b[k]) || Number((a as { id?: number }).id) - Number((b as { id?: number }).id);
    return order.desc ? -d : d;
  });
}
