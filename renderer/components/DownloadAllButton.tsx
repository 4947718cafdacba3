import { useEffect, useRef, useState } from 'react';
import type { MessageView, SaveAllMode } from '../../preload/contract';
import { useApp } from '../stores/app';
import { useHistory } from '../stores/history';

/** "Download all files" in the message's default way, with a small menu offering the other. */
export function DownloadAllButton({ message }: { message: MessageView }) {
  const t = useApp((s) => s.t);
  const saveAll = useHistory((s) => s.saveAll);
  const progress = useHistory((s) => s.saving[message.id]);
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open]);

  const choose = (mode: SaveAllMode) => {
    setOpen(false);
    void saveAll(message.id, mode);
  };
  const percent = progress && progress.total > 0 && progress.done < progress.total ? Math.floor((progress.done / progress.total) * 100) : null;

  return (
    <div className="download-all">
      <button className="button" onClick={() => void saveAll(message.id)}>
        {t('attachments.downloadAll')}
      </button>
      <button
        className="button menu-toggle"
        aria-label={t('attachments.moreWays')}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        ▾
      </button>
      {open && (
        <ul
          ref={menu}
          role="menu"
          aria-label={t('attachments.downloadAll')}
          className="menu"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          <li role="menuitem" tabIndex={-1} onClick={() => choose('zip')} onKeyDown={(e) => e.key === 'Enter' && choose('zip')}>
            {t('attachments.asZip')}
          </li>
          <li role="menuitem" tabIndex={-1} onClick={() => choose('folder')} onKeyDown={(e) => e.key === 'Enter' && choose('folder')}>
            {t('attachments.toFolder')}
          </li>
        </ul>
      )}
      {percent !== null && (
        <span className="save-progress" role="status">
          {t('attachments.progress', { percent })}
        </span>
      )}
    </div>
  );
}
