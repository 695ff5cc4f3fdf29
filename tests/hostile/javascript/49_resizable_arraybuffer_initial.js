// attempts: a resizable ArrayBuffer born at 512 MB (no resize call needed)
// expect: Array buffer allocation failed|memory limit
// limit_s: 10
async function run(bot) {
  const b = new ArrayBuffer(512 * 2 ** 20, { maxByteLength: 512 * 2 ** 20 })
  new Uint8Array(b).fill(1)
  return b.byteLength
}
