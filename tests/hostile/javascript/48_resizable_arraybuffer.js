// attempts: grow resizable ArrayBuffers (page-allocator memory the isolate's limit does not count) to 512 MB
// expect: resize is not a function|allocation failed|memory limit
// limit_s: 10
async function run(bot) {
  const buffers = []
  for (let i = 0; i < 8; i++) {
    const b = new ArrayBuffer(0, { maxByteLength: 2 ** 30 })
    b.resize(64 * 2 ** 20)
    new Uint8Array(b).fill(1)
    buffers.push(b)
  }
  return buffers.length
}
