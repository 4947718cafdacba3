// The one policy for URLs found in mail, as both the page and main read it.
import { describe, expect, it } from 'vitest';
import { hostNamedBy, imageSource, linkTarget } from '../../common/mail-urls';
import { isVettedLink } from '../../main/host/external-url';

describe('links from mail', () => {
  it('keeps https, http and mailto, with the host in ASCII', () => {
    expect(linkTarget(' https://Bank.Example/a b ')).toEqual({ href: 'https://bank.example/a%20b', scheme: 'https', host: 'bank.example' });
    expect(linkTarget('http://plain.example')).toEqual({ href: 'http://plain.example/', scheme: 'http', host: 'plain.example' });
    expect(linkTarget('MAILTO:client@example.test')).toEqual({ href: 'mailto:client@example.test', scheme: 'mailto', host: null });
    expect(linkTarget('https://bаnk.example/')?.host).toBe('xn--bnk-6cd.example');
    // The user-info part cannot pose as the host.
    expect(linkTarget('https://bank.example@evil.example/')?.host).toBe('evil.example');
  });

  it('makes everything else inert, and main opens exactly what the page would', () => {
    const inert = [
      'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd', 'postdesk-file://attachment/1', 'postdesk://app/index.html', 'vbscript:x', 'tel:+7999', 'ftp://example.org/',
      '/api/drafts.send', '#top', '//evil.example/', 'relative.html', 'https://', 'http:', '',
    ];
    for (const url of inert) {
      expect(linkTarget(url), url).toBeNull();
      expect(isVettedLink(url), url).toBe(false);
    }
    expect(isVettedLink('https://example.org/')).toBe(true);
  });

  it('reads the host a link text shows, when the text is an address', () => {
    expect(hostNamedBy('https://bank.example/login')).toBe('bank.example');
    expect(hostNamedBy('www.Bank.example')).toBe('www.bank.example');
    expect(hostNamedBy('bаnk.example')).toBe('xn--bnk-6cd.example');
    expect(hostNamedBy('Click here')).toBeNull();
    expect(hostNamedBy('Version 1.2')).toBeNull();
    expect(hostNamedBy('')).toBeNull();
  });
});

describe('image sources in mail', () => {
  it('tells attachments, inline data, and remote images apart', () => {
    expect(imageSource('cid:<logo@client>')).toEqual({ kind: 'cid', contentId: 'logo@client' });
    expect(imageSource('data:image/png;base64,AAAA')).toEqual({ kind: 'data' });
    expect(imageSource(' https://remote.test/a.png ')).toEqual({ kind: 'remote', url: 'https://remote.test/a.png', secure: true });
    expect(imageSource('http://remote.test/a.png')).toEqual({ kind: 'remote', url: 'http://remote.test/a.png', secure: false });
  });

  it('loads nothing else', () => {
    for (const src of ['data:image/svg+xml,<svg/>', 'data:text/html,x', '//remote.test/a.png', 'relative.png', 'file:///x.png', 'postdesk-file://attachment/1', 'javascript:x', 'https://', 'blob:https://x/1']) {
      expect(imageSource(src), src).toBeNull();
    }
  });
});
