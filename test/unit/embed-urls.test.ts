// Story identity and allowed origins, normalized so that one article never splits into two threads.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeOrigin, normalizeStoryUrl } from '../../src/core/embed.js';
import { ParleyError } from '../../src/core/errors.js';

it('writes one article one way whatever the scheme case, host case, default port, fragment and trailing slash', () => {
  const canonical = 'https://news.example.com/2026/flood-defences';
  for (const variant of [
    'https://news.example.com/2026/flood-defences',
    'HTTPS://News.Example.COM/2026/flood-defences',
    'https://news.example.com:443/2026/flood-defences',
    'https://news.example.com/2026/flood-defences/',
    'https://news.example.com/2026/flood-defences//',
    'https://news.example.com/2026/flood-defences#comments',
    '  https://news.example.com/2026/flood-defences  ',
  ]) {
    assert.equal(normalizeStoryUrl(variant), canonical, variant);
  }
  assert.equal(normalizeStoryUrl('http://news.example.com:80/a/'), 'http://news.example.com/a');
  assert.equal(normalizeStoryUrl('https://news.example.com'), 'https://news.example.com/');
  assert.equal(normalizeStoryUrl('https://news.example.com/'), 'https://news.example.com/');
  // A non-default port is part of the identity; path case is too (paths are case-sensitive).
  assert.equal(normalizeStoryUrl('https://news.example.com:8443/A'), 'https://news.example.com:8443/A');
});

it('drops tracking parameters and sorts the rest, so parameter order never splits a thread', () => {
  assert.equal(
    normalizeStoryUrl('https://news.example.com/story?utm_source=tw&utm_MEDIUM=social&fbclid=abc&gclid=1&id=7&UTM_campaign=x'),
    'https://news.example.com/story?id=7',
  );
  assert.equal(normalizeStoryUrl('https://news.example.com/story?page=2&id=7'), normalizeStoryUrl('https://news.example.com/story?id=7&page=2'));
  assert.equal(normalizeStoryUrl('https://news.example.com/story?utm_source=x'), 'https://news.example.com/story');
  assert.equal(normalizeStoryUrl('https://news.example.com/story/?b=2&a=1#top'), 'https://news.example.com/story?a=1&b=2');
  // Equal names keep their order: ?tag=b&tag=a is a different list than ?tag=a&tag=b.
  assert.equal(normalizeStoryUrl('https://x.example/s?tag=b&tag=a'), 'https://x.example/s?tag=b&tag=a');
});

it('refuses what is not a web URL', () => {
  for (const bad of ['not a url', 'javascript:alert(1)', 'ftp://news.example.com/a', 'https://user:pw@news.example.com/a', '']) {
    assert.throws(() => normalizeStoryUrl(bad), (e: unknown) => e instanceof ParleyError && e.status === 400, bad);
  }
});

it('writes an origin as a browser sends it, and refuses anything more than scheme, host and port', () => {
  assert.equal(normalizeOrigin('HTTPS://News.Example.com'), 'https://news.example.com');
  assert.equal(normalizeOrigin('https://news.example.com/'), 'https://news.example.com');
  assert.equal(normalizeOrigin('https://news.example.com:443'), 'https://news.example.com');
  assert.equal(normalizeOrigin('http://127.0.0.1:8081'), 'http://127.0.0.1:8081');
  for (const bad of ['https://news.example.com/page', 'https://news.example.com?x=1', 'https://news.example.com/#a', 'news.example.com', 'file:///etc', '*']) {
    assert.throws(() => normalizeOrigin(bad), (e: unknown) => e instanceof ParleyError && e.status === 400, bad);
  }
});
