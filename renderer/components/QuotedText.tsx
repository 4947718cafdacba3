import { useId, useState } from 'react';
import type { MessageView } from '../../preload/contract';
import { useApp } from '../stores/app';

/** What an answer quotes of the client's message, folded under "Show quoted text" (in the reply being written and in the history). */
export function QuotedText({ quote }: { quote: NonNullable<MessageView['quote']> }) {
  const t = useApp((s) => s.t);
  const [shown, setShown] = useState(false);
  const id = useId();
  return (
    <div className="quoted">
      <button type="button" className="link-button" aria-expanded={shown} aria-controls={shown ? id : undefined} onClick={() => setShown(!shown)}>
        {t('composer.showQuote')}
      </button>
      {shown && (
        <blockquote id={id} className="quoted-text">
          <p className="quoted-attribution">{quote.attribution}</p>
          {quote.text}
        </blockquote>
      )}
    </div>
  );
}
