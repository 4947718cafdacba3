// This desk as the page starts with it: the app, the administrator's rules, the operator's own settings.
import { z } from 'zod';
import { LANGS } from '../lang';
import { attachmentRules } from './attachment';

export const deskInfo = z.object({
  version: z.string(),
  lang: z.enum(LANGS),
  attachmentRules,
  /** Desktop notifications of new client mail (the operator's own setting). */
  notifications: z.boolean(),
  /** Active conversations with unread mail now. */
  unread: z.number().int(),
  /** The operator's own signature (their lines under every message). */
  signature: z.string(),
});

export type DeskInfo = z.output<typeof deskInfo>;
