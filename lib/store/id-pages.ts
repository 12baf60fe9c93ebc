/** The lists whose items sit in one partition under a sort-key prefix followed by a UUID (a project's
 * servers, by gateway; a project's gateways), paged in that id order (CONTRACT.md sections 4 and 11.5). */
import type { Page } from '../core/paging';
import type { Key } from './keys';
import { withoutKey, type TableClient } from './table-client';

/** What a marker must decode to: a lowercase id as the keys hold it. */
const ID = /^[0-9a-f-]{36}$/;

export interface IdPageRequest {
  pk: string;
  prefix: string;
  /** the key of the item with this id (the page after a marker starts after it) */
  keyOf: (id: string) => Key;
  limit: number;
  marker?: string;
  /** what the list's markers start with before the id, so that no list takes another one's marker */
  markerTag?: string;
}

/** The marker is the list's tag and the page's last id in base64url: only `A-Z a-z 0-9 - _`, safe
 * unencoded in a query, and never "". undefined when the marker is not one this list gives. */
export async function idPage<T>(table: TableClient, request: IdPageRequest): Promise<Page<T> | undefined> {
  const { pk, prefix, limit, marker, markerTag = '' } = request;
  let startId: string | undefined;
  if (marker !== undefined) {
    const decoded = Buffer.from(marker, 'base64url').toString('utf8');
    startId = decoded.slice(markerTag.length);
    if (!decoded.startsWith(markerTag) || !ID.test(startId)) return undefined;
  }
  // one more than asked: a full last page then gets no marker that leads to an empty page
  const page = await table.query({ pk, prefix, limit: limit + 1, ...(startId ? { start: request.keyOf(startId) } : {}) });
  const items = page.items.slice(0, limit);
  const lastId = (items.at(-1)?.sk as string | undefined)?.slice(prefix.length);
  const nextMarker = (page.items.length > limit || page.next) && lastId ? Buffer.from(`${markerTag}${lastId}`, 'utf8').toString('base64url') : undefined;
  // a first page that holds everything is its own count: no second query
  const totalCount = startId || nextMarker ? await table.count(pk, prefix) : items.length;
  return { items: items.map((item) => withoutKey<T>(item)!), totalCount, ...(nextMarker ? { nextMarker } : {}) };
}
