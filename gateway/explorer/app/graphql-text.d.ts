/** `.graphql` files are bundled as their text (esbuild's text loader, see build-explorer-app.ts). */
declare module '*.graphql' {
  const text: string;
  export default text;
}
