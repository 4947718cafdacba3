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
    if (!dialog.open) dialog.showModal();
    return () => dialog.close();
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
