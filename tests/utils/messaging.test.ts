import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerMessageHandlers, sendMessage, type Handlers } from '@/utils/messaging';

const handlers: Handlers = {
  subscribe: async ({ url }) => ({ ok: true, feedId: 1, title: url, added: 0 }),
  pollNow: async () => ({ checked: 2, newPosts: 1, failed: 0 }),
  previewListing: async ({ url }) => ({ ok: false, message: `Nothing to preview at ${url}.` }),
  followListing: async ({ url }) => ({ ok: true, feedId: 2, title: url, added: 9 }),
  relearnListing: async () => ({ ok: true, description: 'Cards: a in div.', count: 9, added: 0 }),
  setListingExtractor: async ({ extractor }) => ({
    ok: true,
    description: 'Cards: a in div.',
    count: extractor.count,
    added: 0,
  }),
  syncNow: async () => ({
    ok: true,
    at: 1,
    bytes: 0,
    items: 0,
    dropped: { readStates: 0, readingItems: 0 },
    message: 'Synced.',
  }),
};

/** Delivers a message as the browser would, with the given sender. */
async function deliver(message: unknown, sender: object): Promise<unknown> {
  const answers = await fakeBrowser.runtime.onMessage.trigger(message, sender as never);
  return answers.find((answer: unknown) => answer !== undefined);
}

const popup = () => ({
  id: fakeBrowser.runtime.id,
  url: fakeBrowser.runtime.getURL('/popup.html'),
});

describe('registerMessageHandlers', () => {
  beforeEach(() => fakeBrowser.reset());

  it('answers a typed request from an extension page', async () => {
    registerMessageHandlers(handlers);

    expect(await deliver({ dispatch: 'pollNow', data: {} }, popup())).toEqual({
      ok: { checked: 2, newPosts: 1, failed: 0 },
    });
    expect(
      await deliver({ dispatch: 'subscribe', data: { url: 'https://blog.example/' } }, popup()),
    ).toMatchObject({ ok: { title: 'https://blog.example/' } });
  });

  it('answers the listing messages with their own shapes', async () => {
    registerMessageHandlers(handlers);
    const extractor = { version: 1, cards: 'main > div > a', fields: [], count: 9 };

    expect(
      await deliver(
        { dispatch: 'followListing', data: { url: 'https://blog.example/blog', extractor } },
        popup(),
      ),
    ).toEqual({ ok: { ok: true, feedId: 2, title: 'https://blog.example/blog', added: 9 } });
    expect(
      await deliver({ dispatch: 'setListingExtractor', data: { feedId: 2, extractor } }, popup()),
    ).toEqual({ ok: { ok: true, description: 'Cards: a in div.', count: 9, added: 0 } });
    expect(
      await deliver({ dispatch: 'previewListing', data: { url: 'https://a.example/' } }, popup()),
    ).toEqual({ ok: { ok: false, message: 'Nothing to preview at https://a.example/.' } });
  });

  it('sends a failure back in words, and the page sees it as an error', async () => {
    registerMessageHandlers({
      ...handlers,
      pollNow: async () => {
        throw new Error('Storage is full');
      },
    });

    expect(await deliver({ dispatch: 'pollNow', data: {} }, popup())).toEqual({
      failed: 'Storage is full',
    });
  });

  it.each([
    ['another extension', { id: 'someone-else' }],
    ['a web page tab', { id: 'test-extension-id', tab: { id: 1 }, url: 'https://evil.example/' }],
  ])('refuses %s', async (_, sender) => {
    registerMessageHandlers(handlers);
    const from = {
      ...sender,
      id: sender.id === 'test-extension-id' ? fakeBrowser.runtime.id : sender.id,
    };

    expect(await deliver({ dispatch: 'pollNow', data: {} }, from)).toEqual({
      failed: expect.stringMatching(/Refused/),
    });
  });

  it('ignores messages that are not ours', async () => {
    registerMessageHandlers(handlers);

    expect(await deliver({ hello: 'world' }, popup())).toBeUndefined();
  });

  it('waits for the readiness gate before handling', async () => {
    let open!: () => void;
    const ready = new Promise<void>((resolve) => (open = resolve));
    const seen: string[] = [];
    registerMessageHandlers(
      {
        ...handlers,
        pollNow: async () => {
          seen.push('handled');
          return { checked: 0, newPosts: 0, failed: 0 };
        },
      },
      ready,
    );

    const answer = deliver({ dispatch: 'pollNow', data: {} }, popup());
    await Promise.resolve();
    expect(seen).toEqual([]);
    open();
    await answer;
    expect(seen).toEqual(['handled']);
  });
});

describe('sendMessage', () => {
  beforeEach(() => fakeBrowser.reset());

  it('resolves with the answer, and rejects with the failure the worker put in words', async () => {
    const replies: unknown[] = [
      { ok: { checked: 1, newPosts: 0, failed: 0 } },
      { failed: 'Storage is full' },
    ];
    fakeBrowser.runtime.onMessage.addListener(() => Promise.resolve(replies.shift()));

    await expect(sendMessage('pollNow', {})).resolves.toEqual({
      checked: 1,
      newPosts: 0,
      failed: 0,
    });
    await expect(sendMessage('pollNow', {})).rejects.toThrow('Storage is full');
  });
});
