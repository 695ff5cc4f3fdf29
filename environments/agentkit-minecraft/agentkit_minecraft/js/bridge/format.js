'use strict'
// A JSON-safe, bounded summary of a primitive's or a program's return value.

const MAX_CHARS = 2000

function summarize (value, depth = 0) {
  if (value === undefined) return null
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`
  if (typeof value !== 'object') return String(value)
  const isVec = ['x', 'y', 'z'].every((k) => typeof value[k] === 'number') && Object.keys(value).length <= 3
  if (isVec) return { x: value.x, y: value.y, z: value.z }
  if (value.position && typeof value.position.x === 'number') {
    const p = value.position
    const pos = { x: Math.round(p.x * 100) / 100, y: Math.round(p.y * 100) / 100, z: Math.round(p.z * 100) / 100 }
    if (typeof value.id === 'number' && (value.username || value.name) && value.type !== undefined && !('stateId' in value)) {
      return { entity: value.username || value.name, id: value.id, position: pos } // an Entity
    }
    if (typeof value.name === 'string') return { block: value.name, position: pos } // a Block
  }
  if (typeof value.name === 'string' && typeof value.count === 'number' && typeof value.type === 'number') {
    return { item: value.name, count: value.count } // an Item
  }
  if (depth >= 3) return Array.isArray(value) ? `[array of ${value.length}]` : '[object]'
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => summarize(v, depth + 1))
  const out = {}
  let n = 0
  for (const key of Object.keys(value)) {
    if (n++ >= 50) break
    out[key] = summarize(value[key], depth + 1)
  }
  return out
}

function summarizeResult (value) {
  let s
  try { s = summarize(value) } catch (e) { s = String(value) }
  let text
  try { text = JSON.stringify(s) } catch (e) { text = String(s) }
  if (text !== undefined && text.length > MAX_CHARS) {
    return { result: text.slice(0, MAX_CHARS) + '...', text: text.slice(0, MAX_CHARS) + '...' }
  }
  return { result: s, text }
}

module.exports = { summarizeResult }
