import { describe, expect, it } from 'vitest';
import { translator } from '../../common/i18n';
import { quotedHtml, quotedText, quoteOf, splitQuote, withSignature } from '../../main/compose/quote';

const at = Date.UTC(2026, 11, 6, 9, 30);
const client = { fromName: 'Иван Петров', fromAddress: 'ivan@example.test', createdAt: at, text: 'Где договор?\n\nС уважением,\nИван', html: null };

describe('the quote of the client’s message', () => {
  it('says who wrote it when, in the operator’s language, and keeps the text', () => {
    const quote = quoteOf(client, translator('ru'), 'ru')!;
    expect(quote.attribution).toMatch(/^6 дек\. 2026 г\., \d\d:30, Иван Петров пишет:$/);
    expect(quote.text).toBe('Где договор?\n\nС уважением,\nИван');
    expect(quoteOf(client, translator('en'), 'en')!.attribution).toMatch(/^On Dec 6, 2026, \d{1,2}:30 (AM|PM), Иван Петров wrote:$/);
  });

  it('reads an HTML-only mail as text: no tags, no images, no link targets', () => {
    const html = '<p>Hello <b>there</b></p><p><a href="https://evil.example/track">the form</a><img src="https://evil.example/pixel.gif" alt="x"></p><script>alert(1)</script>';
    const quote = quoteOf({ ...client, text: null, html }, translator('en'), 'en')!;
    expect(quote.text).not.toMatch(/<|evil|pixel|alert/);
    expect(quote.text).toMatch(/Hello there/);
    expect(quote.text).toMatch(/the form/);
  });

  it('quotes nothing when there is nothing to quote, and only the start of a huge mail', () => {
    expect(quoteOf(undefined, translator('en'), 'en')).toBeNull();
    expect(quoteOf({ ...client, text: '  ', html: null }, translator('en'), 'en')).toBeNull();
    expect(quoteOf({ ...client, text: 'x'.repeat(100_000) }, translator('en'), 'en')!.text).toHaveLength(20_001);
  });

  it('goes into the text part line by line after "> ", and into the HTML part escaped in a blockquote', () => {
    const quote = { attribution: 'On 6 Dec, Ivan wrote:', text: 'Line <1>\n\nLine & 2' };
    expect(quotedText('Here it is.', quote)).toBe('Here it is.\n\nOn 6 Dec, Ivan wrote:\n> Line <1>\n>\n> Line & 2\n');
    const html = quotedHtml('Mine <b>', quote);
    expect(html).toContain('<div style="white-space: pre-wrap">Mine &lt;b&gt;</div>');
    expect(html).toContain('<blockquote type="cite"');
    expect(html).toContain('Line &lt;1&gt;\n\nLine &amp; 2');
  });
});

describe('a quote read back from a sent mail', () => {
  it('folds away a quote that ends the text, as written by quotedText or by another mail program', () => {
    const quote = { attribution: 'On 6 Dec, Ivan wrote:', text: 'Line 1\n\nLine 2' };
    expect(splitQuote(quotedText('Mine\n\n-- \nAnna', quote))).toEqual({ text: 'Mine\n\n-- \nAnna', quote });
    expect(splitQuote('Thanks!\n\nOn Mon, Ivan <i@x.test> wrote:\n>Hi\n>there\n')).toEqual({ text: 'Thanks!', quote: { attribution: 'On Mon, Ivan <i@x.test> wrote:', text: 'Hi\nthere' } });
  });

  it('leaves a text alone whose "> " lines are not at its end', () => {
    const text = 'As you said:\n\nOn Mon you wrote:\n> yes\n\nso we will.';
    expect(splitQuote(text)).toEqual({ text, quote: null });
    expect(splitQuote('Just text')).toEqual({ text: 'Just text', quote: null });
  });
});

describe('the signature', () => {
  it('goes under the text after the "-- " line, and not at all when empty', () => {
    expect(withSignature('Hello.\n\n', 'Anna\nSupport, ACME')).toBe('Hello.\n\n-- \nAnna\nSupport, ACME');
    expect(withSignature('', 'Anna')).toBe('-- \nAnna');
    expect(withSignature('Hello.', '  ')).toBe('Hello.');
    expect(withSignature('Hello.', null)).toBe('Hello.');
  });
});
