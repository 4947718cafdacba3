import type { Lang } from '../preload/contract';

/** Today's messages show the time; older ones the date. */
export function formatTime(epochMs: number, lang: Lang, now = new Date()): string {
  const date = new Date(epochMs);
  const sameDay = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(lang, sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}
