// attempts: Node's Buffer global
// expect: Buffer is not defined
// limit_s: 5
async function run(bot) {
  return Buffer.from('x')
}
