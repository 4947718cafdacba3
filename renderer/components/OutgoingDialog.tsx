import { useRef, useState } from 'react';
import { parseAddressList } from '../../common/client-fields';
import type { ClientView } from '../../preload/contract';
import { useApp } from '../stores/app';
import { useChannels } from '../stores/channels';
import { availableChannels, useOutgoing, useOutgoingDraft } from '../stores/outgoing';
import { AttachButton } from './AttachButton';
import { atCursor, fileDropHandlers, sendOnCtrlEnter, SignatureLines } from './Composer';
import { TemplatePicker } from './TemplatePicker';
import { Dialog } from './Dialog';
import { DraftFiles, useDraftCheck } from './DraftFiles';

/** Step 1: the channel, and an address for a client who has none. */
function ChannelStep({ client }: { client: ClientView }) {
  const t = useApp((s) => s.t);
  const channels = availableChannels(useChannels((s) => s.channels));
  const { channelId, error, chooseChannel, addEmail, next, close } = useOutgoing();
  const [email, setEmail] = useState('');
  const chosen = channelId ?? (channels.length === 1 ? channels[0]!.id : null);
  const canGoOn = chosen !== null && channels.some((c) => c.id === chosen) && client.email !== null;
  return (
    <form
      className="dialog-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (canGoOn) void next(chosen);
      }}
    >
      {channels.length === 0 ? (
        <p role="alert">{t('outgoing.noChannels')}</p>
      ) : (
        <fieldset className="channel-choice">
          <legend>{t('outgoing.channel')}</legend>
          {channels.map((c) => (
            <label key={c.id} className="radio">
              <input type="radio" name="channel" value={c.id} checked={chosen === c.id} onChange={() => chooseChannel(c.id)} aria-label={c.name} />
              <span>{c.name}</span> <span className="channel-name">{c.address}</span>
            </label>
          ))}
        </fieldset>
      )}
      {client.email === null && (
        <div className="no-email">
          <p role="alert">{t('outgoing.noEmail', { name: client.name })}</p>
          <label className="field">
            <span>{t('client.email')}</span>
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <button type="button" className="button" onClick={() => void addEmail(email)}>
            {t('outgoing.addEmail')}
          </button>
          {error && <p className="file-hint">{error}</p>}
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => void close()}>
          {t('dialog.cancel')}
        </button>
        {/* With the channel chosen for them, Enter goes on at once (also on coming Back). */}
        <button type="submit" className="button primary" disabled={!canGoOn} autoFocus={canGoOn} data-autofocus={canGoOn}>
          {t('outgoing.next')}
        </button>
      </div>
    </form>
  );
}

/** Step 2: subject, text, BCC and files under the same rules as a reply. */
function ComposeStep() {
  const t = useApp((s) => s.t);
  const state = useOutgoingDraft();
  const { draft, text, subject, bcc, busy, error, failedToSend, type, setSubject, setBcc, pick, attach, shown } = state;
  const { client, back, send } = useOutgoing();
  const check = useDraftCheck(draft, text);
  const badBcc = parseAddressList(bcc).invalid;
  const canSend = check.canSend && badBcc.length === 0 && !busy;
  const { onDragOver, onDrop, onPaste } = fileDropHandlers(attach);
  const message = useRef<HTMLTextAreaElement>(null);
  // A message with no subject is easy for the client to overlook: Send asks once.
  const [noSubjectAsked, setNoSubjectAsked] = useState(false);
  const trySend = (withoutSubject = false) => {
    if (!canSend) return;
    if (!subject.trim() && !withoutSubject) return setNoSubjectAsked(true);
    setNoSubjectAsked(false);
    void send();
  };
  if (!draft) return error ? <p role="alert">{error}</p> : null;
  return (
    <form
      className="dialog-form outgoing-form"
      onSubmit={(e) => {
        e.preventDefault();
        trySend();
      }}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <label className="field">
        <span>{t('outgoing.subject')}</span>
        <input
          type="text"
          value={subject}
          onChange={(e) => {
            setSubject(e.target.value);
            setNoSubjectAsked(false);
          }}
          autoFocus
        />
      </label>
      <label className="field">
        <span>{t('composer.message')}</span>
        <textarea
          ref={message}
          rows={6}
          placeholder={t('outgoing.placeholder')}
          value={text}
          onChange={(e) => type(e.target.value)}
          onPaste={onPaste}
          onKeyDown={sendOnCtrlEnter(() => trySend())}
        />
      </label>
      <SignatureLines signature={draft.signature} />
      <label className="field">
        <span>{t('outgoing.bcc')}</span>
        <input
          type="text"
          inputMode="email"
          placeholder={t('outgoing.bccPlaceholder')}
          value={bcc}
          aria-invalid={badBcc.length > 0 ? true : undefined}
          aria-describedby={badBcc.length > 0 ? 'bcc-hint' : undefined}
          onChange={(e) => setBcc(e.target.value)}
        />
        {badBcc.length > 0 && (
          <span id="bcc-hint" className="file-hint">
            {t('outgoing.bccInvalid', { addresses: badBcc.join(', ') })}
          </span>
        )}
      </label>
      <DraftFiles files={draft.files} check={check} actions={state} focusAfterLast={() => message.current?.focus()} />
      {noSubjectAsked && (
        <div role="alert" className="no-subject">
          <p>{t('outgoing.noSubject')}</p>
          <button type="button" className="button" onClick={() => trySend(true)}>
            {t('outgoing.sendWithoutSubject')}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="file-hint">
          {failedToSend ? t('composer.sendFailed', { message: error }) : error}
        </p>
      )}
      {draft.waiting && (
        // Said before Send, and read out with it: this message does not move the conversation to Completed.
        <p id="outgoing-waiting" className="dialog-note">
          {t(draft.waiting.unread ? 'outgoing.waiting.unread' : 'outgoing.waiting.unanswered', { name: client?.name ?? '' })}
        </p>
      )}
      <div className="dialog-actions">
        <AttachButton pick={() => void pick()} attach={(f) => void attach(f)} />
        <TemplatePicker draft={draft} insertText={(words) => type(atCursor(message.current, text, words))} attached={shown} />
        <span className="spacer" />
        <button type="button" className="button" onClick={() => void back()}>
          {t('outgoing.back')}
        </button>
        <button type="submit" className="button primary" disabled={!canSend} aria-describedby={draft.waiting ? 'outgoing-waiting' : undefined}>
          {t('composer.send')}
        </button>
      </div>
    </form>
  );
}

/** "New outgoing message" to the client chosen in the search (or just created). */
export function OutgoingDialog() {
  const t = useApp((s) => s.t);
  const { client, step, close } = useOutgoing();
  if (!client) return null;
  return (
    <Dialog title={t('outgoing.title')} onClose={() => void close()}>
      <p className="dialog-subtitle">
        {t('outgoing.to', { name: client.name })}
        {client.email && <span className="channel-name"> &lt;{client.email}&gt;</span>}
      </p>
      {step === 'channel' ? <ChannelStep client={client} /> : <ComposeStep />}
    </Dialog>
  );
}
