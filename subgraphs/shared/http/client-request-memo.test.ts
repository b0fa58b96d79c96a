import { ClientRequestMemos } from './client-request-memo.js';

describe('what the fetches of one client request share', () => {
  const counter = () => {
    let created = 0;
    return { create: () => ({ n: ++created }), created: () => created };
  };

  it('shares a value between the fetches of one client request, and only those', () => {
    const memos = new ClientRequestMemos();
    const loader = counter();
    const root = memos.open('token-a').get('members', loader.create);
    const entities = memos.open('token-a').get('members', loader.create);
    const otherRequest = memos.open('token-b').get('members', loader.create);
    expect(entities).toBe(root);
    expect(otherRequest).not.toBe(root);
    expect(loader.created()).toBe(2);
  });

  it('shares nothing without a key', () => {
    const memos = new ClientRequestMemos();
    const loader = counter();
    const fetch = memos.open(null);
    expect(fetch.get('members', loader.create)).toBe(fetch.get('members', loader.create));
    expect(memos.open(null).get('members', loader.create)).not.toBe(fetch.get('members', loader.create));
    expect(fetch.shared).toBe(false);
    expect(memos.size).toBe(0);
  });

  it('lets a mutation share nothing: it drops what the request read and keeps its own reads to itself', () => {
    const memos = new ClientRequestMemos();
    const loader = counter();
    const before = memos.open('token-a').get('members', loader.create);
    const mutation = memos.open('token-a');
    mutation.writes();
    const duringWrite = mutation.get('members', loader.create);
    expect(duringWrite).not.toBe(before);
    expect(mutation.shared).toBe(false);
    // A fetch after the write reads afresh, and does not see what the mutation read before writing.
    const after = memos.open('token-a').get('members', loader.create);
    expect(after).not.toBe(before);
    expect(after).not.toBe(duringWrite);
    expect(loader.created()).toBe(3);
  });

  it('forgets a client request once its time is up, and the oldest when there are too many', () => {
    let now = 0;
    const memos = new ClientRequestMemos({ ttlMs: 1_000, maxRequests: 2, now: () => now });
    const loader = counter();
    const a = memos.open('a').get('members', loader.create);
    now = 999;
    expect(memos.open('a').get('members', loader.create)).toBe(a);
    now = 1_000;
    const aAgain = memos.open('a').get('members', loader.create);
    expect(aAgain).not.toBe(a);
    const b = memos.open('b').get('members', loader.create);
    memos.open('c').get('members', loader.create);
    expect(memos.size).toBe(2);
    expect(memos.open('b').get('members', loader.create)).toBe(b);
    expect(memos.open('a').get('members', loader.create)).not.toBe(aAgain);
  });
});
