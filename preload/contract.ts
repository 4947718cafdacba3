// The one contract between the renderer and main. Every request channel and every pushed event
// is declared here once, with zod schemas; types on both sides are inferred from them.
// This file imports nothing but zod so that both the Node side and the web side can compile it.
import { z } from 'zod';

export const errorCodes = [
  'invalid_input',
  'unknown_channel',
  'forbidden',
  'not_found',
  'channel_unreachable',
  'internal',
] as const;
export const errorCode = z.enum(errorCodes);

export const apiError = z.object({
  code: errorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const lang = z.enum(['en', 'ru']);

export const channelState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unchecked') }),
  z.object({ kind: z.literal('connecting') }),
  z.object({ kind: z.literal('syncing'), done: z.number().int(), total: z.number().int() }),
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('error'), reason: z.string() }),
]);

const channelView = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  state: channelState,
});

const conversationStatus = z.enum(['active', 'completed']);

const conversationSummary = z.object({
  id: z.number().int(),
  status: conversationStatus,
  clientName: z.string(),
  channelName: z.string(),
  lastSubject: z.string(),
  lastMessageAt: z.number().int().nullable(),
  unread: z.boolean(),
});

const none = z.undefined();

export const requests = {
  'app.info': {
    input: none,
    output: z.object({
      version: z.string(),
      lang,
      attachmentRules: z.object({
        allowedFormats: z.array(z.string()),
        maxFileSize: z.number().int(),
        maxTotalSize: z.number().int(),
      }),
    }),
  },
  'channels.list': { input: none, output: z.array(channelView) },
  'channels.check': { input: z.strictObject({ id: z.string().min(1).max(200) }), output: channelView },
  'conversations.list': {
    input: z.strictObject({ status: conversationStatus }),
    output: z.array(conversationSummary),
  },
} as const;

export const events = {
  'channels.state': z.object({ id: z.string(), state: channelState }),
} as const;

export type RequestChannel = keyof typeof requests;
export type RequestInput<C extends RequestChannel> = z.input<(typeof requests)[C]['input']>;
export type RequestOutput<C extends RequestChannel> = z.output<(typeof requests)[C]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type ApiError = z.output<typeof apiError>;
export type ErrorCode = ApiError['code'];
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type ChannelState = z.output<typeof channelState>;
export type ChannelView = z.output<typeof channelView>;
export type ConversationStatus = z.output<typeof conversationStatus>;
export type ConversationSummary = z.output<typeof conversationSummary>;
export type Lang = z.output<typeof lang>;

export function isRequestChannel(name: string): name is RequestChannel {
  return Object.hasOwn(requests, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
