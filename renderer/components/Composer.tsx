import { useEffect, useRef, type ClipboardEvent, type DragEvent, type KeyboardEvent } from 'react';
import { useApp } from '../stores/app';
import { useComposer, useReply } from '../stores/composer';
import type { DraftState } from '../stores/draft-store';
import { AttachButton } from './AttachButton';
import { DraftFiles, useDraftCheck } from './DraftFiles';
import { QuotedText } from './QuotedText';
import { ReplyRecipient } from './ReplyRecipient';
import { SendConfirm } from './SendConfirm';
import { TemplatePicker } from './TemplatePicker';

/** Drop and paste of files, for any draft's form and text field. */
export function fileDropHandlers(attach: DraftState['attach']) {
  return {
    onDragOver: (e: DragEvent) => e.preventDefault(),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      void attach([...e.dataTransfer.files]);
    },
    onPaste: (e: ClipboardEvent) => {
      if (e.clipboardData.files.length === 0) return;
      e.preventDefault();
      void attach([...e.clipboardData.files]);
    },
  };
}

/** Ctrl+Enter (⌘+Enter on a Mac) in a message field sends, as in every mail and chat program. */
export function sendOnCtrlEnter(send: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    send();
  };
}

/** `text` with `words` put where the field's cursor is (at the end when the field never had the focus). */
export function atCursor(field: HTMLTextAreaElement | null, text: string, words: string): string {
  const at = field && document.activeElement === field ? field.selectionStart : (field?.selectionStart ?? text.length);
  const end = field?.selectionEnd ?? at;
  return text.slice(0, at) + words + text.slice(end);
}

/** The lines that go under the text when it is sent, shown before they go. */
export function SignatureLines({ signature }: { signature: string | null }) {
  if (!signature) return null;
  return <p className="signature-lines">{`-- \n${signature}`}</p>;
}

/** The reply field with its attachments, fed by the one policy from the config. */
export function Composer() {
  const t = useApp((s) => s.t);
  const state = useComposer();
  const sendReply = useReply().send;
  const { draft, text, busy, error, failedToSend, focusRequest, type, pick, attach, chooseRecipient, shown } = state;
  const check = useDraftCheck(draft, text);
  const { onDragOver, onDrop, onPaste } = fileDropHandlers(attach);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (focusRequest > 0) field.current?.focus();
  }, [focusRequest]);

  if (!draft) return null;
  const send = () => {
    if (check.canSend && !busy) void sendReply();
  };
  return (
    <form
      className="composer"
      aria-label={t('composer.label')}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <ReplyRecipient draft={draft} choose={(address) => void chooseRecipient(address)} />
      <DraftFiles files={draft.files} check={check} actions={state} focusAfterLast={() => field.current?.focus()} />
      <div className="composer-row">
        <textarea
          ref={field}
          aria-label={t('composer.message')}
          placeholder={t('composer.placeholder')}
          value={text}
          rows={3}
          onChange={(e) => type(e.target.value)}
          onPaste={onPaste}
          onKeyDown={sendOnCtrlEnter(send)}
        />
        <AttachButton pick={() => void pick()} attach={(f) => void attach(f)} />
        <TemplatePicker draft={draft} insertText={(words) => type(atCursor(field.current, text, words))} attached={shown} />
        <button type="submit" className="button primary" disabled={!check.canSend || busy}>
          {t('composer.send')}
        </button>
      </div>
      <SignatureLines signature={draft.signature} />
      {draft.quote && <QuotedText quote={draft.quote} />}
      {error && (
        <p role="alert" className="file-hint">
          {failedToSend ? t('composer.sendFailed', { message: error }) : error}
        </p>
      )}
      <SendConfirm />
    </form>
  );
}
