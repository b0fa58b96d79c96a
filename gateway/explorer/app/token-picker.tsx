import { useGraphiQL } from '@graphiql/react';
import { useState } from 'react';
import type { DevToken } from './dev-tokens.js';
import { authorizationHeaders } from './dev-tokens.js';

/** Picks a development token and writes it into the headers editor as `Authorization: Bearer …`. */
export function TokenPicker({ tokens }: { tokens: DevToken[] }) {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const [picked, setPicked] = useState('');
  if (tokens.length === 0) return null;
  return (
    <label className="explorer-token-picker">
      Token{' '}
      <select
        aria-label="Development token"
        value={picked}
        onChange={(event) => {
          const token = tokens.find((t) => t.label === event.target.value);
          setPicked(event.target.value);
          if (token && headerEditor) headerEditor.setValue(authorizationHeaders(token.token));
        }}
      >
        <option value="">choose who you are…</option>
        {tokens.map((t) => (
          <option key={t.label} value={t.label}>
            {t.label}
          </option>
        ))}
      </select>
    </label>
  );
}
