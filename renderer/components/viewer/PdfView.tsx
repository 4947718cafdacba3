import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { AttachmentView } from '../../../preload/contract';
import { useApi } from '../../stores/context';
import type { drawPage as DrawPage, DrawnPage, PdfDocument } from '../../pdf-document';
import { useApp } from '../../stores/app';
import type { Zoom } from './ImageView';
import { Loading } from './Loading';
import { NoPreview, type NoPreviewReason } from './NoPreview';

/** Larger PDFs are downloaded and opened in a PDF reader: the page holds the bytes while pdf.js reads them. */
const MAX_PDF_BYTES = 100 * 1024 * 1024;
/** Pages this far (in stage heights) above or below what is visible are drawn ahead; farther ones are let go. */
const DRAW_AHEAD = '50% 0px';

interface Loaded {
  pdf: PdfDocument;
  /** The first page's size at scale 1; every page is laid out so until it is drawn. */
  firstPage: { width: number; height: number };
  /** renderer/pdf-document.ts's drawPage, from the chunk loaded with the PDF. */
  draw: typeof DrawPage;
}

/** The bytes come by opaque id from our own route (an infected file is refused there too), never by path. */
async function loadPdf(file: AttachmentView, url: string): Promise<Loaded> {
  if (file.size > MAX_PDF_BYTES) throw 'too_large';
  const response = await fetch(url, { credentials: 'same-origin' });
  // 403: main's check, done as the file was asked for, found a virus (the history learns it from attachments.checked).
  if (response.status === 403) throw 'blocked';
  if (!response.ok) throw { failed: await response.text() };
  const bytes = new Uint8Array(await response.arrayBuffer());
  // pdf.js is loaded with the first PDF opened, not with the app.
  const { openPdf, drawPage } = await import('../../pdf-document');
  const pdf = await openPdf(bytes);
  try {
    const { width, height } = (await pdf.page(1)).getViewport({ scale: 1 });
    return { pdf, firstPage: { width, height }, draw: drawPage };
  } catch (error) {
    pdf.close();
    throw error;
  }
}

function reasonOf(error: unknown): NoPreviewReason {
  if (error === 'too_large' || error === 'blocked') return error;
  if (error instanceof Error && 'reason' in error) return error.reason === 'password' ? 'password' : 'unreadable';
  if (typeof error === 'object' && error && 'failed' in error) return error as { failed: string };
  return { failed: String((error as Error)?.message ?? error) };
}

/** A PDF, page under page, drawn by pdf.js (renderer/pdf-document.ts) as the operator scrolls. */
export function PdfView({ file, zoom }: { file: AttachmentView; zoom: Zoom }) {
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<NoPreviewReason | null>(null);

  useEffect(() => {
    let current = true;
    let opened: PdfDocument | null = null;
    loadPdf(file, api.fileUrl(file.id)).then(
      (result) => {
        opened = result.pdf;
        if (current) setLoaded(result);
        else result.pdf.close();
      },
      (error: unknown) => current && setFailure(reasonOf(error)),
    );
    return () => {
      current = false;
      opened?.close();
    };
  }, [file]);

  if (failure) return <NoPreview file={file} reason={failure} />;
  if (!loaded) return <Loading />;
  return <PdfPages file={file} {...loaded} zoom={zoom} />;
}

function PdfPages({ file, pdf, firstPage, draw: drawPage, zoom }: { file: AttachmentView; zoom: Zoom } & Loaded) {
  const t = useApp((s) => s.t);
  const stage = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [current, setCurrent] = useState(1);
  const currentPage = useRef(1);
  useEffect(() => {
    currentPage.current = current;
  }, [current]);
  // Fit: the page as wide as the stage; a zoom is a multiple of that. Rounded, so a resize by a pixel does not redraw.
  const scale = width > 0 ? Math.round((width / firstPage.width) * (zoom === 'fit' ? 1 : zoom) * 100) / 100 : 0;

  useLayoutEffect(() => {
    const element = stage.current!;
    const measure = () => {
      const style = getComputedStyle(element);
      setWidth(element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Only the pages near what is visible are drawn; one scrolled far away gives its canvas back.
  useEffect(() => {
    const root = stage.current!;
    if (scale <= 0) return;
    const drawn = new Map<number, DrawnPage>();
    const near = new Set<number>();
    let stopped = false;
    const draw = async (element: HTMLElement, number: number) => {
      const page = await pdf.page(number);
      if (stopped || !near.has(number) || drawn.has(number)) return;
      const result = drawPage(page, element, scale, t('viewer.pdf.pageLabel', { page: number }));
      if (stopped || !near.has(number)) return result.release();
      drawn.set(number, result);
      // A page of another size than the first takes its own.
      element.style.width = `${result.width}px`;
      element.style.height = `${result.height}px`;
    };
    const release = (number: number) => {
      drawn.get(number)?.release();
      drawn.delete(number);
    };
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const element = entry.target as HTMLElement;
          const number = Number(element.dataset.page);
          if (entry.isIntersecting) {
            near.add(number);
            void draw(element, number);
          } else {
            near.delete(number);
            release(number);
          }
        }
      },
      { root, rootMargin: DRAW_AHEAD },
    );
    for (const element of root.querySelectorAll<HTMLElement>('[data-page]')) observer.observe(element);
    return () => {
      stopped = true;
      observer.disconnect();
      for (const number of drawn.keys()) release(number);
    };
  }, [pdf, drawPage, scale, t]);

  /** The page whose top has passed the upper third of the stage (the last one at the very bottom). */
  const follow = useCallback(() => {
    const root = stage.current!;
    if (root.scrollTop + root.clientHeight >= root.scrollHeight - 1) return setCurrent(pdf.pageCount);
    const line = root.scrollTop + root.clientHeight / 3;
    let page = 1;
    for (const element of root.querySelectorAll<HTMLElement>('[data-page]')) {
      if (element.offsetTop > line) break;
      page = Number(element.dataset.page);
    }
    setCurrent(page);
  }, [pdf]);

  const goTo = useCallback((page: number) => {
    const root = stage.current!;
    const target = root.querySelector<HTMLElement>(`[data-page="${page}"]`);
    if (!target) return;
    root.scrollTop = target.offsetTop - parseFloat(getComputedStyle(root).paddingTop);
    setCurrent(page);
  }, []);

  // A new zoom (or a resized window) keeps the page the operator was reading in view.
  useLayoutEffect(() => {
    if (scale > 0) goTo(currentPage.current);
  }, [scale, goTo]);

  const pages = Array.from({ length: pdf.pageCount }, (_, i) => i + 1);
  return (
    <>
      <div className="viewer-pagebar">
        <button className="button" aria-label={t('viewer.pdf.previousPage')} disabled={current <= 1} onClick={() => goTo(current - 1)}>
          ↑
        </button>
        <span role="status">{t('viewer.pdf.page', { page: current, count: pdf.pageCount })}</span>
        <button className="button" aria-label={t('viewer.pdf.nextPage')} disabled={current >= pdf.pageCount} onClick={() => goTo(current + 1)}>
          ↓
        </button>
      </div>
      <div ref={stage} className="viewer-stage viewer-solid viewer-scroll pdf-pages" role="region" aria-label={t('viewer.pdf.pages', { name: file.fileName })} tabIndex={0} onScroll={follow}>
        {scale > 0 &&
          pages.map((page) => (
            <div key={page} className="pdf-page" data-page={page} style={{ width: firstPage.width * scale, height: firstPage.height * scale }} />
          ))}
      </div>
    </>
  );
}
