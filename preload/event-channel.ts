/** Events travel on their own IPC channel names so they can never be mistaken for requests. */
export const EVENT_PREFIX = 'postdesk-event:';
