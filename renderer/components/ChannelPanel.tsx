import { useEffect } from 'react';
import type { ChannelState } from '../../preload/contract';
import type { Failure } from '../../common/failure';
import type { Translate } from '../../common/i18n';
import { useFailureText } from '../failure-text';
import { useApp } from '../stores/app';
import { useChannels } from '../stores/channels';

function describe(state: ChannelState, t: Translate, reason: (f: Failure) => string): string {
  switch (state.kind) {
    case 'syncing':
      return t('channels.state.syncing', { done: state.done, total: state.total });
    case 'error':
      return t('channels.state.error', { reason: reason(state.reason) });
    default:
      return t(`channels.state.${state.kind}`);
  }
}

export function ChannelPanel() {
  const t = useApp((s) => s.t);
  const { channels, load, check } = useChannels();
  const reason = useFailureText();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="channels" aria-labelledby="channels-title">
      <h2 id="channels-title">{t('channels.title')}</h2>
      {channels.length === 0 ? (
        <p className="empty">{t('channels.empty')}</p>
      ) : (
        <ul aria-labelledby="channels-title">
          {channels.map((c) => (
            <li key={c.id} className={`channel channel-${c.state.kind}`}>
              <span className="channel-name">{c.name}</span>
              <span className="channel-address">{c.address}</span>
              <span className="channel-state" role="status">
                {describe(c.state, t, reason)}
              </span>
              <span className={`channel-smtp channel-smtp-${c.smtp.kind}`} role="status">
                {c.smtp.kind === 'error' ? t('channels.smtp.error', { reason: reason(c.smtp.reason) }) : t(`channels.smtp.${c.smtp.kind}`)}
              </span>
              {c.team === 'offline' && c.state.kind !== 'unchecked' && c.state.kind !== 'connecting' && (
                <span className="team-state">{t('channels.team.offline')}</span>
              )}
              {c.claims === 'unavailable' && <span className="team-state">{t('channels.team.noClaims')}</span>}
              <button
                className="icon-button"
                aria-label={t('channels.check', { name: c.name })}
                title={t('channels.check', { name: c.name })}
                disabled={c.state.kind === 'connecting'}
                onClick={() => void check(c.id)}
              >
                ↻
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
