import { isAbsolute, win32 } from 'node:path';
import { z } from 'zod';
import { parseSize } from '../../common/size';
import { SAVE_ALL_MODES } from '../../common/domain/attachment';
import { parseClamdAddress } from '../files/virus-scanner';

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}

const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === null) {
    ctx.addIssue({ code: 'custom', message: 'a size such as "30mb", "512kb" or a number of bytes' });
    return z.NEVER;
  }
  return bytes;
});

const format = z
  .string()
  .regex(/^[a-z0-9]+$/i, 'a file extension without the dot, such as "pdf"')
  .transform((ext) => ext.toLowerCase());

const tls = z.enum(['implicit', 'starttls', 'none'], {
  error: 'one of "implicit", "starttls", "none"',
});

const saveAllMode = z.enum(SAVE_ALL_MODES, { error: `one of ${SAVE_ALL_MODES.map((m) => `"${m}"`).join(', ')}` });

const DEFAULT_PORTS = {
  imap: { implicit: 993, starttls: 143, none: 143 },
  smtp: { implicit: 465, starttls: 587, none: 25 },
} as const;

const serverShape = {
  host: z.string({ error: 'a host name' }).min(1, 'a host name'),
  port: z.number().int().min(1).max(65535).optional(),
  tls: tls.default('implicit'),
  user: z.string().min(1).optional(),
  password: z.string().optional(),
  passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').optional(),
};

type ServerFields = z.output<z.ZodObject<typeof serverShape>>;

function checkServer(s: ServerFields, ctx: z.RefinementCtx): void {
  if (s.tls === 'none' && !isLoopbackHost(s.host)) {
    ctx.addIssue({
      code: 'custom',
      path: ['tls'],
      input: s.tls,
      message: `"implicit" or "starttls" for host ${s.host} ("none" is accepted only for loopback hosts)`,
    });
  }
  if ((s.password === undefined) === (s.passwordEnv === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['password'],
      input: s.password,
      message: 'exactly one of "password" or "passwordEnv"',
    });
  }
}

const imapServer = z
  .strictObject({ ...serverShape, mailbox: z.string().min(1).default('INBOX') })
  .superRefine(checkServer)
  .transform((s) => ({ ...s, port: s.port ?? DEFAULT_PORTS.imap[s.tls] }));

const smtpServer = z
  .strictObject(serverShape)
  .superRefine(checkServer)
  .transform((s) => ({ ...s, port: s.port ?? DEFAULT_PORTS.smtp[s.tls] }));

const channel = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'an identifier of letters, digits, "-" or "_"'),
  name: z.string().min(1, 'a display name'),
  address: z.email('an e-mail address'),
  imap: imapServer,
  smtp: smtpServer,
  /**
   * The channel's Sent folder (e.g. "Sent"): every desk files what any desk sent from it, and
   * each sent message is appended to it unless the server files its own copy (sentCopy).
   */
  sentMailbox: z.string().min(1).optional(),
  /** Who puts a sent message into sentMailbox: Postdesk ("client", an IMAP APPEND) or the server itself ("server", as Gmail does). */
  sentCopy: z.enum(['client', 'server'], { error: 'one of "client", "server"' }).default('client'),
  /** Under every message sent from this channel, after the operator's own signature (the company's lines). */
  signature: z.string().max(2000, 'at most 2000 characters').optional(),
});

/** A saved reply the operators insert with Insert template: its text, and files it attaches (absolute paths on the desk). */
const template = z.strictObject({
  name: z.string().trim().min(1, 'a name').max(200, 'at most 200 characters'),
  text: z.string().max(100_000, 'at most 100,000 characters').default(''),
  files: z.array(z.string().refine((p) => isAbsolute(p) || win32.isAbsolute(p), 'an absolute path of a file')).max(20, 'at most 20 files').default([]),
});

/** Who is at this desk: the name the team sees on answers and in "… is replying". */
const operator = z.strictObject({
  /** Default: the OS account's full name, else its login name (main/host/operator-name.ts). */
  name: z
    .string()
    .trim()
    .min(1, 'a name')
    .max(100, 'at most 100 characters')
    .regex(/^[^\p{Cc}]*$/u, 'a name without control characters (it goes into a mail header)')
    .optional(),
  /** Whether the client sees the operator's name too (in the From of what is sent). */
  showNameToClients: z.boolean().default(false),
  /** The operator's signature until they write their own in the app. */
  signature: z.string().max(2000, 'at most 2000 characters').optional(),
});

export const configSchema = z
  .strictObject({
    attachments: z.strictObject({
      allowedFormats: z.array(format).min(1, 'a non-empty list of file extensions'),
      maxFileSize: size,
      maxTotalSize: size,
    }),
    downloads: z.strictObject({
      incoming: saveAllMode,
      reply: saveAllMode,
      new: saveAllMode,
    }),
    channels: z.array(channel),
    operator: operator.default({ showNameToClients: false }),
    templates: z.array(template).default([]),
    /** The desktop app updates itself from the server its installer names (main/app/updates.ts); an administrator may turn that off. */
    updates: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
    /** Optional: every attachment, incoming and outgoing, is scanned by this clamd. */
    scan: z
      .strictObject({
        clamd: z
          .string()
          .refine((v) => parseClamdAddress(v) !== null, '"host:port" or the absolute path of clamd\'s unix socket'),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    const { maxFileSize, maxTotalSize } = config.attachments;
    if (maxTotalSize < maxFileSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['attachments', 'maxTotalSize'],
        message: `at least the per-file limit maxFileSize (${maxFileSize} bytes)`,
      });
    }
    const seen = new Set<string>();
    config.channels.forEach((c, i) => {
      if (seen.has(c.id)) {
        ctx.addIssue({ code: 'custom', path: ['channels', i, 'id'], message: 'an id no other channel has' });
      }
      seen.add(c.id);
    });
  });

export type Config = z.output<typeof configSchema>;
export type ChannelConfig = Config['channels'][number];
export type ServerConfig = ChannelConfig['imap'] | ChannelConfig['smtp'];
export type DownloadModes = Config['downloads'];
export type TemplateConfig = Config['templates'][number];
