'use strict'
// Events that happen between two step replies: chat, error, death, spawn, kicked, pickup.
// Step replies drain them; the list is bounded (the oldest are dropped, and that is said).

const TYPES = new Set(['chat', 'error', 'death', 'spawn', 'kicked', 'pickup'])
const MAX_EVENTS = 200
const MAX_MESSAGE = 1000

class EventLog {
  constructor () {
    this.events = []
    this.dropped = 0
  }

  add (type, message) {
    if (!TYPES.has(type)) type = 'error'
    let text = String(message ?? '')
    if (text.length > MAX_MESSAGE) text = text.slice(0, MAX_MESSAGE) + '...'
    this.events.push({ type, message: text })
    if (this.events.length > MAX_EVENTS) {
      this.events.shift()
      this.dropped++
    }
  }

  drain () {
    const out = this.events
    if (this.dropped) out.unshift({ type: 'error', message: `${this.dropped} older events were dropped` })
    this.events = []
    this.dropped = 0
    return out
  }
}

// Subscribes an EventLog to a mineflayer bot. Returns a function that unsubscribes.
function attachBotEvents (bot, log, state) {
  const handlers = []
  const on = (name, fn) => { bot.on(name, fn); handlers.push([name, fn]) }

  on('messagestr', (message, position) => {
    if (position === 'game_info') return // action bar
    if (!message || !String(message).trim()) return
    log.add('chat', message)
  })
  on('death', () => {
    state.dead = true
    const p = bot.entity && bot.entity.position
    log.add('death', p ? `the bot died at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}, ${p.z.toFixed(1)})` : 'the bot died')
  })
  on('spawn', () => {
    if (!state.spawned) { state.spawned = true; return } // the first spawn is /connect's
    state.dead = false
    const p = bot.entity && bot.entity.position
    log.add('spawn', p ? `the bot respawned at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}, ${p.z.toFixed(1)})` : 'the bot respawned')
  })
  on('kicked', (reason) => {
    state.kickReason = textOf(reason)
    log.add('kicked', `kicked from the server: ${state.kickReason}`)
  })
  on('end', (reason) => {
    if (state.kickReason || state.quitting) return
    log.add('kicked', `disconnected from the server: ${reason || 'connection closed'}`)
  })
  on('error', (err) => {
    log.add('error', `bot error: ${err && err.message ? err.message : String(err)}`)
  })
  on('playerCollect', (collector, collected) => {
    if (!bot.entity || collector !== bot.entity) return
    let name = null
    let count = 1
    try {
      const item = collected.getDroppedItem && collected.getDroppedItem()
      if (item) { name = item.name; count = item.count }
    } catch (e) { /* no item metadata */ }
    if (name) { log.add('pickup', `picked up ${count} ${name}`); return }
    // Some servers send no item metadata: look at what the inventory gained shortly after.
    const before = inventoryCounts(bot)
    setTimeout(() => {
      if (!bot.inventory) return
      const gained = diffCounts(before, inventoryCounts(bot))
      const parts = Object.entries(gained).map(([n, c]) => `${c} ${n}`)
      log.add('pickup', parts.length ? `picked up ${parts.join(', ')}` : 'picked up an item')
    }, 250)
  })
  return () => { for (const [name, fn] of handlers) bot.removeListener(name, fn) }
}

// NBT as JSON (1.20.3+ sends kick reasons as NBT): {type, value} -> plain values.
function simplifyNbt (tag) {
  if (!tag || typeof tag !== 'object' || typeof tag.type !== 'string' || !('value' in tag)) return tag
  if (tag.type === 'compound') {
    const out = {}
    for (const [k, v] of Object.entries(tag.value || {})) out[k] = simplifyNbt(v)
    return out
  }
  if (tag.type === 'list') {
    const inner = tag.value || {}
    return (inner.value || []).map((v) => simplifyNbt({ type: inner.type, value: v }))
  }
  return tag.value
}

function textOf (reason) {
  if (reason == null) return 'no reason given'
  if (typeof reason === 'string') {
    try { return textOf(JSON.parse(reason)) } catch (e) { return reason }
  }
  if (typeof reason === 'object' && typeof reason.type === 'string' && 'value' in reason) {
    const plain = simplifyNbt(reason)
    return typeof plain === 'string' ? plain : textOf(plain)
  }
  if (typeof reason === 'object') {
    if (typeof reason.toString === 'function' && reason.toString !== Object.prototype.toString) {
      const s = reason.toString()
      if (s && s !== '[object Object]') return s
    }
    let s = reason.text || reason.translate || ''
    if (Array.isArray(reason.extra)) s += reason.extra.map(textOf).join('')
    if (Array.isArray(reason.with)) s += ' ' + reason.with.map(textOf).join(' ')
    return s || JSON.stringify(reason)
  }
  return String(reason)
}

function inventoryCounts (bot) {
  const counts = {}
  for (const item of bot.inventory.items()) counts[item.name] = (counts[item.name] || 0) + item.count
  return counts
}

function diffCounts (before, after) {
  const out = {}
  for (const [name, count] of Object.entries(after)) {
    const d = count - (before[name] || 0)
    if (d > 0) out[name] = d
  }
  return out
}

module.exports = { EventLog, attachBotEvents, inventoryCounts, diffCounts, textOf }
