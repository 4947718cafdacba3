// Main's fetch of a mail's remote images (after Show images), against a real HTTPS server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REMOTE_IMAGE, RemoteImages, remoteImageRequest } from '../../main/mail/remote-images';
import { fileUrls } from '../../common/file-urls';
import { startHttpsRecorder, type HttpsRecorder } from '../support/https-recorder';
import { PNG } from '../support/sample-files';

let server: HttpsRecorder;
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';

beforeAll(async () => {
  server = await startHttpsRecorder((p) => {
    if (p === '/logo.png') return { status: 200, type: 'image/png', body: PNG };
    if (p === '/lying.png') return { status: 200, type: 'image/png', body: '<html><script>alert(1)</script></html>' };
    if (p === '/vector.svg') return { status: 200, type: 'image/svg+xml', body: SVG };
    if (p === '/huge.png') return { status: 200, type: 'image/png', body: Buffer.concat([PNG, Buffer.alloc(MAX_REMOTE_IMAGE)]) };
    if (p === '/moved.png') return { status: 302, headers: { Location: '/logo.png' } };
    if (p === '/downgrade.png') return { status: 302, headers: { Location: 'http://127.0.0.1:9/logo.png' } };
    return { status: 404 };
  });
});
afterAll(() => server.stop());

function images(html = '<p>a mail</p>') {
  const messages = new Map<number, string>([[1, html], [2, html]]);
  return new RemoteImages({ htmlOf: (id) => messages.get(id), agent: server.agent });
}

describe('remote images of a mail, fetched by main', () => {
  it('fetches nothing before the operator allowed the image, then exactly that image of that message', async () => {
    const url = `${server.origin}/logo.png`;
    const remote = images();
    const before = server.hits.length;
    expect(await remote.fetch(1, url)).toBeNull();
    expect(server.hits.length).toBe(before);

    remote.allow(1, [url]);
    const image = await remote.fetch(1, url);
    expect(image?.mediaType).toBe('image/png');
    expect(image?.bytes.equals(PNG)).toBe(true);
    // Consent is per message and per image.
    expect(await remote.fetch(2, url)).toBeNull();
    expect(await remote.fetch(1, `${server.origin}/a.png?x=1&y=2`)).toBeNull();
    expect(server.hits.length).toBe(before + 1);
    const hit = server.hits.at(-1)!;
    expect(hit.path).toBe('/logo.png');
    expect(hit.headers.referer).toBeUndefined();
    expect(hit.headers.cookie).toBeUndefined();
  });

  it('refuses http and other schemes even when allowed, answers that are no raster image, oversize images and redirects to http', async () => {
    const urls = {
      http: `http://127.0.0.1:9/logo.png`,
      file: 'file:///etc/passwd',
      lying: `${server.origin}/lying.png`,
      svg: `${server.origin}/vector.svg`,
      huge: `${server.origin}/huge.png`,
      downgrade: `${server.origin}/downgrade.png`,
      missing: `${server.origin}/missing.png`,
    };
    const remote = images();
    remote.allow(1, Object.values(urls));
    for (const url of Object.values(urls)) expect(await remote.fetch(1, url), url).toBeNull();
  });

  it('follows an https redirect', async () => {
    const url = `${server.origin}/moved.png`;
    const remote = images();
    remote.allow(1, [url]);
    expect((await remote.fetch(1, url))?.bytes.equals(PNG)).toBe(true);
  });

  it('refuses consent for a message without HTML', () => {
    const remote = images('');
    expect(() => remote.allow(1, [`${server.origin}/logo.png`])).toThrow(/no HTML/);
    expect(() => remote.allow(99, [`${server.origin}/logo.png`])).toThrow(/no HTML/);
  });

  it('reads back the route the page builds, and nothing else', () => {
    const url = 'https://example.test/a b.png?x=1&y=/2';
    expect(remoteImageRequest(fileUrls.remoteImage(7, url).slice('/files/message'.length))).toEqual({ messageId: 7, url });
    expect(remoteImageRequest('/7/image/a/b')).toBeNull();
    expect(remoteImageRequest('/7/image/%E0%A4%A')).toBeNull();
    expect(remoteImageRequest('/x/image/a')).toBeNull();
  });
});
