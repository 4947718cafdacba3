import { useRef } from 'react';
import { dialogAccept } from '../../common/attachment-policy';
import { hasNativeDialogs } from '../api';
import { useApp } from '../stores/app';

interface Props {
  /** Desktop app: main shows the native dialog (allowed formats first). */
  pick(): void;
  /** Browser host: the files the page's own chooser returned. */
  attach(files: File[]): void;
}

/** "Attach files": the file dialog shows the allowed formats by default. */
export function AttachButton({ pick, attach }: Props) {
  const t = useApp((s) => s.t);
  const rules = useApp((s) => s.info!.attachmentRules);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label={t('composer.attach')}
        title={t('composer.attach')}
        onClick={() => (hasNativeDialogs ? pick() : input.current?.click())}
      >
        <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <path d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7L14 4.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3L15 7.5" />
        </svg>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept={dialogAccept(rules)}
        onChange={(e) => {
          attach([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
    </>
  );
}
