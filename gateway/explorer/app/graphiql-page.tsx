import './monaco-workers.js';
import 'graphiql/style.css';
import './explorer.css';
import type { ComponentProps } from 'react';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import { fetchDevTokens } from './dev-tokens.js';
import { EXAMPLE_OPERATIONS } from './example-operations.js';
import { TokenPicker } from './token-picker.js';

/** Sends operations to this gateway's /graphql with the headers from the headers editor. */
const fetcher: ComponentProps<typeof GraphiQL>['fetcher'] = async (params, options) => {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  for (const [key, value] of Object.entries(options?.headers ?? {})) headers[key] = String(value);
  const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
  return response.json();
};

const tokens = await fetchDevTokens();
createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL
    fetcher={fetcher}
    defaultTabs={EXAMPLE_OPERATIONS}
    defaultEditorToolsVisibility="headers"
    shouldPersistHeaders={false}
  >
    <GraphiQL.Logo>
      <span className="explorer-title">Joint membership graph</span>
      <TokenPicker tokens={tokens} />
    </GraphiQL.Logo>
  </GraphiQL>,
);
