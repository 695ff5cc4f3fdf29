// attempts: Error.prepareStackTrace on an error the host itself throws into the isolate (the bot-call limit), looking for a host function or receiver in its frames
// expect: no host function reached
// limit_s: 5
async function run(bot) {
  Error.prepareStackTrace = (e, frames) => frames
  let frames = []
  const calls = []
  try {
    for (let i = 0; i < 1100; i++) calls.push(bot.waitForTicks(400))
    await Promise.all(calls)
  } catch (e) { frames = e.stack }
  for (const f of Array.isArray(frames) ? frames : []) {
    for (const v of [f.getThis && f.getThis(), f.getFunction && f.getFunction()]) {
      if (v && (v.process || (typeof v === 'function' && /native|ivm|Callback/.test(String(v))))) return String(v)
    }
  }
  throw new Error('no host function reached')
}
