// attempts: fill WebAssembly memories, which V8 allocates outside what the isolate's 128 MB limit counts (512 MB here, gigabytes as easily)
// expect: WebAssembly is not defined
// limit_s: 10
async function run(bot) {
  const memories = []
  for (let i = 0; i < 8; i++) {
    const m = new WebAssembly.Memory({ initial: 1024, maximum: 65536 })
    new Uint8Array(m.buffer).fill(1)
    memories.push(m)
  }
  return memories.length
}
