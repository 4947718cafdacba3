import initial from './001_initial';

/** Position + 1 is the schema version the migration brings the database to. */
export const migrations: readonly string[] = [initial];
