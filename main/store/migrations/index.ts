import initial from './001_initial';
import outgoingKind from './002_outgoing_kind';
import clientSearch from './003_client_search';
import bodyTruncated from './007_body_truncated';

/** Position + 1 is the schema version the migration brings the database to. */
export const migrations: readonly string[] = [initial, outgoingKind, clientSearch, bodyTruncated];
