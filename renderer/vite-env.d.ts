// What Vite's `?url` imports are (the renderer's tsconfig loads no Vite client types): the URL
// of the file, copied into the build under a hashed name and served from our own origin.
declare module '*?url' {
  const url: string;
  export default url;
}
