// Runs in the test page (bundled by tests/e2e/mail-sanitizer.spec.ts): the real sanitizer and
// mount code on Chromium's own parsers, with a report the spec can read as plain data.
import { mountMail } from '../../renderer/mail-mount';
import { sanitizeMail } from '../../renderer/sanitize';
import type { MailHarness } from '../support/mail-outcome';

const INLINE_LOGO = 'data:image/png;base64,iVBORw0KGgo=';

function root(): ShadowRoot {
  const host = document.getElementById('host')!;
  return host.shadowRoot ?? host.attachShadow({ mode: 'open' });
}

export const harness: MailHarness = {
  run(html, { consent, remoteHost, consented }) {
    const mail = sanitizeMail(html, {
      cidUrl: (cid) => (cid === 'logo@client' ? INLINE_LOGO : null),
      remoteImageUrl: consent ? (url) => consented + encodeURIComponent(url) : null,
    });
    mountMail(root(), mail);
    const elements = [...root().querySelectorAll('*')];
    return {
      ...mail,
      remoteAttributes: elements.flatMap((e) =>
        [...e.attributes].filter((a) => a.value.includes(remoteHost) && !a.value.startsWith(consented)).map((a) => `${e.localName}@${a.name}=${a.value}`),
      ),
      imageSources: elements.filter((e) => e.localName === 'img').map((e) => e.getAttribute('src') ?? ''),
      linkHrefs: root().querySelectorAll('[href]').length,
    };
  },
  settle: () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  computed(selector, property) {
    const element = selector === ':host' ? document.getElementById('host')! : root().querySelector(selector)!;
    return getComputedStyle(element).getPropertyValue(property);
  },
  links: () => [...root().querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('data-postdesk-link'), a.getAttribute('role')]),
  click: (selector) => (root().querySelector(selector) as HTMLElement).click(),
  load: (url) => document.body.append(Object.assign(new Image(), { src: url })),
};
