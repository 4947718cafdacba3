// One Content-Security-Policy for every way the renderer is loaded: the built index.html
// carries it as a meta tag, the browser host and Electron's protocol handler send it as a header.
// No inline script, no eval, no remote anything; attachment bytes come from our own file route.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // Remote images in HTML mail stay blocked by the sanitizer until the operator asks for them.
  "img-src 'self' data: blob: postdesk-file: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' postdesk-file:",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Directives browsers only honour from a header, not from a meta tag. */
export const HEADER_ONLY_CSP = "frame-ancestors 'none'";
