// The loader a host page adds under an article:
//   <div id="parley-thread" data-story-url="CANONICAL_URL" data-story-title="…"></div>
//   <script src="https://PARLEY_HOST/embed.js" data-site="SITE" async></script>
// It asks Parley which story the canonical URL is (created at its first view from an allowed origin), then shows
// that story's discussion in an iframe served by Parley, sized to its content. It talks to no host but Parley's.
// With the newsroom's own sign-on, the div also carries data-sso-token="JWT" (signed by the newsroom's server for
// the reader): the loader hands it to the frame (Parley's origin only), which signs the reader in with it.
(() => {
  const log = (message: string) => console.error(`Parley: ${message}`);
  const script = (document.currentScript ?? document.querySelector('script[src$="/embed.js"][data-site]')) as HTMLScriptElement | null;
  if (!script) return log('cannot find its own <script> tag.');
  const parley = new URL(script.src).origin;
  const site = script.dataset.site;

  const start = async () => {
    const host = document.getElementById('parley-thread');
    if (!host) return log('no <div id="parley-thread"> on this page.');
    if (!site) return log('the <script> tag has no data-site attribute.');
    const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[property="${name}"],meta[name="${name}"]`)?.content;
    const storyUrl = host.dataset.storyUrl || document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href || location.href.split('#')[0]!;
    const title = host.dataset.storyTitle || meta('og:title') || '';
    const query = new URLSearchParams({ siteId: site, url: storyUrl });
    if (title) query.set('title', title);
    let answer: { framePath?: string; story?: { title: string }; error?: { message: string } };
    try {
      const response = await fetch(`${parley}/api/embed/story?${query}`, { credentials: 'omit' });
      answer = await response.json();
    } catch {
      return log(`could not reach ${parley}.`);
    }
    if (!answer.framePath) return log(answer.error?.message ?? 'the discussion could not be shown.');

    // The host's theme: CSS custom properties on the container, and its colour scheme.
    const style = getComputedStyle(host);
    const themed = new URLSearchParams({ origin: location.origin });
    const accent = style.getPropertyValue('--parley-accent').trim();
    const font = style.getPropertyValue('--parley-font').trim();
    const scheme = host.dataset.colorScheme || style.getPropertyValue('--parley-color-scheme').trim();
    if (accent) themed.set('accent', accent);
    if (font) themed.set('font', font);
    if (scheme) themed.set('scheme', scheme);

    const frame = document.createElement('iframe');
    frame.src = `${parley}${answer.framePath}?${themed}`;
    frame.title = `Discussion: ${answer.story?.title ?? title}`;
    frame.setAttribute('loading', 'lazy');
    // Inline and important, so that the host's own stylesheet cannot hide or squash the thread.
    const set = (name: string, value: string) => frame.style.setProperty(name, value, 'important');
    set('display', 'block');
    set('width', '100%');
    set('min-width', '0');
    set('max-width', '100%');
    set('height', '320px');
    set('border', '0');
    set('overflow', 'hidden');
    addEventListener('message', (event) => {
      if (event.origin !== parley || event.source !== frame.contentWindow) return;
      const data = event.data as { type?: unknown; height?: unknown };
      if (data?.type === 'parley:height' && typeof data.height === 'number' && data.height > 0) set('height', `${Math.ceil(data.height)}px`);
    });
    const ssoToken = host.dataset.ssoToken;
    // Once, when the frame has loaded: a reload of the frame by the reader keeps its own sign-in.
    if (ssoToken) frame.addEventListener('load', () => frame.contentWindow?.postMessage({ type: 'parley:sso', token: ssoToken }, parley), { once: true });
    host.replaceChildren(frame);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
  else void start();
})();
