import { resolveRequestId } from './request-id.js';

const GENERATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('resolveRequestId', () => {
  it("keeps the caller's well-formed id", () => {
    expect(resolveRequestId('req-12345678')).toBe('req-12345678');
    expect(resolveRequestId(['gw.0123456789', 'second'])).toBe('gw.0123456789');
  });

  it.each([
    ['absent', undefined],
    ['too short', 'abc'],
    ['too long', 'r'.repeat(65)],
    ['with spaces', 'req 12345678'],
    ['with a line break', 'req-1234\r\nx-evil: 1'],
    ['with markup', '<script>alert(1)</script>'],
  ])('makes a new id when the given one is %s', (_name, header) => {
    expect(resolveRequestId(header)).toMatch(GENERATED);
  });
});
