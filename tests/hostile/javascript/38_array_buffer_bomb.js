// attempts: a 4 GB ArrayBuffer
// expect: Array buffer allocation failed|Invalid array buffer length|memory limit
// limit_s: 15
async function run(bot) {
  const b = new ArrayBuffer(2 ** 32)
  return b.byteLength
}
