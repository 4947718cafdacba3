// Converts one Word document to HTML with mammoth, in a worker thread of its own (started by
// docx-preview.ts). mammoth holds every XML part as a DOM, about 2 KB of heap per element, and
// takes seconds on a long document: here that heap has a ceiling of its own (the worker's
// resourceLimits) and the main process goes on serving the page and the mailboxes meanwhile.
// Plain JavaScript, because a worker's entry is loaded by Node itself: from source (tsx),
// under vitest and from the Electron build alike, where no TypeScript loader reaches a worker.
//
// In: workerData { zip: Uint8Array (stored entries only, checked by zip-parts.ts),
//   pictureChars: number, pictureUrl: { source, flags } (common/mail-urls.ts DATA_IMAGE_URL) }.
// Out: one message { html, picturesLeftOut } or { failed: message }.
import { Buffer } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import mammoth from 'mammoth';

const { zip, pictureChars, pictureUrl } = workerData;
const shownPicture = new RegExp(pictureUrl.source, pictureUrl.flags);

// Pictures count against the HTML's size as they are written: one referenced a thousand times
// is a thousand copies. mammoth leaves out a picture whose conversion throws, and goes on.
let budget = pictureChars;
let picturesLeftOut = 0;
const picture = mammoth.images.imgElement(async (image) => {
  const prefix = `data:${image.contentType};base64,`;
  if (!shownPicture.test(prefix)) {
    picturesLeftOut++;
    throw new Error(`a picture of type ${image.contentType} is not shown`);
  }
  const data = await image.readAsBase64String();
  budget -= prefix.length + data.length;
  if (budget < 0) {
    picturesLeftOut++;
    throw new Error('a picture past the size limit is not shown');
  }
  return { src: prefix + data };
});

try {
  // Only the default style map: a map inside the document could make it write other HTML.
  const { value } = await mammoth.convertToHtml(
    { buffer: Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength) },
    { convertImage: picture, includeEmbeddedStyleMap: false, externalFileAccess: false },
  );
  parentPort.postMessage({ html: value, picturesLeftOut });
} catch (error) {
  parentPort.postMessage({ failed: String(error?.message ?? error) });
}
