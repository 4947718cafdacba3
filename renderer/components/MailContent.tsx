import { useEffect, useLayoutEffect, useRef } from 'react';
import { activatedLink, mountMail, type MailLink } from '../mail-mount';
import type { SanitizedMail } from '../sanitize';

/** A sanitized mail in a shadow root of its own; a click or Enter on one of its links asks onLink. */
export function MailContent({ mail, onLink }: { mail: SanitizedMail; onLink(link: MailLink): void }) {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = host.current!;
    mountMail(element.shadowRoot ?? element.attachShadow({ mode: 'open' }), mail);
  }, [mail]);
  useEffect(() => {
    const root = host.current!.shadowRoot!;
    const activate = (event: Event) => {
      const link = activatedLink(event);
      if (!link) return;
      event.preventDefault();
      onLink(link);
    };
    root.addEventListener('click', activate);
    root.addEventListener('keydown', activate);
    return () => {
      root.removeEventListener('click', activate);
      root.removeEventListener('keydown', activate);
    };
  }, [onLink]);
  return <div className="message-html" ref={host} />;
}
