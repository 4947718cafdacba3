// One Content-Security-Policy for every way the renderer is loaded: the built index.html
// carries it as a meta tag, the browser host and Electron's protocol handler send it as a header.
// No inline script, no eval, no remote anything — not even images: a mail's https images load,
// after Show images, from our own route that main fills (main/mail/remote-images.ts), so a
// sanitizer bug cannot make the page contact another host, before consent or after.
// Styles of a mail reach the page only through CSSOM (renderer/mail-mount.ts), never inline.
// Workers (pdf.js's, renderer/pdf-document.ts) fall back to script-src: our own origin only, no
// blob:. No 'wasm-unsafe-eval' either: pdf.js runs its JavaScript decoders instead.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: postdesk-file:",
  "font-src 'self'",
  // postdesk-file: the desktop app's attachment scheme, which the PDF viewer fetches a PDF's bytes
  // from (pdf.js reads them; main/app/protocol.ts lets only postdesk://app read them). No host.
  "connect-src 'self' postdesk-file:",
  "media-src 'self' postdesk-file:",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Directives browsers only honour from a header, not from a meta tag. */
export const HEADER_ONLY_CSP = "frame-ancestors 'none'";
