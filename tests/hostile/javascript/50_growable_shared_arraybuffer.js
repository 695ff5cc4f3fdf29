// attempts: grow growable SharedArrayBuffers to 512 MB past the isolate's memory limit
// expect: grow is not a function|allocation failed|memory limit
// limit_s: 10
async function run(bot) {
  const buffers = []
  for (let i = 0; i < 8; i++) {
    const b = new SharedArrayBuffer(0, { maxByteLength: 2 ** 30 })
    b.grow(64 * 2 ** 20)
    new Uint8Array(b).fill(1)
    buffers.push(b)
  }
  return buffers.length
}
