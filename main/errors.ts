import type { ErrorCode } from '../common/domain/api-error';

/** An error a service means the operator to see: it crosses the boundary with its code and text. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
