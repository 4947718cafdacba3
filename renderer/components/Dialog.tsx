import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useApp } from '../stores/app';

interface Props {
  title: string;
  onClose(): void;
  children: ReactNode;
}

/**
 * A modal window on the platform's <dialog>: it keeps focus inside, makes the page behind it
 * inert and closes on Esc, with nothing of ours to get wrong.
 */
export function Dialog({ title, onClose, children }: Props) {
  const t = useApp((s) => s.t);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current!;
    // What opened the dialog gets the focus back when it closes, not the page's body.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // React's autoFocus runs while the dialog is still closed (nothing in it can take focus
    // then), so fields that should have the focus at opening say so with data-autofocus.
    dialog.querySelector<HTMLElement>('[data-autofocus="true"]')?.focus();
    return () => {
      dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label={t('viewer.close')} onClick={onClose}>
          ✕
        </button>
      </header>
      {children}
    </dialog>
  );
}
