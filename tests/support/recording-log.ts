// A Logger that keeps what it was told, for tests that check what a service logs.
import type { Logger } from '../../main/log/logger';

export function recordingLog(): Logger & { lines: Array<{ level: 'info' | 'warn' | 'error'; message: string; error?: unknown }> } {
  const lines: Array<{ level: 'info' | 'warn' | 'error'; message: string; error?: unknown }> = [];
  return {
    lines,
    info: (message) => void lines.push({ level: 'info', message }),
    warn: (message, error) => void lines.push({ level: 'warn', message, error }),
    error: (message, error) => {
      lines.push({ level: 'error', message, error });
      return 'ref';
    },
  };
}
