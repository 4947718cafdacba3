// html-to-text 10 ships no types (mailparser brings it; we use it to quote an HTML-only mail).
// This declares only what Postdesk calls.
declare module 'html-to-text' {
  export function convert(html: string, options?: Record<string, unknown>): string;
}
