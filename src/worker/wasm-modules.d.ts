// wrangler (and the Workers vitest pool) import `.wasm` files as compiled modules: workerd refuses
// to compile WebAssembly from bytes at run time.
declare module '*.wasm' {
  const compiled: WebAssembly.Module;
  export default compiled;
}
