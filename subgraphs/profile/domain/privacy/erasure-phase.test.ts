import { STREAMS_STORE, nextErasureStep } from './erasure-phase.js';

const STORES = ['profile', 'benefits', 'brand:mindspark', 'brand:inkwell', STREAMS_STORE];

describe('nextErasureStep', () => {
  it('asks the brands first, only those that have not answered', () => {
    expect(nextErasureStep(STORES, new Set(['profile']))).toEqual({
      kind: 'ask',
      stores: ['brand:mindspark', 'brand:inkwell'],
    });
    expect(nextErasureStep(STORES, new Set(['profile', 'brand:mindspark']))).toEqual({
      kind: 'ask',
      stores: ['brand:inkwell'],
    });
  });

  it('scrubs the streams once every brand has answered, and only then asks the benefits service', () => {
    const brandsDone = new Set(['profile', 'brand:mindspark', 'brand:inkwell']);
    expect(nextErasureStep(STORES, brandsDone)).toEqual({ kind: 'scrub' });
    expect(nextErasureStep(STORES, new Set([...brandsDone, STREAMS_STORE]))).toEqual({
      kind: 'ask',
      stores: ['benefits'],
    });
  });

  it('completes when every store has answered, and never asks the benefits service before the brands', () => {
    expect(nextErasureStep(STORES, new Set(STORES))).toEqual({ kind: 'complete' });
    // A benefits receipt that came early (a command of an earlier attempt) does not skip the order.
    expect(nextErasureStep(STORES, new Set(['profile', 'benefits']))).toEqual({
      kind: 'ask',
      stores: ['brand:mindspark', 'brand:inkwell'],
    });
  });

  it('without other stores (no lifecycle stream), completes after the profile and the streams', () => {
    expect(nextErasureStep(['profile', STREAMS_STORE], new Set(['profile']))).toEqual({ kind: 'scrub' });
    expect(nextErasureStep(['profile', STREAMS_STORE], new Set(['profile', STREAMS_STORE]))).toEqual({
      kind: 'complete',
    });
  });
});
