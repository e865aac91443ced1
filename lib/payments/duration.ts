import { z } from 'zod';

export const durationUnits = ['day', 'week', 'month', 'year'] as const;
export const durationSchema = z.tuple([z.number().int().positive(), z.enum(durationUnits)]);
export type Duration = z.infer<typeof durationSchema>;

/**
 * `start + k × duration` in UTC calendar terms: months and years keep the day of the month and
 * clamp it (Jan 31 + 1 month = Feb 28/29), counting from the start so windows never drift.
 */
export function addDuration(start: number, [count, unit]: Duration, times = 1): number {
  const date = new Date(start);
  if (unit === 'day' || unit === 'week') return start + times * count * (unit === 'day' ? 1 : 7) * 86_400_000;
  const months = times * count * (unit === 'year' ? 12 : 1);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  target.setUTCHours(date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
  return target.getTime();
}

export function formatDuration([count, unit]: Duration): string {
  return count === 1 ? unit : `${count} ${unit}s`;
}
