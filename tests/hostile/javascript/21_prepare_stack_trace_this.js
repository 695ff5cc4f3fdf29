// attempts: Error.prepareStackTrace call sites' getThis() to find a host object
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
async function run(bot) {
  Error.prepareStackTrace = (e, frames) => frames
  let frames = []
  try { bot.blockAt(null) } catch (e) { frames = e.stack }
  const host = (Array.isArray(frames) ? frames : []).map((f) => f.getThis && f.getThis()).find((t) => t && t.process)
  return host.process.env
}
