// PDFs for the viewer, drawn by pdf.js inside this page (never by the browser's own PDF plug-in,
// which would run the file's JavaScript). Nothing in the file runs: pdf.js compiles nothing from
// it (isEvalSupported: false), has no scripting sandbox here (that lives in pdf.js's viewer,
// which Postdesk does not use), XFA forms stay off, and no annotation layer is built, so a link
// or a JavaScript action in the file is not even an element of the page. Pages are drawn on a
// canvas with a transparent text layer above (text can be selected and copied, screen readers
// read it). The parsing runs in pdf.js's worker, bundled by Vite and loaded from our own origin.
// Loaded only when a PDF is opened (PdfView imports it dynamically).
import { AnnotationMode, getDocument, GlobalWorkerOptions, TextLayer, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** pdf.js's data files, copied into the build at fixed names (vite.config.ts, pdfjsData). */
const dataFolder = (name: string) => new URL(`pdfjs/${name}/`, document.baseURI).href;

/** A picture in a PDF larger than this many pixels is not drawn: decoded, it would take gigabytes. */
const MAX_IMAGE_PIXELS = 100_000_000;
/** A page's canvas holds at most this many pixels (64 MB); zoomed in further, it is drawn coarser and stretched. */
const MAX_CANVAS_PIXELS = 16 * 1024 * 1024;

export type PdfFailure = 'password' | 'unreadable';

export class PdfOpenError extends Error {
  constructor(readonly reason: PdfFailure) {
    super(reason);
  }
}

export interface PdfDocument {
  pageCount: number;
  page(number: number): Promise<PDFPageProxy>;
  close(): void;
}

/** Opens a PDF from its bytes (which pdf.js takes over); rejects with PdfOpenError. */
export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const task = getDocument({
    data: bytes,
    isEvalSupported: false,
    enableXfa: false,
    // The page's CSP has no 'wasm-unsafe-eval': pdf.js decodes JPEG 2000 with its JavaScript
    // decoder (found under wasmUrl) and JBIG2 and CCITT with its own; ICC profiles are ignored.
    useWasm: false,
    wasmUrl: dataFolder('wasm'),
    cMapUrl: dataFolder('cmaps'),
    standardFontDataUrl: dataFolder('standard_fonts'),
    maxImageSize: MAX_IMAGE_PIXELS,
  });
  let pdf: PDFDocumentProxy;
  try {
    pdf = await task.promise;
  } catch (error) {
    void task.destroy();
    // pdf.js does not export the class; its name is part of its API (onPassword's callers check it).
    throw new PdfOpenError((error as Error | null)?.name === 'PasswordException' ? 'password' : 'unreadable');
  }
  return {
    pageCount: pdf.numPages,
    page: (n) => pdf.getPage(n),
    close() {
      void task.destroy();
      // The text layer's measuring canvases and caches outlive a document otherwise.
      TextLayer.cleanup();
    },
  };
}

export interface DrawnPage {
  /** The page's size at this scale, in CSS pixels. */
  width: number;
  height: number;
  /** Stops drawing and frees the canvas. */
  release(): void;
}

/** Draws one page into `into` (emptied first) at `scale` (1 = 72 dpi), sharp on the screen's pixel ratio. */
export function drawPage(page: PDFPageProxy, into: HTMLElement, scale: number, label: string): DrawnPage {
  const viewport = page.getViewport({ scale });
  const ratio = Math.min(window.devicePixelRatio || 1, Math.sqrt(MAX_CANVAS_PIXELS / (viewport.width * viewport.height)));
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${viewport.width}px`;
  canvas.style.height = `${viewport.height}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const text = document.createElement('div');
  text.className = 'textLayer';
  into.replaceChildren(canvas, text);
  // The text layer sizes itself and its glyphs from this variable (pdf.js's pdf_viewer.css does the same).
  into.style.setProperty('--total-scale-factor', String(scale));

  const drawing = page.render({
    canvas,
    viewport,
    transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
    // Appearance streams only (a stamp, a filled-in field): drawn, never interactive.
    annotationMode: AnnotationMode.ENABLE,
  });
  const textLayer = new TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport });
  // Cancelled when the page is let go; a page pdf.js cannot draw stays blank, the others are drawn.
  Promise.all([drawing.promise, textLayer.render()]).catch(() => undefined);
  return {
    width: viewport.width,
    height: viewport.height,
    release() {
      drawing.cancel();
      textLayer.cancel();
      // A zero-sized canvas gives its pixels back at once, not when it is collected.
      canvas.width = 0;
      canvas.height = 0;
      into.replaceChildren();
      page.cleanup();
    },
  };
}
