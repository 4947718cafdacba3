import { useEffect, useRef, type ClipboardEvent, type DragEvent, type KeyboardEvent } from 'react';
import { useApp } from '../stores/app';
import { sendReply, useComposer } from '../stores/composer';
import type { DraftState } from '../stores/draft-store';
import { AttachButton } from './AttachButton';
import { DraftFiles, useDraftCheck } from './DraftFiles';
import { ReplyRecipient } from './ReplyRecipient';
import { SendConfirm } from './SendConfirm';

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

/** The reply field with its attachments, fed by the one policy from the config. */
export function Composer() {
  const t = useApp((s) => s.t);
  const { draft, text, busy, error, failedToSend, focusRequest, type, pick, attach, remove, removeInvalid, recheck, chooseRecipient } = useComposer();
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
      <DraftFiles
        files={draft.files}
        check={check}
        remove={(id) => void remove(id)}
        removeInvalid={() => void removeInvalid()}
        recheck={() => void recheck()}
        focusAfterLast={() => field.current?.focus()}
      />
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
        <button type="submit" className="button primary" disabled={!check.canSend || busy}>
          {t('composer.send')}
        </button>
      </div>
      {error && (
        <p role="alert" className="file-hint">
          {failedToSend ? t('composer.sendFailed', { message: error }) : error}
        </p>
      )}
      <SendConfirm />
    </form>
  );
}
