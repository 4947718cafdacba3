// Every form of remote content in HTML mail that the sanitizer tests feed (issue 10, item 3, and
// more), each pointing at one origin: the Chromium tests of the sanitizer use a made-up host, the
// end-to-end test an HTTPS server of its own that records every contact.

export interface RemoteForm {
  name: string;
  html: string;
  /** The URLs that load after Show images, each as an <img>; none for every other form. */
  image?: string[];
}

export function remoteForms(R: string): RemoteForm[] {
  return [
    { name: 'img src', html: `<img alt="a" src="${R}/img.png">`, image: [`${R}/img.png`] },
    { name: 'img src with spaces around it', html: `<img alt="a" src="  ${R}/spaced.png  ">`, image: [`${R}/spaced.png`] },
    { name: 'img src written with entities', html: `<img alt="a" src="${R.replaceAll('/', '&#x2F;')}/entity.png">`, image: [`${R}/entity.png`] },
    { name: 'the legacy <image> tag (parsed as img)', html: `<image src="${R}/image-tag.png">`, image: [`${R}/image-tag.png`] },
    { name: 'img srcset and sizes', html: `<img alt="a" srcset="${R}/srcset.png 1x, ${R}/srcset2.png 2x" sizes="100vw">` },
    { name: 'picture and source', html: `<picture><source srcset="${R}/source.png" type="image/png"><source srcset="${R}/source.webp"><img alt="p" src="${R}/picture-img.png"></picture>`, image: [`${R}/picture-img.png`] },
    { name: 'video poster, src, source, track', html: `<video poster="${R}/poster.png" src="${R}/video.mp4" autoplay><source src="${R}/source.mp4"><track src="${R}/track.vtt" default>fallback</video>` },
    { name: 'audio src and source', html: `<audio src="${R}/audio.mp3" autoplay><source src="${R}/source.ogg"></audio>` },
    { name: 'background on table, td and body', html: `<table background="${R}/table-bg.png"><tr><td background="${R}/td-bg.png">x</td></tr></table><body background="${R}/body-bg.png">` },
    { name: 'a full document with body background and head style', html: `<html><head><style>p { background: url(${R}/head-style.png) }</style><link rel="stylesheet" href="${R}/head-link.css"></head><body background="${R}/doc-body-bg.png"><p>x</p></body></html>` },
    { name: 'CSS url() in a style attribute', html: `<div style="background-image: url(${R}/style-attr.png); color: red">x</div>` },
    { name: 'CSS url() written with escapes', html: `<div style="background: u\\72l(${R}/escaped.png) red">x</div>` },
    { name: 'CSS url() with quotes and several layers', html: `<div style="background: url('${R}/one.png'), url(&quot;${R}/two.png&quot;)">x</div>` },
    { name: 'CSS image-set() and -webkit-image-set()', html: `<div style="background-image: image-set('${R}/set.png' 1x); content: -webkit-image-set(url(${R}/wset.png) 1x)">x</div>` },
    { name: 'CSS cursor, list-style, border-image, mask, content, shape-outside, filter', html: `<ul style="cursor: url(${R}/cursor.png), auto; list-style-image: url(${R}/list.png); border-image: url(${R}/border.png) 30; mask-image: url(${R}/mask.png); -webkit-mask-image: url(${R}/wmask.png); shape-outside: url(${R}/shape.png); filter: url(${R}/filter.svg#f)"><li>x</li></ul><p style="content: url(${R}/content.png)">y</p>` },
    { name: 'a custom property carrying url() into var()', html: `<div style="--bg: url(${R}/var.png); background-image: var(--bg)">x</div>` },
    { name: '<style> with url()', html: `<style>.x { background: url(${R}/style-el.png) } .x::before { content: url(${R}/before.png) }</style><p class="x">x</p>` },
    { name: '<style> @import in both forms', html: `<style>@import url(${R}/import.css); @import "${R}/import2.css"; p { color: red }</style><p>x</p>` },
    { name: '<style> @font-face', html: `<style>@font-face { font-family: F; src: url(${R}/font.woff2) } p { font-family: F }</style><p>x</p>` },
    { name: '<style> image-set() inside @media and @supports', html: `<style>@media screen { p { background-image: image-set(url(${R}/media.png) 1x) } } @supports (display: grid) { p { background: url(${R}/supports.png) } }</style><p>x</p>` },
    { name: '<style> @namespace, @keyframes and @layer', html: `<style>@namespace url(${R}/ns); @keyframes k { from { background: url(${R}/kf.png) } } @layer l { p { background: url(${R}/layer.png) } } p { animation: k 1s }</style><p>x</p>` },
    { name: '<style> nested rules', html: `<style>p { color: red; & span { background: url(${R}/nested.png) } }</style><p><span>x</span></p>` },
    { name: '<link> of every kind', html: `<link rel="stylesheet" href="${R}/link.css"><link rel="preload" as="image" href="${R}/preload.png"><link rel="prefetch" href="${R}/prefetch"><link rel="dns-prefetch" href="${R}/"><link rel="preconnect" href="${R}/"><link rel="icon" href="${R}/icon.png"><p>x</p>` },
    { name: 'object, embed, iframe, srcdoc, frame and frameset', html: `<object data="${R}/object.swf"><param name="movie" value="${R}/param.swf"></object><embed src="${R}/embed.swf"><iframe src="${R}/iframe.html"></iframe><iframe srcdoc="<img src='${R}/srcdoc.png'>"></iframe><frameset><frame src="${R}/frame.html"></frameset>` },
    { name: 'input type=image and forms', html: `<form action="${R}/form"><input type="image" src="${R}/input.png"><button formaction="${R}/formaction">Go</button><input name="p"></form>` },
    { name: 'SVG image, use, feImage, a and style', html: `<svg xmlns:xlink="http://www.w3.org/1999/xlink"><image href="${R}/svg-image.png"/><image xlink:href="${R}/svg-xlink.png"/><use href="${R}/sprite.svg#i"/><filter id="f"><feImage href="${R}/feimage.png"/></filter><a href="${R}/svg-a"><text>t</text></a><style>@import url(${R}/svg-style.css)</style></svg>` },
    { name: 'MathML href', html: `<math href="${R}/math"><mi href="${R}/mi">x</mi></math>` },
    { name: 'meta refresh and other http-equiv', html: `<meta http-equiv="refresh" content="0; url=${R}/refresh"><meta http-equiv="Link" content="<${R}/meta-link.css>; rel=stylesheet"><p>x</p>` },
    { name: 'base href (relative URLs would resolve to the remote host)', html: `<base href="${R}/"><img alt="rel" src="relative.png"><a href="relative-link">l</a>` },
    { name: 'a ping and attributionsrc', html: `<a href="https://example.org/" ping="${R}/ping" attributionsrc="${R}/attribution">l</a><img alt="a" attributionsrc="${R}/img-attribution">` },
    { name: 'img lowsrc, dynsrc, longdesc', html: `<img alt="a" lowsrc="${R}/lowsrc.png" dynsrc="${R}/dynsrc.avi" longdesc="${R}/longdesc">` },
    { name: 'isindex, applet, bgsound, portal, marquee, keygen', html: `<isindex action="${R}/isindex"><applet code="A" codebase="${R}/applet/"></applet><bgsound src="${R}/bgsound.mid"><portal src="${R}/portal"></portal><marquee background="${R}/marquee.png">m</marquee>` },
    { name: 'area href and usemap', html: `<map name="m"><area shape="rect" coords="0,0,9,9" href="${R}/area"></map><img alt="map" usemap="#m">` },
    { name: 'noscript and template content', html: `<noscript><img alt="n" src="${R}/noscript.png"></noscript><template><img src="${R}/template.png"></template>` },
    { name: 'a protocol-relative image', html: `<img alt="a" src="${R.slice('https:'.length)}/protocol-relative.png">` },
    { name: 'an http image (never shown)', html: `<img alt="a" src="${R.replace('https:', 'http:')}/insecure.png">` },
  ];
}
