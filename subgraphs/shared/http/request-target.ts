/** The parts of a request target the router uses. */
export interface RequestTarget {
  pathname: string;
  /** The query string with its `?`, or empty (GraphQL over GET reads it). */
  search: string;
}

const BASE = 'http://service.invalid';

/**
 * Reads a request target in origin-form (`/graphql?…`), the only form a client of an origin server sends;
 * anything else is null, for the caller to answer 400. That covers the absolute-form meant for proxies
 * (`http://host/path`; RFC 9112 §3.2.2 lets a server accept it, and nothing here needs it), the asterisk
 * form, and paths such as `//`, `//@` or `/\` that the URL parser reads as a host (or cannot read at all).
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (!raw || raw[0] !== '/' || raw[1] === '/' || raw[1] === '\\') return null;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  return { pathname: url.pathname, search: url.search };
}
