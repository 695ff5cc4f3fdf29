'use strict'
// Per-player timers.
//
// flying-squid's login starts a 5-second setInterval per player (tab-list latency, in its
// fillTabList) and never clears it: after the player leaves it keeps writing to a closed
// client, and it keeps the event loop of an in-process server (startServer in a test) alive
// after close(). fillTabList runs synchronously right after login's updateTime(), so when
// that update_time packet is written, intervals created until the current synchronous block
// ends are recorded on the player, unref'd, and cleared when the player disconnects or the
// server closes.

module.exports.server = function (serv) {
  serv.on('close', () => {
    for (const p of serv.players) p._clearLoginTimers?.()
  })
}

module.exports.player = function (player) {
  const timers = []
  player._clearLoginTimers = () => {
    while (timers.length) clearInterval(timers.pop())
  }
  const client = player._client
  const write = client.write
  let armed = true
  client.write = function (name, params) {
    if (armed && name === 'update_time' && /\bupdateTime\b/.test(new Error().stack)) {
      armed = false
      client.write = write
      const original = global.setInterval
      global.setInterval = function (...a) {
        const handle = original.apply(this, a)
        timers.push(handle)
        handle.unref?.()
        return handle
      }
      Promise.resolve().then(() => { global.setInterval = original })
    }
    return write.call(this, name, params)
  }
  client.once('end', () => player._clearLoginTimers())
}
