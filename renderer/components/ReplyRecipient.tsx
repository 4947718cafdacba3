import type { DraftView } from '../../preload/contract';
import { useApp } from '../stores/app';

interface Props {
  draft: DraftView;
  choose(address: string): void;
}

/** "Name <address>", or the address alone when we do not know whose it is. */
function formatRecipient({ name, address }: NonNullable<DraftView['recipient']>): string {
  return name ? `${name} <${address}>` : address;
}

/**
 * Where the reply will really go, always in view; and when the client's mail asks for replies
 * to go to another address than it came from, both addresses and the operator's choice.
 */
export function ReplyRecipient({ draft, choose }: Props) {
  const t = useApp((s) => s.t);
  const { recipient, replyToChoice: choice } = draft;
  return (
    <>
      <p className="composer-to">{recipient ? t('reply.to', { recipient: formatRecipient(recipient) }) : t('reply.noAddress')}</p>
      {choice && (
        <fieldset className="reply-to-choice">
          <legend>{t('reply.replyToWarning', { from: choice.from, replyTo: choice.replyTo })}</legend>
          {(['from', 'reply-to'] as const).map((which) => {
            const address = which === 'from' ? choice.from : choice.replyTo;
            return (
              <label key={which} className="radio">
                <input
                  type="radio"
                  name={`recipient-${draft.id}`}
                  checked={choice.chosen === which}
                  onChange={() => choose(address)}
                />
                {address}
              </label>
            );
          })}
        </fieldset>
      )}
    </>
  );
}
