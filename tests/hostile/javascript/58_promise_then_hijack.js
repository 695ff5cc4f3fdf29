// attempts: define Object.prototype.then so that every settled bot call hands its value (and whatever the host passes) to the program; look there for a host object
// expect: no host object reached
// limit_s: 5
async function run(bot) {
  const seen = []
  Object.defineProperty(Object.prototype, 'then', {
    configurable: true,
    get () { seen.push(this); return undefined }
  })
  await bot.waitForTicks(1)
  bot.entity
  delete Object.prototype.then
  const host = seen.find((v) => v && (v.process || v.require || v.mainModule || (v.constructor && v.constructor.constructor && v.constructor.constructor('return typeof process')() !== 'undefined')))
  if (host) return host.process.env
  throw new Error('no host object reached')
}
