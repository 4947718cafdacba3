import { useState } from 'react';
import { formatSize } from '../../common/size';
import type { MessageView } from '../../preload/contract';
import { useApi } from '../stores/context';
import { useApp } from '../stores/app';
import { useHistory } from '../stores/history';

export interface WholeBody {
  html: string | null;
  text: string | null;
}

type Loading = { kind: 'idle' } | { kind: 'loading' } | { kind: 'too-large'; limit: number } | { kind: 'failed'; reason: string };

/**
 * Over a message whose text the history keeps only in part (bodyTruncated): says so, and
 * "Show the whole message" reads the whole text from the original. One too large even for that
 * says so and offers the original to save.
 */
export function BodyTruncatedNote({ message, onWhole }: { message: MessageView; onWhole(body: WholeBody): void }) {
  const api = useApi();
  const t = useApp((s) => s.t);
  const lang = useApp((s) => s.lang);
  const saveOriginal = useHistory((s) => s.saveOriginal);
  const [loading, setLoading] = useState<Loading>({ kind: 'idle' });

  async function showWhole() {
    setLoading({ kind: 'loading' });
    const result = await api.messages.fullBody({ messageId: message.id });
    if (!result.ok) return setLoading({ kind: 'failed', reason: result.error.message });
    if (result.value.tooLarge) return setLoading({ kind: 'too-large', limit: result.value.limit });
    onWhole({ html: result.value.html, text: result.value.text });
  }

  return (
    <div className="body-truncated">
      {loading.kind === 'too-large' ? (
        <p>
          {t('message.wholeTooLarge', { size: formatSize(loading.limit, lang) })}{' '}
          <button className="button" onClick={() => void saveOriginal(message.id)}>
            {t('message.saveOriginal')}
          </button>
        </p>
      ) : (
        <p>
          {t('message.bodyTruncated')}{' '}
          <button className="button" disabled={loading.kind === 'loading'} onClick={() => void showWhole()}>
            {t('message.showWhole')}
          </button>
          {loading.kind === 'loading' && <span role="status"> {t('message.loadingWhole')}</span>}
        </p>
      )}
      {loading.kind === 'failed' && <p role="alert">{t('message.wholeFailed', { reason: loading.reason })}</p>}
    </div>
  );
}
