import { it } from 'node:test';
import assert from 'node:assert/strict';
import { onEachDatabase } from '../helpers/suite.js';

onEachDatabase('stories', (t) => {
  const story = {
    url: 'https://news.example.com/2026/flood-defences',
    title: 'Flood defences hold as river peaks',
    byline: 'Ana Ruiz',
    source: 'Valley Press',
    imageUrl: 'https://img.example.com/river.jpg',
    imageCaption: 'The river at its peak on Sunday.',
    body: 'First paragraph.\n\nSecond paragraph.',
    publishedAt: '2026-11-20T08:30:00Z',
  };

  it('lets a moderator create a story and anyone read it', async () => {
    const moderator = await t().agent('moderator');
    const res = await t().request('POST', '/api/stories', { as: moderator, body: story });
    assert.equal(res.statusCode, 201);
    const created = res.json();
    assert.equal(res.headers.location, `/api/stories/${created.id}`);
    assert.equal(created.title, story.title);
    assert.equal(created.publishedAt, '2026-11-20T08:30:00.000Z');
    const read = await t().request('GET', `/api/stories/${created.id}`);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), created);
  });

  it('accepts an image served by this site', async () => {
    const moderator = await t().agent('moderator');
    const res = await t().request('POST', '/api/stories', {
      as: moderator,
      body: { url: 'https://news.example.com/local-image', title: 'Local image', imageUrl: '/static/demo/harbour-bridge.svg' },
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().imageUrl, '/static/demo/harbour-bridge.svg');
    const image = await t().request('GET', '/static/demo/harbour-bridge.svg');
    assert.equal(image.statusCode, 200);
  });

  it('lets an admin create a story through a bearer token', async () => {
    const admin = await t().agent('admin');
    const token = await t().token(admin);
    const res = await t().request('POST', '/api/stories', {
      headers: { authorization: `Bearer ${token}` },
      body: { url: 'https://news.example.com/by-token', title: 'By token' },
    });
    assert.equal(res.statusCode, 201);
  });

  it('refuses commenters (403) and anonymous readers (401)', async () => {
    const reader = await t().agent();
    const body = { url: 'https://news.example.com/x', title: 'x' };
    assert.equal((await t().request('POST', '/api/stories', { as: reader, body })).statusCode, 403);
    assert.equal((await t().request('POST', '/api/stories', { body })).statusCode, 401);
  });

  it('refuses a second story with the same URL (409) and bad fields (400)', async () => {
    const moderator = await t().agent('moderator');
    const again = await t().request('POST', '/api/stories', { as: moderator, body: story });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'story_exists');
    const bad: Array<Record<string, unknown>> = [
      { url: 'not a url', title: 'x' },
      { url: 'javascript:alert(1)', title: 'x' },
      { url: 'https://news.example.com/ok', title: '' },
      { url: 'https://news.example.com/ok', title: 'x', publishedAt: 'yesterday-ish' },
      { url: 'https://news.example.com/ok', title: 'x', imageUrl: 'data:image/png;base64,AAAA' },
      { url: 'https://news.example.com/ok', title: 'x', imageUrl: '//evil.example/pixel.gif' },
      { url: 'https://news.example.com/ok', title: 'x', imageUrl: '/static/"onerror=alert(1)' },
      { url: 'https://news.example.com/ok', title: 42 },
      { title: 'missing url' },
    ];
    for (const body of bad) {
      const res = await t().request('POST', '/api/stories', { as: moderator, body });
      assert.equal(res.statusCode, 400, JSON.stringify(body) + res.body);
      assert.ok(res.json().error.message.length > 5);
    }
  });

  it('says 404 for an unknown story and 400 for a malformed id', async () => {
    const missing = await t().request('GET', '/api/stories/doesnotexist1');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'not_found');
    const malformed = await t().request('GET', '/api/stories/NOT-AN-ID!');
    assert.equal(malformed.statusCode, 400);
  });
});
