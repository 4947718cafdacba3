import initial from './001_initial';
import outgoingKind from './002_outgoing_kind';
import clientSearch from './003_client_search';
import replyToChoice from './004_reply_to_choice';
import mailFields from './005_mail_fields';
import attachmentChecks from './006_attachment_checks';
import bodyTruncated from './007_body_truncated';
import team from './008_team';
import phoneDigits from './009_phone_digits';
import sendProblems from './010_send_problems';
import quote from './011_quote';
import attachmentRanges from './012_attachment_ranges';

/** Position + 1 is the schema version the migration brings the database to. */
export const migrations: readonly string[] = [initial, outgoingKind, clientSearch, replyToChoice, mailFields, attachmentChecks, bodyTruncated, team, phoneDigits, sendProblems, quote, attachmentRanges];
