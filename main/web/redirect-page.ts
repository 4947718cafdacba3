function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A page that goes on to `url` at once, without a script (the CSP allows none inline). A
 * navigation it starts comes from the page's own origin, so the browser sends SameSite=Strict
 * cookies with it, which it does not do for a redirect that began on another site or a file.
 */
export function redirectPage(url: string): string {
  const href = escapeHtml(url);
  return [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${href}">`,
    '<title>Postdesk</title>',
    `<p><a href="${href}">Open Postdesk</a></p>`,
    '',
  ].join('\n');
}
