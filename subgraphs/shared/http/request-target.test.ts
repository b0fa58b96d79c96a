import { parseRequestTarget } from './request-target.js';

describe('parseRequestTarget', () => {
  it('reads the path and query of an origin-form target', () => {
    expect(parseRequestTarget('/graphql?query=%7B__typename%7D')).toEqual({
      pathname: '/graphql',
      search: '?query=%7B__typename%7D',
    });
    expect(parseRequestTarget('/health')).toEqual({ pathname: '/health', search: '' });
    expect(parseRequestTarget('/%')).toEqual({ pathname: '/%', search: '' });
    expect(parseRequestTarget('/@evil')).toEqual({ pathname: '/@evil', search: '' });
  });

  it.each([
    ['empty', ''],
    ['absent', undefined],
    ['//', '//'],
    ['//@', '//@'],
    ['/\\', '/\\'],
    ['/\\evil.example', '/\\evil.example/graphql'],
    ['//host/path', '//evil.example/graphql'],
    ['absolute-form', 'http://evil.example/graphql'],
    ['asterisk-form', '*'],
    ['authority-form', 'evil.example:443'],
  ])('refuses a target that is %s', (_name, raw) => {
    expect(parseRequestTarget(raw)).toBeNull();
  });
});
