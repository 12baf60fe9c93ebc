/** Times as the API shows them: UTC to the second, `yyyy-MM-ddTHH:mm:ssZ` (servers, client CAs), or to the
 * millisecond, `yyyy-MM-ddTHH:mm:ss.SSSZ` (users, user groups, access policies). */

export const UTC_SECONDS_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** 2026-11-25T18:00:00Z */
export const toUtcSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** 2026-11-25T18:00:00.123Z */
export const toUtcMillis = (date: Date): string => date.toISOString();
