/** The `limit` and `marker` of every list (CONTRACT.md sections 4 and 11.5), and its page_info. */
import * as z from 'zod/mini';
import { unknownMarker } from './errors';
import { parseOrThrow } from './issues';
import { MAX_PAGE_LIMIT } from './limits';
import { lazy } from './memo';
import { LOWERCASE_UUID_PATTERN, MARKER_PATTERN, MARKER_RULE, PAGE_LIMIT_PATTERN } from './patterns';

const LIMIT_RULE = `must be an integer from 1 to ${MAX_PAGE_LIMIT}`;

export const pageQuerySchema = z.strictObject({
  limit: z.optional(z.string().check(z.refine((limit) => PAGE_LIMIT_PATTERN.test(limit) && Number(limit) <= MAX_PAGE_LIMIT, LIMIT_RULE))),
  marker: z.optional(z.string().check(z.regex(MARKER_PATTERN, MARKER_RULE))),
});

export interface PageRequest {
  limit: number;
  /** as the previous page gave it; the list decides whether it is one of its own */
  marker?: string;
}

/** The query as an adapter received it (strings, or absent). */
export function parsePage(query: { limit?: unknown; marker?: unknown }): PageRequest {
  const page = parseOrThrow(pageQuerySchema, {
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.marker !== undefined ? { marker: query.marker } : {}),
  });
  return { limit: page.limit !== undefined ? Number(page.limit) : MAX_PAGE_LIMIT, ...(page.marker !== undefined ? { marker: page.marker } : {}) };
}

interface PageInfo {
  /** absent on the last page: never "" (Terraform would ask again forever) */
  next_marker?: string;
  current_count: number;
}

const pageInfo = (currentCount: number, nextMarker: string | undefined): PageInfo => ({
  ...(nextMarker ? { next_marker: nextMarker } : {}),
  current_count: currentCount,
});

/** One page of a list of ids in its order (`lead`, when given, first; the rest sorted), the marker
 * being the last id of the page before. An id deleted since is still a good marker: the page starts
 * after where it was. 400 for a marker that is no id of such a list. */
export function pageOfIds(sorted: readonly string[], page: PageRequest, lead?: string): { ids: string[]; nextMarker?: string } {
  const all = lead ? [lead, ...sorted] : sorted;
  let start = 0;
  if (page.marker !== undefined) {
    if (!LOWERCASE_UUID_PATTERN.test(page.marker)) throw unknownMarker(MARKER_RULE);
    start = page.marker === lead ? 1 : (lead ? 1 : 0) + sorted.filter((id) => id <= page.marker!).length;
  }
  const ids = all.slice(start, start + page.limit);
  return { ids, ...(start + page.limit < all.length ? { nextMarker: ids.at(-1)! } : {}) };
}

/** A page as a store reads it: its items, how many the whole list holds, and the next page's marker
 * (absent on the last page). */
export interface Page<T> {
  items: T[];
  totalCount: number;
  nextMarker?: string;
}

/** A list's answer: the page's items, as the API shows them, under the list's own member. */
export type ListAnswer<Member extends string, Shown> = Record<Member, Shown[]> & { total_count: number; page_info: PageInfo };

/** The answer of a page, each item through `view`; a page the store could not read from the marker
 * (undefined: not one this list gave) is 400 VPN.0001. */
export function listAnswer<Member extends string, Item, Shown>(member: Member, page: Page<Item> | undefined, view: (item: Item) => Shown): ListAnswer<Member, Shown> {
  if (!page) throw unknownMarker(MARKER_RULE);
  const rows = { [member]: page.items.map(view) } as Record<Member, Shown[]>;
  return { ...rows, total_count: page.totalCount, page_info: pageInfo(page.items.length, page.nextMarker) };
}

/** page_info as an answer's schema states it (built on first use: the functions never validate their answers). */
export const pageInfoSchema = lazy(() =>
  z.strictObject({
    next_marker: z.optional(z.string()),
    current_count: z.int().check(z.minimum(0)),
  }),
);
