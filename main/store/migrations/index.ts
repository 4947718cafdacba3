import initial from './001_initial';
import outgoingKind from './002_outgoing_kind';

/** Position + 1 is the schema version the migration brings the database to. */
export const migrations: readonly string[] = [initial, outgoingKind];
