/** What the paged lists of section 11 share: the CLI's table with its total and next page, and the
 * query of a list under one server. */
import { parsePage, type PageRequest } from '../core/paging';
import type { OperationCli, OperationRequest } from './operation';

export const pagedListCli = (section: string, rows: string, columns: readonly (readonly [string, string])[], noun: string): OperationCli => ({
  section,
  done: { table: { rows, columns, noun, total: 'total_count', next: { field: 'page_info.next_marker', option: 'marker' } } },
});

export const serverPage = ({ ids, query }: Pick<OperationRequest, 'ids' | 'query'>): { projectId: string; serverId: string } & PageRequest => ({
  projectId: ids.project_id!,
  serverId: ids.vpn_server_id!,
  ...parsePage(query),
});
